"""Benchmark: data warnings while scoring 200,000 items-only visits with many gaps.

Synthetic cohort: 50,000 patients x 4 visits, every CMAS and MMT-8 item and the two DAS
domains recorded, 30 % of each item missing at random (deterministic seed); no global
assessments, enzymes or doses, so most criteria are left undecided. Prints, side by side:

- score_cohort wall time, and the number of aggregated warning records and of the rows
  they stand for;
- the peer: what one ``DataWarning`` object per row (the previous design) costs to build
  for the same rows, in seconds and objects;
- writing the full per-row list (``--warnings-file``) from the stored masks.

Floor (issue 13): records bounded by codes x columns (a few dozen), no per-row object on
the scoring path. Run: ``python benchmarks/bench_warnings.py [--visits N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jdmtrack.cohort import Cohort
from jdmtrack.errors import DataWarning
from jdmtrack.fields import CMAS_ITEMS, MMT8_GROUPS
from jdmtrack.pipeline import score_cohort

SEED = 20261204
MISSING = 0.3


def make_cohort(n_visits: int) -> Cohort:
    rng = np.random.default_rng(SEED)
    n_patients = n_visits // 4
    ids = np.array([f"P{i:07d}" for i in range(n_patients)], dtype=object)
    index = pd.RangeIndex(2, 4 * n_patients + 2, name="row")
    columns: dict[str, object] = {
        "patient_id": pd.Series(np.repeat(ids, 4), dtype=object, index=index),
        "week": pd.Series(np.tile([0.0, 4.0, 12.0, 24.0], n_patients), index=index)}
    items = [(name, top) for name, _, top in CMAS_ITEMS] + [(name, 10) for name, _ in MMT8_GROUPS]
    for name, top in [*items, ("das_skin", 9), ("das_muscle", 11)]:
        values = rng.integers(0, top + 1, len(index)).astype(np.float64)
        values[rng.random(len(index)) < MISSING] = np.nan
        columns[name] = pd.Series(values, index=index)
    patients = pd.DataFrame({"patient_id": pd.Series(ids, dtype=object)},
                            index=pd.RangeIndex(2, n_patients + 2, name="row"))
    empty = pd.DataFrame({"patient_id": pd.Series([], dtype=object)})
    return Cohort(patients, pd.DataFrame(columns, index=index), empty, empty)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=200_000)
    args = parser.parse_args()
    cohort = make_cohort(args.visits)

    start = time.perf_counter()
    scored = score_cohort(cohort)
    scoring = time.perf_counter() - start
    log = scored.warnings

    rows = log.per_row()
    start = time.perf_counter()
    objects = [DataWarning(code, message, patient_id=pid, week=week, column=column)
               for code, message, pid, week, column in zip(
                   rows["code"].tolist(), rows["message"].tolist(),
                   rows["patient_id"].tolist(), rows["week"].tolist(), rows["column"].tolist(),
                   strict=True)]
    peer = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        written = log.write_csv(Path(tmp) / "warnings.csv")
        csv_time = time.perf_counter() - start

    print(f"visits scored                    {len(cohort.visits):>12,}")
    print(f"score_cohort wall time           {scoring:>12.2f} s")
    print(f"aggregated warning records       {len(log):>12,}   (floor: codes x columns; "
          f"{len({r.code for r in log})} codes)")
    print(f"rows they stand for              {log.total:>12,}")
    print(f"peer: one DataWarning per row    {len(objects):>12,} objects, {peer:.2f} s to "
          "build (not done when scoring)")
    print(f"--warnings-file (every row)      {written:>12,} rows, {csv_time:.2f} s")


if __name__ == "__main__":
    main()
