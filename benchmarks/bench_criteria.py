"""Benchmark: classify 1,000,000 scored visits by every definition (jdmtrack.criteria).

Synthetic cohort: 250,000 patients x 4 visits (weeks 0, 4, 12, 24), deterministic seed,
values on the recorded grids (VAS to 0.1 cm, CHAQ to 0.125, integer scores, steroid doses
to 0.01 mg/kg/day) so that many percent changes sit exactly on TIS band edges, and about
1 % of each input missing. Prints throughput (visits per second of wall time, one core)
and peak memory (tracemalloc, in a second run; and the process's maximum resident set).

Run: ``python benchmarks/bench_criteria.py [--patients N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from jdmtrack.criteria import CriteriaSettings, classify

TARGET_VISITS_PER_SECOND = 500_000
SEED = 20240611
WEEKS = (0.0, 4.0, 12.0, 24.0)
MISSING = 0.01


def _grid(rng: np.random.Generator, n: int, low: float, high: float, step: float
          ) -> np.ndarray:
    steps = round((high - low) / step)
    return np.round(low + rng.integers(0, steps + 1, n) * step, 6)


def _holes(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    out = values.astype(np.float64)
    out[rng.random(len(out)) < MISSING] = np.nan
    return out


def _booleans(rng: np.random.Generator, n: int, p_true: float) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(rng.random(n) < p_true, rng.random(n) < MISSING)


def make_cohort(n_patients: int, seed: int = SEED
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A synthetic scored cohort following jdmtrack.cohort's conventions."""
    rng = np.random.default_rng(seed)
    k = len(WEEKS)
    n = n_patients * k
    ids = np.array([f"P{i:07d}" for i in range(n_patients)], dtype=object)
    patient_id = np.repeat(ids, k)
    week = np.tile(np.asarray(WEEKS), n_patients)
    weight = np.repeat(_grid(rng, n_patients, 8.0, 70.0, 0.1), k)
    per_dose = rng.choice([1.0, 2.0, 2.5, 4.0, 5.0, 7.5], n)
    doses = rng.choice([1.0, 2.0], n)
    jaki_mg_day = per_dose * doses
    visits = pd.DataFrame({
        "patient_id": pd.Series(patient_id, dtype=object),
        "week": week,
        "weight_kg": _holes(rng, weight),
        "cmas_total": _holes(rng, rng.integers(0, 53, n)),
        "mmt8_total": _holes(rng, rng.integers(20, 81, n)),
        "das_total": _holes(rng, rng.integers(0, 21, n)),
        "das_skin": _holes(rng, rng.integers(0, 10, n)),
        "catbm_activity": _holes(rng, rng.integers(0, 18, n)),
        "phga_cm": _holes(rng, _grid(rng, n, 0.0, 10.0, 0.1)),
        "ptga_cm": _holes(rng, _grid(rng, n, 0.0, 10.0, 0.1)),
        "extramuscular_cm": _holes(rng, _grid(rng, n, 0.0, 10.0, 0.1)),
        "chaq": _holes(rng, _grid(rng, n, 0.0, 3.0, 0.125)),
        "ck_u_l": _holes(rng, rng.integers(20, 5000, n)),
        "ck_uln_u_l": np.full(n, 190.0),
        "aldolase_u_l": np.full(n, np.nan),
        "ast_u_l": _holes(rng, rng.integers(10, 400, n)),
        "ast_uln_u_l": np.full(n, 40.0),
        "alt_u_l": _holes(rng, rng.integers(5, 400, n)),
        "alt_uln_u_l": np.full(n, 45.0),
        "ldh_u_l": _holes(rng, rng.integers(100, 1500, n)),
        "ldh_uln_u_l": np.full(n, 250.0),
        "rash": _booleans(rng, n, 0.6),
        "skin_ulceration_active": _booleans(rng, n, 0.05),
        "erythema": _booleans(rng, n, 0.4),
        "cs_mg_kg_day": _holes(rng, _grid(rng, n, 0.0, 2.0, 0.01)),
        "new_immunosuppressant": _booleans(rng, n, 0.05),
        "jaki_mg_day": _holes(rng, jaki_mg_day),
        "jaki_mg_kg_day": jaki_mg_day / weight,
        "egfr": _holes(rng, _grid(rng, n, 20.0, 160.0, 0.1)),
    }, index=pd.RangeIndex(2, n + 2, name="row"))
    patients = pd.DataFrame({
        "patient_id": pd.Series(ids, dtype=object),
        "jaki_drug": pd.Series(rng.choice(["tofacitinib", "ruxolitinib", "baricitinib"],
                                          n_patients), dtype=object),
        "age_onset_years": _holes(rng, _grid(rng, n_patients, 0.2, 15.0, 0.1)),
        "ild": _booleans(rng, n_patients, 0.1),
        "dysphagia": _booleans(rng, n_patients, 0.1),
        "gi_involvement": _booleans(rng, n_patients, 0.05),
        "cardiac_involvement": _booleans(rng, n_patients, 0.02),
        "skin_ulceration": _booleans(rng, n_patients, 0.1),
        "icu_admission": _booleans(rng, n_patients, 0.05),
        "refractory_type": pd.Series(rng.choice(np.array(
            ["gc_ineffective", "gc_dependent", None], dtype=object), n_patients),
            dtype=object),
        "failed_agents_n": _holes(rng, rng.integers(0, 5, n_patients)),
    }, index=pd.RangeIndex(2, n_patients + 2, name="row"))
    events = pd.DataFrame({"patient_id": pd.Series([], dtype=object),
                           "event": pd.Series([], dtype=object),
                           "week": pd.Series([], dtype=np.float64)})
    return visits, patients, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    visits, patients, events = make_cohort(args.patients)
    settings = CriteriaSettings()
    classify(visits.iloc[:400], patients.iloc[:100], events, settings)  # warm-up

    timings = []
    result = None
    for _ in range(args.repeat):
        result = None  # free the previous run's output outside the timed region
        start = time.perf_counter()
        result = classify(visits, patients, events, settings)
        timings.append(time.perf_counter() - start)
    assert result is not None
    best = min(timings)
    rate = len(visits) / best

    tracemalloc.start()
    classify(visits, patients, events, settings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    counts = result.visits["response"].value_counts().to_dict()
    print(f"visits classified:      {len(visits):,} ({args.patients:,} patients x {len(WEEKS)})")
    print(f"wall time (best of {args.repeat}): {best:.3f} s  (all runs: "
          + ", ".join(f"{t:.3f}" for t in timings) + ")")
    print(f"throughput:             {rate:,.0f} visits/s")
    print(f"peak traced memory:     {peak / 2**20:,.0f} MiB (tracemalloc, during classify)")
    print(f"max resident set:       {max_rss_kib / 1024:,.0f} MiB (whole process)")
    print(f"warnings:               {len(result.warnings):,}")
    print(f"response counts:        {counts}")
    met = rate >= TARGET_VISITS_PER_SECOND
    print(f"target {TARGET_VISITS_PER_SECOND:,} visits/s: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
