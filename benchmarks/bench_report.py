"""Benchmark ``jdmtrack report``: the demo cohort and a synthetic 2,000-patient cohort.

Run from the repository root::

    python benchmarks/bench_report.py [--patients 2000] [--repeats 3]

Each report is timed end to end as a user runs it (a fresh ``jdmtrack`` process: start-up,
reading, scoring, analysis and rendering), next to a bare ``python -c "import jdmtrack"``
so the cost of the work itself can be read off. A third line times the rendering alone
(``jdmtrack.report.render_report``, in process) on the 2,000-patient report's results.

Targets (issue 5): the demo report adds at most 2 s to the import time; the 2,000-patient
report finishes in under 60 s. Times are the best of ``--repeats`` runs (one run for the
large cohort). The script prints the figures and whether each target is met; it exits 1
if a command fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = "baricitinib"
DEMO_TARGET_S = 2.0
LARGE_TARGET_S = 60.0


def jdmtrack() -> list[str]:
    """The ``jdmtrack`` command, else ``python -m jdmtrack``."""
    found = shutil.which("jdmtrack")
    return [found] if found else [sys.executable, "-m", "jdmtrack"]


def timed(command: list[str], repeats: int = 1) -> float:
    """Best wall time of ``command`` over ``repeats`` runs; exits if it fails."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def import_time(repeats: int) -> float:
    return timed([sys.executable, "-c", "import jdmtrack"], repeats)


def line(label: str, seconds: float, baseline: float, verdict: str) -> None:
    print(f"{label:<44} {seconds:7.2f} s   import jdmtrack {baseline:5.2f} s   "
          f"added {seconds - baseline:6.2f} s   {verdict}")


def render_only(report: Path, out: Path) -> float:
    """``render_report`` alone, re-rendering a written report from its own files.

    The results come from its ``results.json``, the scored visits from the ``visits``
    sheet of its ``tables.xlsx`` (reading them is not timed).
    """
    import json

    import pandas as pd

    from jdmtrack.report import render_report

    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    visits = pd.read_excel(report / "tables.xlsx", sheet_name="visits")
    start = time.perf_counter()
    render_report(results, visits, out)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    cli = jdmtrack()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        baseline = import_time(args.repeats)
        demo = timed([*cli, "report", "--demo", DEMO, "-o", str(root / "demo")], args.repeats)
        added = demo - baseline
        line(f"jdmtrack report --demo {DEMO}", demo, baseline,
             f"target +{DEMO_TARGET_S:g} s: {'met' if added <= DEMO_TARGET_S else 'MISSED'}")

        cohort = root / "synthetic"
        timed([*cli, "demo", "synthetic", "--patients", str(args.patients), "--seed", "1",
               "-o", str(cohort)])
        large = timed([*cli, "report", str(cohort), "-o", str(root / "large")])
        baseline = import_time(args.repeats)
        line(f"jdmtrack report ({args.patients} patients)", large, baseline,
             f"target < {LARGE_TARGET_S:g} s: {'met' if large < LARGE_TARGET_S else 'MISSED'}")
        rendering = render_only(root / "large", root / "render")
        print(f"{'  of which render_report (in process)':<44} {rendering:7.2f} s")


if __name__ == "__main__":
    main()
