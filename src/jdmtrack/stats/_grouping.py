"""Codes for the groups of long-format data (patients, sites) and sums of rows by group,
shared by the mixed models."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from jdmtrack.stats._common import FloatArray


def group_codes(labels: Sequence[Hashable] | np.ndarray[Any, Any]
                ) -> tuple[np.ndarray[Any, Any], int]:
    """(code of each row's group, number of groups), codes in sorted order of the labels.

    Labels are told apart by type and text (1 and "1" are two patients), as ``str(type(s))
    + "|" + str(s)`` would; labels all str or all int (a cohort's ids), or an integer
    array, are coded as they are, by hashing (pandas), which tells them apart the same way
    at a fraction of the cost.

    >>> codes, n = group_codes(["b", "a", "b"])
    >>> codes.tolist(), n
    ([1, 0, 1], 2)
    >>> group_codes([1, "1", 1])[1]
    2
    """
    import pandas as pd

    if isinstance(labels, np.ndarray) and labels.dtype.kind == "i":
        codes, uniques = pd.factorize(labels, sort=True)
        return np.asarray(codes, dtype=np.int64), len(uniques)
    values = list(labels)
    kinds = set(map(type, values))
    if not (kinds <= {str} or kinds <= {int}):
        values = [str(type(s)) + "|" + str(s) for s in values]
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=True)
    return np.asarray(codes, dtype=np.int64), len(uniques)


def sum_rows(index: np.ndarray[Any, Any], size: int, values: FloatArray) -> FloatArray:
    """Sums of the rows of the matrix ``values`` by ``index`` (``size`` groups).

    >>> sum_rows(np.array([0, 1, 0]), 2, np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    array([[6., 8.],
           [3., 4.]])
    """
    return np.stack([np.bincount(index, weights=values[:, j], minlength=size)
                     for j in range(values.shape[1])], axis=1)
