"""Order statistics of all pairwise differences x_i - y_j without forming the m x n of them.

The Hodges-Lehmann shift estimate and its confidence limits are order statistics of the
m n differences. Sorting them all needs m n memory (a 20,000-patient comparison would need
gigabytes), so beyond ``FULL_SORT_MAX`` differences we select: with x and y sorted, row i of
the difference matrix, x_i - y_(n), ..., x_i - y_(1), is ascending (floating-point subtraction
is monotone), so the number of differences below a pivot is found by a vectorised bisection
in every row, O(m log n). A random pivot drawn from the still-possible differences of each
row shrinks the candidate set by a constant factor on average, so a k-th smallest takes
O(log(mn)) rounds, O(m log n log(mn)) time and O(m + n) memory (Johnson & Mizoguchi 1978;
Monahan 1984 for the one-sample case). The pivot is an actual difference computed the same
way as in the full sort, so both routes give bit-identical values.

References
----------
Johnson DB, Mizoguchi T. Selecting the Kth element in X + Y and X1 + X2 + ... + Xm. SIAM J
Comput. 1978;7:147-153.
Monahan JF. Fast computation of the Hodges-Lehmann location estimator. ACM Trans Math Softw.
1984;10:265-270.
"""

from __future__ import annotations

import numpy as np

from jdmtrack.stats._common import FloatArray, IntArray

__all__ = ["FULL_SORT_MAX", "difference_order_statistics"]

#: Up to this many differences they are formed and partitioned (8 MB of float64).
FULL_SORT_MAX = 1_000_000
# Once this few candidates remain they are gathered and partitioned directly.
_GATHER_MAX = 4096
# Fixed seed: the result does not depend on the pivots, only the running time does.
_PIVOT_SEED = 1984


def _count_below(x: FloatArray, y_desc: FloatArray, t: float, strict: bool) -> IntArray:
    """Per row i, how many of x_i - y_desc[j] (ascending in j) are < t (or <= t)."""
    lo = np.zeros(x.size, dtype=np.int64)
    hi = np.full(x.size, y_desc.size, dtype=np.int64)
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        probe = x - y_desc[np.minimum(mid, y_desc.size - 1)]
        below = (probe < t) if strict else (probe <= t)
        below &= active
        lo = np.where(below, mid + 1, lo)
        hi = np.where(active & ~below, mid, hi)


def _select(x: FloatArray, y_desc: FloatArray, k: int, rng: np.random.Generator) -> float:
    """The k-th smallest (0-based) of x_i - y_desc[j] over all i, j."""
    left = np.zeros(x.size, dtype=np.int64)  # candidates of row i: j in [left_i, right_i)
    right = np.full(x.size, y_desc.size, dtype=np.int64)
    while True:
        # Every difference left of the candidates is below them all, every one right of them
        # above them all: the answer is the (k - sum(left))-th smallest candidate.
        target = k - int(left.sum())
        widths = right - left
        ends = np.cumsum(widths)
        total = int(ends[-1])
        if total <= _GATHER_MAX:
            rows = np.repeat(np.arange(x.size), widths)
            cols = np.arange(total) - np.repeat(ends - widths - left, widths)
            values = x[rows] - y_desc[cols]
            return float(np.partition(values, target)[target])
        pick = int(rng.integers(total))
        row = int(np.searchsorted(ends, pick, side="right"))
        col = int(left[row] + pick - (ends[row] - widths[row]))
        pivot = float(x[row] - y_desc[col])
        less = _count_below(x, y_desc, pivot, strict=True)
        at_most = _count_below(x, y_desc, pivot, strict=False)
        if int(less.sum()) <= k < int(at_most.sum()):
            return pivot
        if k < int(less.sum()):
            right = np.minimum(right, less)
        else:
            left = np.maximum(left, at_most)


def difference_order_statistics(x: FloatArray, y: FloatArray, ks: list[int]) -> list[float]:
    """The ``ks``-th smallest (0-based) of the m n differences x_i - y_j.

    >>> difference_order_statistics(np.array([1.0, 4.0]), np.array([0.0, 2.0]), [0, 1, 2, 3])
    [-1.0, 1.0, 2.0, 4.0]
    """
    if x.size * y.size <= FULL_SORT_MAX:
        diffs = np.subtract.outer(x, y).ravel()
        ordered = np.partition(diffs, sorted(set(ks)))
        return [float(ordered[k]) for k in ks]
    rng = np.random.default_rng(_PIVOT_SEED)
    xs = np.sort(x)
    y_desc = np.sort(y)[::-1].copy()
    return [_select(xs, y_desc, k, rng) for k in ks]
