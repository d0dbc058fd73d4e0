"""Validate + score throughput on 1,000,000 synthetic visits with every item column.

Prints, in one run:
- end to end from a CSV file on disk (read + validate + score), visits/s;
- validate + score of tables already read (the in-memory part), visits/s;
- peak memory of the end-to-end run (its own process, ru_maxrss);
- a plain per-row Python loop doing the same work (parse every cell, check its range,
  sum the items) timed on a slice and expressed per visit, and the speed ratio;
- the ceiling on that ratio: pandas' C parser alone reading the file, with no checks.

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
    n = len(scored.visits)
    del raw, cohort, scored
    # The floor under any end-to-end figure: pandas' C parser alone reading visits.csv
    # (no checks, no blank rows, no hashing), timed after the measured run.
    t3 = time.perf_counter()
    pd.read_csv(Path(folder) / "visits.csv", dtype={"patient_id": object, "rash": object})
    parse_only = time.perf_counter() - t3
    print(json.dumps({"read": t1 - t0, "validate_score": t2 - t1, "peak_mib": peak_kib / 1024,
                      "visits": n, "parse_only": parse_only}))


def per_row_loop(folder: Path, limit: int) -> tuple[float, int]:
    """The same work done one row at a time, as a plain Python program would do it.

    For every cell: look up its field in the dictionary, parse it by kind (the same number
    pattern, yes/no words, identifier spaces), check range and integrality, keep a problem
    list; for every row: duplicate-key and unknown-patient checks, items against a given
    total, CMAS/MMT-8/DAS totals with the missing-item rule and a warning, doses per kg;
    then the scored rows become a table, as `score` returns one.
    """
    import csv
    import re

    from jdmtrack.errors import DataWarning, Problem
    from jdmtrack.fields import fields_of

    number = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
    specs = {f.name: f for f in fields_of("visits")}
    cmas = [name for name, _ in ITEMS if name.startswith("cmas")]
    mmt8 = [name for name, _ in ITEMS if name.startswith("mmt8")]
    start = time.perf_counter()
    with (folder / "patients.csv").open(encoding="utf-8") as handle:
        patients = {row["patient_id"] for row in csv.DictReader(handle)}
    problems: list[Problem] = []
    warnings: list[DataWarning] = []
    seen: set[tuple[str, float]] = set()
    out: list[dict[str, object]] = []
    with (folder / "visits.csv").open(encoding="utf-8") as handle:
        for row_number, raw in enumerate(csv.DictReader(handle), start=2):
            if row_number - 2 == limit:
                break
            typed: dict[str, object] = {}
            for name, text in raw.items():
                spec = specs[name]
                if text == "":
                    typed[name] = None
                elif spec.kind in ("integer", "number"):
                    if not number.match(text):
                        problems.append(Problem("visits.csv", row_number, name, text,
                                                spec.expected()))
                        continue
                    value = float(text)
                    low_ok = spec.minimum is None or value >= spec.minimum
                    high_ok = spec.maximum is None or value <= spec.maximum
                    whole = spec.kind != "integer" or value.is_integer()
                    if not (low_ok and high_ok and whole):
                        problems.append(Problem("visits.csv", row_number, name, text,
                                                spec.expected()))
                    typed[name] = value
                elif spec.kind == "bool":
                    word = text.strip().lower()
                    if word not in ("yes", "no"):
                        problems.append(Problem("visits.csv", row_number, name, text,
                                                spec.expected()))
                    typed[name] = word == "yes"
                else:
                    if text != text.strip():
                        problems.append(Problem("visits.csv", row_number, name, text, "no spaces"))
                    typed[name] = text
            key = (str(typed["patient_id"]), float(typed["week"]))  # type: ignore[arg-type]
            if key in seen:
                problems.append(Problem("visits.csv", row_number, "week", str(key[1]), "unique"))
            seen.add(key)
            if key[0] not in patients:
                problems.append(Problem("visits.csv", row_number, "patient_id", key[0], "known"))
            for items, total in ((cmas, "cmas_total"), (mmt8, "mmt8_total"),
                                 (["das_skin", "das_muscle"], "das_total")):
                values = [typed.get(i) for i in items]
                if any(v is None for v in values):
                    if typed.get(total) is None and any(v is not None for v in values):
                        warnings.append(DataWarning("item_missing", total, key[0], key[1]))
                    continue
                summed = sum(values)  # type: ignore[arg-type]
                if typed.get(total) is not None and typed[total] != summed:
                    problems.append(Problem("visits.csv", row_number, total, "", str(summed)))
                typed[total] = summed
            weight = typed.get("weight_kg")
            if weight:
                typed["cs_mg_kg_day"] = float(typed["cs_mg_day"]) / float(weight)  # type: ignore[arg-type]
                typed["jaki_mg_day"] = (float(typed["jaki_mg_per_dose"])  # type: ignore[arg-type]
                                        * float(typed["jaki_doses_per_day"]))  # type: ignore[arg-type]
                typed["jaki_mg_kg_day"] = float(typed["jaki_mg_day"]) / float(weight)  # type: ignore[arg-type]
            out.append(typed)
    table = pd.DataFrame(out)
    if problems:
        raise ValueError(problems[:3])
    return time.perf_counter() - start, len(table)


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
        loop_s, loop_n = per_row_loop(folder, args.loop_visits)
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
    print(f"per-row Python loop:    {loop_rate:,.0f} visits/s (same checks and scoring, row by "
          f"row; timed on {loop_n:,} visits)")
    print(f"ratio:                  {rate / loop_rate:.1f}x (target >= 50x)"
          f"  {'MET' if rate / loop_rate >= 50 else 'NOT MET'}")
    ceiling = n / figures["parse_only"] / loop_rate
    print(f"ceiling:                pandas' C parser alone reads visits.csv in "
          f"{figures['parse_only']:.2f} s: {ceiling:.1f}x the loop if validation and scoring "
          "cost nothing")


if __name__ == "__main__":
    main()
