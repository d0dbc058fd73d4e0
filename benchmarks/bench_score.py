"""Validate + score throughput on 1,000,000 synthetic visits with every item column.

Prints, in one run:
- end to end from a CSV file on disk (read + validate + score), visits/s;
- validate + score of tables already read (the in-memory part), visits/s;
- peak memory of the end-to-end run (its own process, ru_maxrss);
- a plain per-row Python loop doing the same work (parse every cell, check its range,
  sum the items) timed on a slice and expressed per visit, and the speed ratio.

Targets (issue 2): >= 250,000 visits/s end to end on one core, < 2 GB peak, >= 50x the
per-row loop. Usage: python benchmarks/bench_score.py [--visits N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jdmtrack.fields import CMAS_ITEMS, MMT8_GROUPS

ITEMS = [(name, top) for name, _, top in CMAS_ITEMS] + [(name, 10) for name, _ in MMT8_GROUPS]


def make_cohort(folder: Path, n_visits: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    n_patients = n_visits // 4
    ids = np.array([f"P{i:07d}" for i in range(n_patients)])
    pd.DataFrame({"patient_id": ids, "sex": rng.choice(["F", "M"], n_patients),
                  "jaki_drug": rng.choice(["baricitinib", "tofacitinib"], n_patients)}
                 ).to_csv(folder / "patients.csv", index=False)
    columns: dict[str, object] = {
        "patient_id": np.repeat(ids, 4),
        "week": np.tile([0, 4, 12, 24], n_patients),
        "weight_kg": np.round(rng.uniform(12, 60, n_visits), 1),
    }
    for name, top in ITEMS:
        columns[name] = rng.integers(0, top + 1, n_visits)
    columns |= {
        "das_skin": rng.integers(0, 10, n_visits), "das_muscle": rng.integers(0, 12, n_visits),
        "phga_cm": np.round(rng.uniform(0, 10, n_visits), 1),
        "ptga_cm": np.round(rng.uniform(0, 10, n_visits), 1),
        "extramuscular_cm": np.round(rng.uniform(0, 10, n_visits), 1),
        "chaq": np.round(rng.uniform(0, 3, n_visits), 3),
        "ck_u_l": rng.integers(20, 3000, n_visits),
        "cs_mg_day": rng.integers(0, 40, n_visits),
        "jaki_mg_per_dose": rng.choice([2.0, 2.5, 4.0, 5.0], n_visits),
        "jaki_doses_per_day": rng.choice([1, 2], n_visits),
        "rash": rng.choice(["yes", "no"], n_visits),
    }
    pd.DataFrame(columns).to_csv(folder / "visits.csv", index=False)


def child(folder: str) -> None:
    """Run read + validate + score in a fresh process; print timings and peak memory."""
    import resource

    from jdmtrack.instruments import score_visits
    from jdmtrack.io import read_raw
    from jdmtrack.validate import validate_cohort

    t0 = time.perf_counter()
    raw = read_raw(folder)
    t1 = time.perf_counter()
    cohort = validate_cohort(raw)
    scored = score_visits(cohort.visits)
    t2 = time.perf_counter()
    assert not scored.warnings
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"read": t1 - t0, "validate_score": t2 - t1, "peak_mib": peak_kib / 1024,
                      "visits": len(scored.visits)}))


def per_row_loop(visits_csv: Path, limit: int) -> tuple[float, int]:
    """The same work done the obvious way: csv.DictReader, one row at a time."""
    import csv

    start = time.perf_counter()
    with visits_csv.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        n = 0
        for row in reader:
            if n == limit:
                break
            totals = {"cmas": 0, "mmt8": 0}
            for name, top in ITEMS:
                value = float(row[name])
                if not (0 <= value <= top and value.is_integer()):
                    raise ValueError(name)
                totals["cmas" if name.startswith("cmas") else "mmt8"] += int(value)
            for name in ("das_skin", "das_muscle", "phga_cm", "ptga_cm", "extramuscular_cm",
                         "chaq", "ck_u_l", "cs_mg_day", "jaki_mg_per_dose",
                         "jaki_doses_per_day", "weight_kg", "week"):
                float(row[name])
            _ = float(row["cs_mg_day"]) / float(row["weight_kg"])
            _ = float(row["jaki_mg_per_dose"]) * float(row["jaki_doses_per_day"])
            if row["rash"].lower() not in ("yes", "no"):
                raise ValueError("rash")
            n += 1
    return time.perf_counter() - start, n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--loop-visits", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_cohort(folder, args.visits)
        size_mb = (folder / "visits.csv").stat().st_size / 1e6
        out = subprocess.run([sys.executable, __file__, "--child", str(folder)],
                             check=True, capture_output=True, text=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        loop_s, loop_n = per_row_loop(folder / "visits.csv", args.loop_visits)
    n = figures["visits"]
    end_to_end = figures["read"] + figures["validate_score"]
    rate = n / end_to_end
    loop_rate = loop_n / loop_s
    print(f"visits: {n:,} ({len(ITEMS) + 16} columns, visits.csv {size_mb:.0f} MB)")
    print(f"read CSV:               {figures['read']:.2f} s")
    print(f"validate + score:       {figures['validate_score']:.2f} s "
          f"({n / figures['validate_score']:,.0f} visits/s)")
    print(f"end to end:             {end_to_end:.2f} s ({rate:,.0f} visits/s; target >= 250,000)"
          f"  {'MET' if rate >= 250_000 else 'NOT MET'}")
    print(f"peak memory:            {figures['peak_mib']:,.0f} MiB (target < 2,048)"
          f"  {'MET' if figures['peak_mib'] < 2048 else 'NOT MET'}")
    print(f"per-row Python loop:    {loop_rate:,.0f} visits/s (timed on {loop_n:,} visits)")
    print(f"ratio:                  {rate / loop_rate:.1f}x (target >= 50x)"
          f"  {'MET' if rate / loop_rate >= 50 else 'NOT MET'}")


if __name__ == "__main__":
    main()
