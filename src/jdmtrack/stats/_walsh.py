"""Order statistics of the Walsh averages without building them.

The n(n + 1)/2 Walsh averages (d_i + d_j)/2, i <= j, of n differences are the upper
triangle of a matrix whose rows and columns are sorted once d is sorted. The k-th smallest
is found by selection on that implicit matrix (Johnson & Mizoguchi 1978; Monahan 1984):
each round takes the weighted median of the row medians of the entries still in play as a
pivot, counts in every row the entries below and at the pivot (one vectorised binary
search per row, O(n log n)), and keeps only the side holding the k-th; at least a quarter
of the entries in play go each round, so there are O(log n) rounds, in O(n) memory. When
at most ``_GATHER`` entries are left they are gathered and partitioned.

The values are the same floating-point numbers as computing every ``(d[i] + d[j]) / 2``:
comparisons are made on the rounded sums ``d[i] + d[j]`` themselves (halving is exact), so
ties and rounding are decided as the full sort decided them.

References
----------
Johnson DB, Mizoguchi T. Selecting the Kth element in X + Y and X1 + X2 + ... + Xm.
SIAM J Comput. 1978;7(2):147-153.
Monahan JF. Algorithm 616: fast computation of the Hodges-Lehmann location estimator.
ACM Trans Math Softw. 1984;10(3):265-270.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from jdmtrack.stats._common import FloatArray, IntArray

__all__ = ["walsh_order_statistics"]

# Below this many entries in play, gather them and partition (O(n) memory at the threshold).
_GATHER_PER_ROW = 4


def walsh_order_statistics(d: FloatArray, ks: list[int]) -> list[float]:
    """The Walsh averages of ranks ``ks`` (0-based) in the sorted order, from sorted ``d``.

    >>> d = np.array([-0.5, 1.0, 1.5, 2.0])
    >>> walsh_order_statistics(d, [0, 4, 9])  # all ten: -0.5 .25 .5 .75 1 1.25 1.5 1.5 1.75 2
    [-0.5, 1.0, 2.0]
    """
    return [_select(d, k) / 2.0 for k in ks]


def _row_counts(d: FloatArray, pivot: float, strict: bool) -> IntArray:
    """Per row i: how many j >= i have fl(d_i + d_j) < pivot (strict) or <= pivot.

    A binary search on pivot - d_i gives the place up to the rounding of that difference;
    it is then moved, a run of equal d_j at a time, until the rounded sums themselves
    decide it, as a full sort would have.
    """
    n = d.size
    side: Literal["left", "right"] = "left" if strict else "right"
    cut = np.searchsorted(d, pivot - d, side=side)

    def inside(j: IntArray, rows: IntArray) -> np.ndarray:
        sums = d[rows] + d[j]
        return sums < pivot if strict else sums <= pivot

    rows = np.arange(n)
    while True:  # too far right: the last counted entry is not below the pivot
        down = (cut > 0) & ~inside(np.maximum(cut - 1, 0), rows)
        if not down.any():
            break
        cut[down] = np.searchsorted(d, d[cut[down] - 1], side="left")
    while True:  # too far left: the first entry not counted is below the pivot
        up = (cut < n) & inside(np.minimum(cut, n - 1), rows)
        if not up.any():
            break
        cut[up] = np.searchsorted(d, d[cut[up]], side="right")
    counts: IntArray = np.maximum(cut - rows, 0)
    return counts


def _select(d: FloatArray, k: int) -> float:
    """The k-th smallest (0-based) rounded sum d_i + d_j, i <= j."""
    n = d.size
    rows = np.arange(n)
    low = np.zeros(n, dtype=np.int64)  # entries of row i known to be below the k-th
    high = n - rows  # entries of row i that may be at or below the k-th
    while True:
        left = high - low
        total = int(left.sum())
        if total <= _GATHER_PER_ROW * n:
            live = np.flatnonzero(left)
            starts = np.repeat(live + low[live], left[live])
            offsets = np.arange(total) - np.repeat(np.cumsum(left[live]) - left[live], left[live])
            sums = d[np.repeat(live, left[live])] + d[starts + offsets]
            rank = k - int(low.sum())
            return float(np.partition(sums, rank)[rank])
        live = np.flatnonzero(left)
        middle = d[live] + d[live + low[live] + left[live] // 2]
        order = np.argsort(middle, kind="stable")
        weights = np.cumsum(left[live][order])
        pivot = float(middle[order][np.searchsorted(weights, total / 2.0)])
        below = _row_counts(d, pivot, strict=True)
        at_or_below = _row_counts(d, pivot, strict=False)
        if k < int(below.sum()):
            high = np.minimum(high, below)
        elif k < int(at_or_below.sum()):
            return pivot
        else:
            low = np.maximum(low, at_or_below)
