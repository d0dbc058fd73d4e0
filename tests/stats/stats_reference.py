"""Access to the pinned R reference values of tests/reference/stats (no R needed).

``expected.csv`` holds ``dataset,key,value`` rows written by ``reference.R``; vectors are
stored as ``key.1``, ``key.2``, ... and R's missing values as ``NA`` (read as ``None``).
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "stats"
DATA = REFERENCE / "data"

#: The probabilities reference.R passes to quantile(); keep in the same order.
PROBS = (0.0, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 1.0)

#: Tolerances of the acceptance criteria (issue 4).
EXACT_REL = 1e-9
MIXED_REL = 1e-6
MONTE_CARLO_ABS = 1e-3


@cache
def expected() -> dict[str, dict[str, float | None]]:
    table: dict[str, dict[str, float | None]] = {}
    with (REFERENCE / "expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            value = None if row["value"] == "NA" else float(row["value"])
            table.setdefault(row["dataset"], {})[row["key"]] = value
    return table


def value(dataset: str, key: str) -> float | None:
    return expected()[dataset][key]


def has(dataset: str, key: str) -> bool:
    return key in expected()[dataset] or f"{key}.1" in expected()[dataset]


def vector(dataset: str, key: str) -> list[float | None]:
    entries = expected()[dataset]
    out: list[float | None] = []
    i = 1
    while f"{key}.{i}" in entries:
        out.append(entries[f"{key}.{i}"])
        i += 1
    if not out and key in entries:
        out.append(entries[key])
    return out


def datasets(prefix: str) -> list[str]:
    return sorted(p.stem for p in DATA.glob(f"{prefix}*.csv"))


def _number(text: str) -> float:
    return math.nan if text == "" else float(text)


def read_columns(name: str) -> dict[str, list[str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {key: [row[key] for row in rows] for key in rows[0]}


def paired(name: str) -> tuple[np.ndarray, np.ndarray]:
    columns = read_columns(name)
    return (np.array([_number(v) for v in columns["baseline"]]),
            np.array([_number(v) for v in columns["followup"]]))


def long(name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    columns = read_columns(name)
    return (columns["id"], np.array([float(v) for v in columns["week"]]),
            np.array([_number(v) for v in columns["value"]]))


def survival(name: str) -> tuple[np.ndarray, np.ndarray]:
    columns = read_columns(name)
    return np.array([float(v) for v in columns["time"]]), np.array(
        [int(v) for v in columns["event"]])


def close(actual: float | None, reference: float | None, rel: float = EXACT_REL,
          abs_tol: float = 1e-12) -> bool:
    if reference is None or actual is None:
        return actual is None and reference is None
    return math.isclose(actual, reference, rel_tol=rel, abs_tol=abs_tol)


def assert_close(actual: float | None, reference: float | None, what: str,
                 rel: float = EXACT_REL, abs_tol: float = 1e-12) -> None:
    if not close(actual, reference, rel, abs_tol):
        raise AssertionError(f"{what}: got {actual!r}, R gives {reference!r} (rel {rel})")
