"""The long fuzz run of issue 12: mutated cohorts in, success or located problems out.

Draws inputs as tests/fuzz/test_fuzz_inputs.py does (tests/fuzz/cohort_mutations.py:
a valid CSV folder, workbook or REDCap export, mutated) and runs each through the library
(``load_cohort`` + ``score_cohort``, or ``import_records``) and the CLI (``validate`` /
``score`` / ``redcap import``, in-process). Counts, per input form, the inputs that were
valid, those rejected with located problems, and the unhandled ones (a traceback, a
problem naming no file, or the CLI's last-resort guard firing), which must be 0.

Usage: python benchmarks/fuzz_inputs.py --examples 10000 [--seed 0] [--jobs 4] [--cli-every 2]
Exit status 1 if any input was unhandled; the first ones are printed in full.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

_SHOWN = 5
_PROGRESS = 500


def run(examples: int, seed_value: int, cli_every: int = 1) -> tuple[Counter[str], list[str]]:
    """Draw and check ``examples`` inputs from ``seed_value``; counts and failures. The CLI
    runs on every ``cli_every``-th input, the library on all."""
    from cohort_mutations import Unhandled, build_input, cases, check_input, scratch_folder
    from hypothesis import HealthCheck, Phase, given, seed, settings

    counts: Counter[str] = Counter()
    failures: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(seed_value)
    @given(cases())
    def one(case: tuple[str, list[tuple[Any, ...]]]) -> None:
        form, mutations = case
        drawn = sum(counts.values())
        with scratch_folder() as scratch:
            try:
                path = build_input(form, mutations, Path(scratch) / "in")
            except Exception as err:  # the generator's own failure, not jdmtrack's
                counts[f"{form} not built"] += 1
                failures.append(f"{form} {mutations!r}: could not be built: {err!r}")
                return
            try:
                outcome = check_input(form, path, Path(scratch) / "out",
                                      cli=drawn % cli_every == 0)
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
    parser.add_argument("--cli-every", type=int, default=1,
                        help="run the CLI on every N-th input (the library runs on all)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes, each drawing examples/jobs inputs from its own seed")
    args = parser.parse_args()
    started = time.perf_counter()
    shares = [args.examples // args.jobs + (i < args.examples % args.jobs)
              for i in range(args.jobs)]
    counts: Counter[str] = Counter()
    failures: list[str] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        seeds = [args.seed + i for i in range(args.jobs)]
        for found, failed in pool.map(run, shares, seeds, [args.cli_every] * args.jobs):
            counts.update(found)
            failures.extend(failed)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    unhandled = sum(n for key, n in counts.items() if key.endswith("unhandled"))
    print(f"{total} inputs in {seconds:.0f} s ({total / seconds:.1f}/s), seeds "
          f"{args.seed}-{args.seed + args.jobs - 1}, CLI on every {args.cli_every}. input")
    for key in sorted(counts):
        print(f"  {key:<28} {counts[key]:>6}")
    print(f"unhandled: {unhandled}")
    for failure in failures[:_SHOWN]:
        print("\n" + failure)
    return 1 if unhandled or any(k.endswith("not built") for k in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
