"""The long fuzz run of issue 12: mutated cohorts in, success or located problems out.

Draws inputs as tests/fuzz/test_fuzz_inputs.py does (tests/fuzz/cohort_mutations.py:
a valid CSV folder, workbook or REDCap export, mutated) and runs each through the library
(``load_cohort`` + ``score_cohort``, or ``import_records``) and the CLI (``validate`` /
``score`` / ``redcap import``, in-process). Counts, per input form, the inputs that were
valid, those rejected with located problems, and the unhandled ones (a traceback, a
problem naming no file, or the CLI's last-resort guard firing), which must be 0.

Usage: python benchmarks/fuzz_inputs.py --examples 10000 [--seed 0] [--jobs 2]
Exit status 1 if any input was unhandled; the first ones are printed in full.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

_SHOWN = 5
_PROGRESS = 500


def run(examples: int, seed_value: int) -> tuple[Counter[str], list[str]]:
    """Draw and check ``examples`` inputs from ``seed_value``; counts and failures."""
    from cohort_mutations import Unhandled, build_input, cases, check_input
    from hypothesis import HealthCheck, Phase, given, seed, settings

    counts: Counter[str] = Counter()
    failures: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(seed_value)
    @given(cases())
    def one(case: tuple[str, list[tuple[Any, ...]]]) -> None:
        form, mutations = case
        with tempfile.TemporaryDirectory() as scratch:
            try:
                path = build_input(form, mutations, Path(scratch) / "in")
                outcome = check_input(form, path, Path(scratch) / "out")
            except Unhandled as err:
                counts[f"{form} unhandled"] += 1
                failures.append(f"{form} {mutations!r}:\n{err}")
                return
        counts[f"{form} {'valid' if outcome.valid else 'located problems'}"] += 1
        done = sum(counts.values())
        if done % _PROGRESS == 0:
            print(f"seed {seed_value}: {done}/{examples} inputs, "
                  f"{len(failures)} unhandled", file=sys.stderr, flush=True)

    one()
    return counts, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes, each drawing examples/jobs inputs from its own seed")
    args = parser.parse_args()
    started = time.perf_counter()
    shares = [args.examples // args.jobs + (i < args.examples % args.jobs)
              for i in range(args.jobs)]
    counts: Counter[str] = Counter()
    failures: list[str] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for found, failed in pool.map(run, shares, [args.seed + i for i in range(args.jobs)]):
            counts.update(found)
            failures.extend(failed)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    unhandled = sum(n for key, n in counts.items() if key.endswith("unhandled"))
    print(f"{total} inputs in {seconds:.0f} s ({total / seconds:.1f}/s), seed {args.seed}, "
          f"{args.jobs} job(s)")
    for key in sorted(counts):
        print(f"  {key:<28} {counts[key]:>6}")
    print(f"unhandled: {unhandled}")
    for failure in failures[:_SHOWN]:
        print("\n" + failure)
    return 1 if unhandled else 0


if __name__ == "__main__":
    sys.exit(main())
