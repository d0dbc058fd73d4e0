"""The random-intercept model's REML criterion by visit pattern, against a dense evaluation.

``stats.mixed`` evaluates lme4's profiled REML criterion from sums over visit patterns
(patients with the same visits). Here it is recomputed from its definition with dense
matrices, V = I + theta^2 Z Z' (Bates et al. 2015, eq. 42)::

    d = log det V + log det(X' V^-1 X) + (N - p) (1 + log(2 pi r^2 / (N - p))),
    r^2 = (y - X b)' V^-1 (y - X b),  b the GLS estimate,

on data with missing visits and with a patient seen twice in one week (a pattern with a
count of 2), to 1e-12 relative; the analytic slope in theta^2 against central differences
of the dense criterion (1e-6). The fitted models themselves are pinned to lme4 in
test_stats_repeated.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from stats_reference import long

from jdmtrack.stats import mixed_model
from jdmtrack.stats._grouping import group_codes
from jdmtrack.stats.mixed import _Design, _patterns


def _dense(x: np.ndarray, y: np.ndarray, index: np.ndarray, theta: float) -> float:
    z = (index[:, None] == np.arange(index.max() + 1)[None, :]).astype(float)
    v = np.eye(y.size) + theta**2 * z @ z.T
    vi = np.linalg.inv(v)
    xtvx = x.T @ vi @ x
    b = np.linalg.solve(xtvx, x.T @ vi @ y)
    e = y - x @ b
    dof = y.size - x.shape[1]
    return float(np.linalg.slogdet(v)[1] + np.linalg.slogdet(xtvx)[1]
                 + dof * (1.0 + math.log(2.0 * math.pi * (e @ vi @ e) / dof)))


def _data(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    ids, weeks, values = long(name)
    keep = ~np.isnan(values)
    index, n = group_codes([i for i, k in zip(ids, keep, strict=True) if k])
    weeks, y = weeks[keep], values[keep]
    levels = sorted(set(weeks.tolist()))
    x = np.column_stack([np.ones(y.size)] + [weeks == w for w in levels[1:]]).astype(float)
    return x, y, index, n


def _twice_in_a_week() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """repeated_11 with its first patient's week-0 row repeated (value + 3)."""
    x, y, index, n = _data("repeated_11_n15_k4_missing")
    return (np.vstack([x, x[:1]]), np.append(y, y[0] + 3.0), np.append(index, index[0]), n)


DATA = {name: _data(name) for name in ("repeated_04_n10_k3_missing",
                                         "repeated_06_n12_k5_missing",
                                         "repeated_11_n15_k4_missing", "repeated_10_n60_k3")}
DATA["twice_in_a_week"] = _twice_in_a_week()


@pytest.mark.parametrize("name", sorted(DATA))
@pytest.mark.parametrize("theta", [0.0, 0.05, 0.7, 2.0, 30.0])
def test_criterion_matches_the_dense_definition(name: str, theta: float) -> None:
    x, y, index, n = DATA[name]
    design = _Design(x, y, index, n)
    assert design.criterion(theta) == pytest.approx(_dense(x, y, index, theta), rel=1e-12)


@pytest.mark.parametrize("name", sorted(DATA))
@pytest.mark.parametrize("theta", [0.3, 1.1])
def test_slope_matches_differences_of_the_dense_criterion(name: str, theta: float) -> None:
    x, y, index, n = DATA[name]
    t2, h = theta**2, 1e-4 * theta**2
    numeric = (_dense(x, y, index, math.sqrt(t2 + h))
               - _dense(x, y, index, math.sqrt(t2 - h))) / (2.0 * h)
    assert _Design(x, y, index, n).slope(t2) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_a_patient_seen_twice_in_a_week_is_fitted() -> None:
    """The duplicated visit makes a pattern of its own; the REML optimum is where the dense
    criterion is lowest nearby."""
    x, y, index, _ = DATA["twice_in_a_week"]
    ids = [f"p{i}" for i in index]
    weeks = [0.0 if row[1:].sum() == 0 else float(np.argmax(row[1:]) + 1) for row in x]
    r = mixed_model(ids, weeks, y)
    assert r.theta is not None and r.theta > 0.0 and r.converged
    at = _dense(x, y, index, r.theta)
    assert r.reml_criterion == pytest.approx(at, rel=1e-12)
    for shift in (0.999, 1.001):
        assert _dense(x, y, index, r.theta * shift) > at


def test_patients_are_told_apart_by_type_and_text() -> None:
    """Coded as the ``str(type(s)) + "|" + str(s)`` labels were: 1 and "1" are two patients,
    1 and True too; ids all of one type str or int are coded as they are."""
    mixed = [1, "1", True, 1.0, "1", 1]
    codes, n = group_codes(mixed)
    labels = [str(type(s)) + "|" + str(s) for s in mixed]
    reference = {label: code for code, label in enumerate(sorted(set(labels)))}
    assert n == 4 and codes.tolist() == [reference[label] for label in labels]
    assert group_codes(["b", "a", "b"])[0].tolist() == [1, 0, 1]
    assert group_codes([10, 2, 10])[0].tolist() == [1, 0, 1]
    assert group_codes(np.array([7, 3, 7]))[0].tolist() == [1, 0, 1]


def test_visit_patterns_by_number_and_by_row_agree() -> None:
    """Rows of visit counts read as base-(max + 1) numbers, or (past 62 bits) compared
    whole: the same grouping."""
    rng = np.random.default_rng(7)
    short = rng.integers(0, 3, size=(200, 4)).astype(float)
    wide = np.repeat(short, 20, axis=1)  # 80 columns in base 3: 127 bits, compared by row
    for counts in (short, wide):
        pattern, first = _patterns(counts)
        assert np.array_equal(counts[first][pattern], counts)
        assert len(first) == len({tuple(row) for row in counts.tolist()})
    by_number, by_row = _patterns(short)[0], _patterns(wide)[0]
    pairs = {(int(a), int(b)) for a, b in zip(by_number, by_row, strict=True)}
    assert len(pairs) == len(set(by_number.tolist())) == len(set(by_row.tolist()))
