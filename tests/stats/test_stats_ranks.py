"""Mid-ranks (jdmtrack.stats._ranks), which replace scipy.stats.rankdata at import time.

Expected ranks are written out by hand from the definition used by R
``rank(x, ties.method = "average", na.last = "keep")``: a run of t tied values occupying sorted
positions s + 1, ..., s + t gets s + (t + 1) / 2, and a missing value stays missing.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.errors import ComputationError
from jdmtrack.stats._ranks import doubled_midranks, midranks

NAN = math.nan


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([7.0], [1.0]),
        ([3.0, 1.0, 2.0], [3.0, 1.0, 2.0]),
        ([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
        ([10.0, 20.0, 10.0, 30.0], [1.5, 3.0, 1.5, 4.0]),
        ([52.0, 52.0, 40.0, 52.0, 41.0], [4.0, 4.0, 1.0, 4.0, 2.0]),  # CMAS ceiling ties
        ([0.5, -1.0, 0.5, -1.0, 3.0, 0.5], [4.0, 1.5, 4.0, 1.5, 6.0, 4.0]),
    ],
)
def test_midranks_by_hand(values: list[float], ranks: list[float]) -> None:
    assert midranks(values).tolist() == ranks
    assert doubled_midranks(values).tolist() == [int(2 * r) for r in ranks]


def test_rows_are_ranked_separately() -> None:
    """Friedman ranks the weeks within each patient (the last axis)."""
    table = [[4.0, 1.0, 4.0], [9.0, 9.0, 9.0], [1.0, 2.0, 3.0]]
    assert midranks(table).tolist() == [[2.5, 1.0, 2.5], [2.0, 2.0, 2.0], [1.0, 2.0, 3.0]]
    assert doubled_midranks(table).dtype == np.int64


def test_nan_is_left_out_of_its_row() -> None:
    """Skillings-Mack: a missing week stays NaN and the observed weeks of that patient are
    ranked among themselves (scipy's ``nan_policy="omit"``)."""
    table = [
        [30.0, NAN, 10.0, 30.0],   # 30, 10, 30 -> 2.5, 1, 2.5
        [NAN, 5.0, 5.0, NAN],      # two tied values -> 1.5 each
        [NAN, NAN, 8.0, NAN],      # a single value -> 1
        [NAN, NAN, NAN, NAN],
        [4.0, 3.0, 2.0, 1.0],
    ]
    expected = [
        [2.5, NAN, 1.0, 2.5],
        [NAN, 1.5, 1.5, NAN],
        [NAN, NAN, 1.0, NAN],
        [NAN, NAN, NAN, NAN],
        [4.0, 3.0, 2.0, 1.0],
    ]
    np.testing.assert_array_equal(midranks(table), np.array(expected))


def test_empty_input_and_nan_refused_where_ranks_must_be_integers() -> None:
    assert midranks([]).shape == (0,)
    assert doubled_midranks(np.empty((0, 3))).shape == (0, 3)
    with pytest.raises(ComputationError, match="NaN"):
        doubled_midranks([1.0, NAN])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.integers(0, 4).map(float), st.just(NAN)),
                         min_size=4, max_size=4), min_size=1, max_size=6))
def test_agrees_with_scipy_rankdata(rows: list[list[float]]) -> None:
    """The replaced call, ``rankdata(method="average", axis=1, nan_policy="omit")``."""
    from scipy.stats import rankdata

    expected = rankdata(np.array(rows), method="average", axis=1, nan_policy="omit")
    np.testing.assert_array_equal(midranks(rows), expected)


def test_importing_jdmtrack_stats_does_not_import_scipy_stats() -> None:
    """scipy.stats costs about 0.5 s of start-up; nothing in jdmtrack.stats needs it at import
    (binomial_test with p != 1/2 imports it when called)."""
    code = "import sys, jdmtrack.stats; print('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
