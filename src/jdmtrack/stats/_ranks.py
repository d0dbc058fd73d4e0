"""Mid-ranks (average ranks for ties) along the last axis, in plain numpy.

These replace ``scipy.stats.rankdata(method="average")``: importing ``scipy.stats`` costs about
half a second of start-up, and the statistics modules only need mid-ranks. The ranks are those
of R ``rank(x, ties.method = "average")``: a group of tied values occupying sorted positions
s + 1, ..., e all get (s + 1 + e) / 2. Twice that, s + e + 1, is an integer, so the doubled
ranks are computed exactly in integer arithmetic and halved only when float ranks are asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import FloatArray, IntArray

__all__ = ["doubled_midranks", "midranks"]


def _doubled_ignoring_nan(values: Any) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Doubled mid-ranks along the last axis and the NaN mask (NaN entries get junk ranks)."""
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    missing = np.isnan(array)
    if array.size == 0:
        return np.zeros(array.shape, dtype=np.int64), missing
    k = array.shape[-1]
    table = array.reshape(-1, k)
    order = np.argsort(table, axis=1, kind="stable")
    ordered = np.take_along_axis(table, order, axis=1)
    # A group of ties starts where the sorted value changes, and at the start of every row.
    # NaN sorts after every number and NaN != NaN, so each NaN is a group of its own at the
    # end of its row and the ranks of the numbers are those of the numbers alone.
    starts = np.ones(table.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.flatnonzero(starts)
    after = np.append(first[1:], table.size)
    row_start = (first // k) * k
    doubled_per_group = (first - row_start) + (after - row_start) + 1
    doubled_sorted = doubled_per_group[np.cumsum(starts.ravel()) - 1].reshape(table.shape)
    doubled = np.empty(table.shape, dtype=np.int64)
    np.put_along_axis(doubled, order, doubled_sorted, axis=1)
    return doubled.reshape(array.shape), missing


def doubled_midranks(values: Any) -> IntArray:
    """Twice the mid-ranks of ``values`` along the last axis, as exact integers.

    Raises
    ------
    ComputationError
        If a value is NaN (use ``midranks``, which leaves NaN out of the ranking).

    Examples
    --------
    >>> doubled_midranks([30.0, 10.0, 20.0, 10.0])      # ranks 4, 1.5, 3, 1.5
    array([8, 3, 6, 3])
    >>> doubled_midranks([[5, 5, 5], [3, 1, 2]])        # one row per patient
    array([[4, 4, 4],
           [6, 2, 4]])
    """
    doubled, missing = _doubled_ignoring_nan(values)
    if missing.any():
        raise ComputationError("cannot rank missing values (NaN) here; drop them first")
    return doubled


def midranks(values: Any) -> FloatArray:
    """Mid-ranks of ``values`` along the last axis, leaving NaN out of the ranking.

    A NaN stays NaN and the other values of its row are ranked among themselves, as
    ``scipy.stats.rankdata(values, method="average", axis=-1, nan_policy="omit")`` and R
    ``rank(x, na.last = "keep")``.

    Examples
    --------
    >>> midranks([[3.0, float("nan"), 1.0, 3.0], [4.0, 4.0, 2.0, 9.0]])
    array([[2.5, nan, 1. , 2.5],
           [2.5, 2.5, 1. , 4. ]])
    """
    doubled, missing = _doubled_ignoring_nan(values)
    ranks: FloatArray = np.where(missing, np.nan, doubled / 2.0)
    return ranks
