"""``jdmtrack report`` against issue 16's two targets, wall time first, run after run.

Run from the repository root::

    python benchmarks/bench_report.py [--patients 2000] [--repeats 5] [--out FILE] [--tiny]

Each report is timed end to end as a user runs it: a fresh ``python -m jdmtrack report``
process (start-up, reading, scoring, analysis, rendering), next to a bare ``python -c
"import jdmtrack"``. The targets are wall-clock ones, on an otherwise idle machine:

* ``report --demo baricitinib`` adds at most 2 s to ``import jdmtrack``, *every run*: so
  the slowest of the runs is the figure that counts, not the best;
* ``report`` on a synthetic 2,000-patient cohort (``jdmtrack demo synthetic --seed 1``)
  takes at most 5 s.

Wall time is the slowest, median and fastest run; CPU is the process's user + system time,
the figure-drawing processes it waits for included (``os.wait4``). Since the report draws
its figures in processes beside the tables (docs/report.md), wall time can be below CPU
time on a machine with more than one core. The load average before the first run is
printed: on a busy machine wall times say little, and the CPU column is the steadier one.
Prints a markdown table (and writes it to ``--out``); not a timed test, CI runs it only at
``--tiny`` size to prove it works.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_perf import PY, Run, _run_once, emit, machine

DEMO = "baricitinib"
DEMO_TARGET_S = 2.0  # issue 16: over `import jdmtrack`, every run
LARGE_TARGET_S = 5.0  # issue 16: the 2,000-patient report


def runs(args: list[str], repeats: int) -> list[Run]:
    return [_run_once(args) for _ in range(repeats)]


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return (f"{max(values):.2f} / {statistics.median(values):.2f} / {min(values):.2f}")


def row(work: str, measured: list[Run], target: str, met: bool) -> str:
    walls = [r.wall for r in measured]
    cpus = [r.cpu for r in measured]
    return (f"| {work} | {len(measured)} | {spread(walls)} | {statistics.median(cpus):.2f} | "
            f"{target} | {'met' if met else 'MISSED'} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--tiny", action="store_true",
                        help="20 patients, one run, 1,000 Friedman permutations (CI)")
    args = parser.parse_args(argv)
    extra: list[str] = []
    if args.tiny:
        args.patients, args.repeats, extra = 20, 1, ["--resamples", "1000"]
    load = os.getloadavg()[0]
    lines = [f"Machine: {machine()}; load average {load:.2f} before the first run.", "",
             "| work | runs | wall s (slowest / median / fastest) | CPU s (median) | target "
             "| verdict |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        imports = runs([PY, "-c", "import jdmtrack"], args.repeats)
        fastest_import = min(r.wall for r in imports)  # the strictest baseline
        lines.append(row("`python -c \"import jdmtrack\"`", imports, "", True))
        demo = runs([PY, "-m", "jdmtrack", "report", "--demo", DEMO, "-o",
                     str(root / "demo"), *extra], args.repeats)
        added = max(r.wall for r in demo) - fastest_import
        lines.append(row(f"`report --demo {DEMO}`", demo,
                         f"<= {DEMO_TARGET_S:g} s over import, every run (slowest: "
                         f"{added:.2f} s over)", added <= DEMO_TARGET_S))
        cohort = root / "synthetic"
        _run_once([PY, "-m", "jdmtrack", "demo", "synthetic", "--patients",
                   str(args.patients), "--seed", "1", "-o", str(cohort)])
        large = runs([PY, "-m", "jdmtrack", "report", str(cohort), "-o", str(root / "large"),
                      *extra], args.repeats)
        median = statistics.median(r.wall for r in large)
        lines.append(row(f"`report` {args.patients:,} patients", large,
                         f"<= {LARGE_TARGET_S:g} s (median)", median <= LARGE_TARGET_S))
    lines.append("")
    lines.append(f"Load average after the last run: {os.getloadavg()[0]:.2f}.")
    emit("\n".join(lines), args.out)


if __name__ == "__main__":
    main()
