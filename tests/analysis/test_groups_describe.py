"""The by-group tables' lean summary (groups._describe) is describe_dict to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from jdmtrack.analysis.common import describe_dict
from jdmtrack.analysis.groups import _describe


def _reference(values: np.ndarray, q: int) -> dict:
    summary = describe_dict(values[~np.isnan(values)], q)
    summary.pop("missing")
    return summary


@pytest.mark.parametrize("q", range(1, 10))
def test_same_as_describe_for_every_quantile_type(q):
    """Random samples of 0 to 12 values with ties and missing values (fixed seed): every
    key, in the same order, equal as floats (== compares bits but for NaN, never produced)."""
    rng = np.random.default_rng(q)
    for size in range(13):
        values = rng.choice([np.nan, 0.0, 1.5, 2.0, 2.0, 7.25, -3.0, 1e-9], size)
        values = values + rng.normal(0, 1, size) * (rng.random(size) < 0.5)
        got, want = _describe(values, q), _reference(values, q)
        assert list(got) == list(want)
        assert got == want


def test_no_value_and_one_value():
    """n = 0: every statistic None; n = 1: no SD (it needs two values)."""
    assert _describe(np.array([np.nan, np.nan]), 6) == {
        "n": 0, "median": None, "q1": None, "q3": None, "mean": None, "sd": None,
        "min": None, "max": None}
    one = _describe(np.array([np.nan, 4.5]), 6)
    assert (one["n"], one["median"], one["q1"], one["q3"], one["sd"]) == (1, 4.5, 4.5, 4.5, None)
