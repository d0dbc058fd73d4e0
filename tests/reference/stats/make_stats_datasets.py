"""Write the reference data sets of tests/reference/stats/data/ (run once; the CSVs are pinned).

Usage (from the repository root)::

    python tests/reference/stats/make_stats_datasets.py

The values are synthetic, JDM-like (CMAS 0-52 with its ceiling at 52, CK in U/L with one
decimal, weeks 0/12/24/52...), drawn from ``numpy.random.default_rng`` with fixed seeds, plus
hand-made edge cases. Missing values are written as empty cells. After regenerating, run
``Rscript tests/reference/stats/reference.R`` to refresh ``expected.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _write(name: str, header: list[str], rows: list[list[float | int | str | None]]) -> None:
    with (DATA / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([v if isinstance(v, str) else _fmt(v) for v in row])


def _cmas(rng: np.random.Generator, n: int, centre: float, spread: float) -> np.ndarray:
    return np.clip(np.rint(rng.normal(centre, spread, n)), 0, 52)


def paired_sets() -> dict[str, tuple[list[float | None], list[float | None]]]:
    rng = np.random.default_rng(20240601)
    sets: dict[str, tuple[list[float | None], list[float | None]]] = {}
    base = [30.0, 32, 35, 40, 41, 44]
    sets["paired_01_hand_n6"] = (base, [b + d for b, d in zip(base, [1, 2, 3, 4, 5, 6], strict=True)])
    base = [20.0, 25, 31, 38, 44]
    sets["paired_02_n5_floor"] = (base, [b + d for b, d in zip(base, [3, 1, 4, 2, 5], strict=True)])
    sets["paired_03_n4_ties"] = ([40.0, 41, 45, 47], [42.0, 43, 44, 50])
    x = [29.0, 33, 38, 41, 41, 43, 44, 46, 50, 52]
    sets["paired_04_landscape_n10"] = (x, [35.0, 40, 38, 47, 44, 52, 50, 46, 52, 52])
    b = _cmas(rng, 12, 38, 8)
    f = np.minimum(52, b + rng.integers(-2, 12, 12))
    f[:3] = 52
    b[0] = 52
    sets["paired_05_cmas_ceiling_n12"] = (b.tolist(), f.tolist())
    b = rng.integers(10, 30, 20).astype(float)
    f = b + rng.choice([-2, -1, 0, 0, 1, 2, 2, 3, 3, 4], 20)
    sets["paired_06_ties_zeros_n20"] = (b.tolist(), f.tolist())
    b = np.round(np.exp(rng.normal(6.5, 1.0, 30)), 1)
    f = np.round(b * np.exp(rng.normal(-0.8, 0.6, 30)), 1)
    sets["paired_07_ck_decimals_n30"] = (b.tolist(), f.tolist())
    b = rng.integers(0, 20, 45).astype(float)
    f = b + rng.integers(-3, 6, 45)
    sets["paired_08_ties_n45"] = (b.tolist(), f.tolist())
    b = _cmas(rng, 60, 40, 9)
    f = np.minimum(52, b + rng.integers(-3, 10, 60))
    bl: list[float | None] = b.tolist()
    fl: list[float | None] = f.tolist()
    for i in (3, 17, 29, 44):
        bl[i] = None
    for i in (8, 17, 50, 51, 59):
        fl[i] = None
    sets["paired_09_cmas_missing_n60"] = (bl, fl)
    sets["paired_10_missing_n8"] = (
        [31.0, None, 40, 42, 35, None, 48, 30],
        [36.0, 44, None, 47, 41, None, 52, 38],
    )
    sets["paired_11_all_zero_n7"] = ([52.0] * 4 + [40, 41, 45], [52.0] * 4 + [40, 41, 45])
    sets["paired_12_single_pair"] = ([30.0], [37.0])
    b = np.round(rng.normal(100, 15, 15), 2)
    f = np.round(b + rng.normal(4, 6, 15), 2)
    sets["paired_13_no_ties_n15"] = (b.tolist(), f.tolist())
    b = np.arange(25, dtype=float) * 3 + 1
    f = b + (np.arange(1, 26) * rng.choice([-1, 1], 25, p=[0.3, 0.7]))
    sets["paired_14_no_ties_n25"] = (b.tolist(), f.tolist())
    b = np.where(rng.random(50) < 0.5, 52, _cmas(rng, 50, 44, 6))
    f = np.where(rng.random(50) < 0.7, 52, np.minimum(52, b + rng.integers(-4, 8, 50)))
    sets["paired_15_ceiling_n50"] = (b.tolist(), f.tolist())
    sets["paired_16_constant_baseline_n9"] = (
        [52.0] * 9, [52.0, 50, 48, 52, 45, 51, 49, 52, 47]
    )
    b = np.round(np.exp(rng.normal(7.5, 0.8, 40)), 1)
    f = np.round(b * np.exp(rng.normal(-1.2, 0.5, 40)), 1)
    sets["paired_17_ck_decrease_n40"] = (b.tolist(), f.tolist())
    return sets


def repeated_sets() -> dict[str, tuple[list[float], np.ndarray]]:
    rng = np.random.default_rng(20240602)
    sets: dict[str, tuple[list[float], np.ndarray]] = {}
    sets["repeated_01_n5_k3"] = (
        [0.0, 12, 24],
        np.array([[30, 35, 41], [28, 33, 32], [40, 46, 50], [35, 34, 44], [22, 30, 36]], float),
    )
    sets["repeated_02_n4_k4_ties"] = (
        [0.0, 4, 12, 24],
        np.array([[30, 30, 35, 40], [41, 44, 44, 44], [20, 28, 25, 28], [50, 52, 52, 52]], float),
    )
    base = _cmas(rng, 6, 36, 8)
    sets["repeated_03_n6_k4_cmas"] = (
        [0.0, 12, 24, 52],
        np.column_stack([base] + [np.minimum(52, base + rng.integers(0, 10, 6) + 3 * j)
                                  for j in range(1, 4)]),
    )
    table = np.column_stack([_cmas(rng, 10, 35 + 4 * j, 7) for j in range(3)])
    table[2, 1] = np.nan
    table[7, 2] = np.nan
    sets["repeated_04_n10_k3_missing"] = ([0.0, 12, 24], table)
    patient = rng.normal(0, 1, 20)
    sets["repeated_05_n20_k4"] = (
        [0.0, 12, 24, 52],
        np.round(np.column_stack([patient + 0.25 * j + rng.normal(0, 1, 20) for j in range(4)]),
                 3),
    )
    table = np.column_stack([_cmas(rng, 12, 34 + 3 * j, 8) for j in range(5)])
    for i, j in [(0, 2), (3, 4), (5, 1), (5, 2), (9, 3), (11, 4)]:
        table[i, j] = np.nan
    sets["repeated_06_n12_k5_missing"] = ([0.0, 4, 12, 24, 52], table)
    sets["repeated_07_all_equal"] = ([0.0, 12, 24], np.full((6, 3), 52.0))
    base = _cmas(rng, 30, 44, 7)
    table = np.column_stack([base] + [np.minimum(52, base + rng.integers(-2, 6, 30) + 2 * j)
                                      for j in range(1, 4)])
    table[4, 3] = np.nan
    sets["repeated_08_n30_k4_ceiling"] = ([0.0, 12, 24, 52], table)
    table = np.column_stack([np.full(8, 40.0), _cmas(rng, 8, 42, 5), _cmas(rng, 8, 46, 5)])
    sets["repeated_09_n8_k3_constant_week"] = ([0.0, 12, 24], table)
    patient = rng.normal(30, 8, 60)
    table = np.round(np.column_stack([patient + 2.0 * j + rng.normal(0, 4, 60)
                                      for j in range(3)]), 1)
    sets["repeated_10_n60_k3"] = ([0.0, 24, 52], table)
    patient = rng.normal(38, 6, 15)
    table = np.column_stack([np.minimum(52, np.rint(patient + 3 * j + rng.normal(0, 3, 15)))
                             for j in range(4)])
    for i, j in [(1, 1), (2, 3), (4, 2), (4, 3), (8, 1), (13, 0)]:
        table[i, j] = np.nan
    sets["repeated_11_n15_k4_missing"] = ([0.0, 12, 24, 52], table)
    # Patient means all equal: no between-patient variance (a singular mixed-model fit).
    pattern = np.array([[3.0, -1, -2], [-2, 4, -2], [1, -3, 2], [-1, -1, 2], [0, 2, -2],
                        [2, 0, -2], [-3, 1, 2], [0, -2, 2], [1, 1, -2], [-1, 0, 1]])
    sets["repeated_12_n10_k3_singular"] = ([0.0, 12, 24], 40.0 + np.array([0, 2, 5]) + pattern)
    sets["repeated_13_n7_k4_subgroup"] = (
        [0.0, 12, 24, 52],
        np.array([[29, 38, 44, 48], [41, 44, 47, 52], [24, 33, 41, 45], [44, 44, 50, 52],
                  [38, 41, 41, 49], [33, 40, 46, 52], [41, 49, 52, 52]], float),
    )
    table = np.column_stack([_cmas(rng, 25, 40 + 0.8 * j, 6) for j in range(5)])
    table[6, 2] = np.nan
    sets["repeated_14_n25_k5_weak"] = ([0.0, 4, 12, 24, 52], table)
    sets["repeated_15_n9_k2"] = (
        [0.0, 12],
        np.array([[30, 36], [41, 41], [38, 45], [50, 52], [44, 43], [29, 40], [35, 37],
                  [52, 52], [40, 47]], float),
    )
    return sets


def survival_sets() -> dict[str, tuple[list[float], list[int]]]:
    rng = np.random.default_rng(20240603)
    sets: dict[str, tuple[list[float], list[int]]] = {}
    sets["survival_01_n10"] = (
        [4.0, 8, 8, 12, 16, 20, 24, 30, 36, 52], [1, 1, 0, 1, 0, 1, 1, 0, 1, 0]
    )
    sets["survival_02_no_events"] = ([12.0, 24, 24, 36, 52], [0, 0, 0, 0, 0])
    sets["survival_03_plateau_half"] = (
        [1.0, 2, 3, 4, 5, 9, 10, 11, 12, 13], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]
    )
    t = np.rint(rng.exponential(30, 25)) + 1
    sets["survival_04_n25_ties"] = (t.tolist(), (rng.random(25) < 0.75).astype(int).tolist())
    t = np.rint(rng.exponential(80, 40)) + 1
    sets["survival_05_n40_heavy_censoring"] = (
        np.minimum(t, 52).tolist(), ((rng.random(40) < 0.4) & (t < 52)).astype(int).tolist()
    )
    sets["survival_06_all_events"] = ([3.0, 6, 6, 9, 14, 20, 26], [1] * 7)
    sets["survival_07_n4"] = ([5.0, 10, 15, 20], [1, 0, 1, 0])
    sets["survival_08_ends_at_half"] = ([1.0, 2, 3, 4], [1, 1, 0, 0])
    sets["survival_09_early_censoring"] = (
        [1.0, 1, 2, 6, 8, 8, 12, 16, 16, 20, 24, 40], [0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1]
    )
    return sets


COUNTS: list[tuple[str, str, float, float]] = [
    ("binom_01", "binom", 0, 10), ("binom_02", "binom", 10, 10), ("binom_03", "binom", 3, 7),
    ("binom_04", "binom", 1, 1), ("binom_05", "binom", 0, 1), ("binom_06", "binom", 12, 40),
    ("binom_07", "binom", 25, 60), ("binom_08", "binom", 5, 5), ("binom_09", "binom", 7, 20),
    ("mcnemar_01", "mcnemar", 0, 5), ("mcnemar_02", "mcnemar", 0, 6),
    ("mcnemar_03", "mcnemar", 2, 9), ("mcnemar_04", "mcnemar", 5, 5),
    ("mcnemar_05", "mcnemar", 1, 0), ("mcnemar_06", "mcnemar", 10, 3),
    ("mcnemar_07", "mcnemar", 17, 31),
    ("poisson_01", "poisson", 0, 52), ("poisson_02", "poisson", 3, 104),
    ("poisson_03", "poisson", 12, 1300.5), ("poisson_04", "poisson", 1, 7),
    ("poisson_05", "poisson", 40, 5000), ("poisson_06", "poisson", 7, 365.25),
]

P_VALUES: dict[str, list[float | None]] = {
    "padjust_01": [0.01, 0.04, 0.03, 0.005],
    "padjust_02": [0.2, 0.2, 0.01, 0.5, 1.0],
    "padjust_03": [0.03125, None, 0.0625, 0.015625],
    "padjust_04": [0.001, 0.0125, 0.0125, 0.04, 0.049, 0.3, 0.9],
    "padjust_05": [0.5],
}

QUANTILE_SETS: dict[str, list[float]] = {
    "quantile_01_landscape": [29.0, 33, 38, 41, 41, 43, 44, 46, 50, 52],
    "quantile_02_n1": [41.0],
    "quantile_03_n2": [38.0, 52],
    "quantile_04_n7": [24.0, 29, 33, 38, 41, 44, 52],
    "quantile_05_decimals": [12.3, 0.7, 5.55, 101.25, 33.1, 7.0, 19.9, 2.45, 64.8],
    "quantile_06_ceiling": [52.0, 52, 52, 48, 52, 50, 52, 52, 44, 52, 52],
    "quantile_07_n60": np.round(np.random.default_rng(20240604).gamma(2, 10, 60), 2).tolist(),
}


def main() -> None:
    DATA.mkdir(exist_ok=True)
    for name, (base, follow) in paired_sets().items():
        rows = [[i + 1, b, f] for i, (b, f) in enumerate(zip(base, follow, strict=True))]
        _write(name, ["id", "baseline", "followup"], rows)  # type: ignore[arg-type]
    for name, (weeks, table) in repeated_sets().items():
        rows = []
        for i, row in enumerate(table):
            for week, value in zip(weeks, row, strict=True):
                rows.append([f"P{i + 1:02d}", week, None if np.isnan(value) else float(value)])
        _write(name, ["id", "week", "value"], rows)
    for name, (time, event) in survival_sets().items():
        _write(name, ["time", "event"], [[t, e] for t, e in zip(time, event, strict=True)])
    _write("counts", ["dataset", "kind", "a", "b"], [list(row) for row in COUNTS])
    _write("pvalues", ["dataset", "p"], [[k, p] for k, ps in P_VALUES.items() for p in ps])
    for name, values in QUANTILE_SETS.items():
        _write(name, ["value"], [[v] for v in values])


if __name__ == "__main__":
    main()
