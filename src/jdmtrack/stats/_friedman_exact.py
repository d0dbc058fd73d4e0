"""Exact permutation distribution of the Friedman statistic ``S = sum_j R_j^2`` (for ``friedman``).

Under the null hypothesis each patient's k integer scores are permuted uniformly and
independently, and ``R`` is the vector of column (week) sums. The distribution of ``R`` is
exchangeable (relabelling the weeks does not change it) and ``S`` does not depend on the order
of the weeks, so only the *sorted* sum vector is tracked. If ``X`` is exchangeable and
``sorted(X) = x``, then ``X`` is a uniformly random arrangement of ``x``; for a patient's random
ordering ``pi(u)``, independent of ``X``, ``sorted(X + pi(u))`` therefore has the law of
``sorted(x + pi(u))`` with ``x`` in its sorted order. Each step adds every distinct ordering of
the next patient's scores to every sorted state, sorts the sums again and merges equal states.
This keeps about 1/k! of the cells of the dense (k - 1)-dimensional array of column sums that
an unsorted convolution needs.

Probabilities are double precision and are only ever multiplied and added (never subtracted),
so even p-values of order 1e-27 keep a relative error of order 1e-14. Distributions are cached
by the multiset of patients' sorted scores: a report asks for the same tie pattern many times.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np

from jdmtrack.stats._common import FloatArray, IntArray

__all__ = ["statistic_distribution"]

# Sums (orderings x states) made at once: small enough for the buffers to stay in cache.
_BLOCK_ROWS = 1 << 15
# Distributions kept for repeated calls (a few thousand values of S each in a report).
_CACHE_SIZE = 32
# Index arithmetic is done in 32 bits (a third of the time of 64) when it cannot overflow.
_INT32_INDEX_LIMIT = 2**31


def _orderings(
    row: tuple[int, ...], dtype: type[np.signedinteger[Any]]
) -> tuple[IntArray, FloatArray]:
    """Distinct orderings of ``row`` (one per column of the result), and how many of the k!
    permutations give each one."""
    perms = np.array(list(itertools.permutations(row)), dtype=dtype)
    unique, counts = np.unique(perms, axis=0, return_counts=True)
    return np.ascontiguousarray(unique.T), counts.astype(np.float64)


@lru_cache(maxsize=16)
def sorting_network(k: int) -> tuple[tuple[int, int], ...]:
    """Compare-exchange pairs that sort k entries: Batcher's odd-even merge sort.

    Applied elementwise to k arrays it sorts N short vectors at once, several times faster
    than ``np.sort`` along an axis of length k. For k = 4 it is the optimal 5 comparators.

    >>> sorting_network(4)
    ((0, 1), (2, 3), (0, 2), (1, 3), (1, 2))
    """
    pairs: list[tuple[int, int]] = []
    p = 1
    while p < k:
        q = p
        while q >= 1:
            for j in range(q % p, k - q, 2 * q):
                for i in range(min(q, k - j - q)):
                    if (i + j) // (2 * p) == (i + j + q) // (2 * p):
                        pairs.append((i + j, i + j + q))
            q //= 2
        p *= 2
    return tuple(pairs)


class _Convolution:
    """Sorted states (k x m, one per column) and their probabilities, one patient at a time.

    The m x P sums of a step are made a block of states at a time in scratch arrays that are
    reused across blocks and patients, and so stay in the CPU cache: fresh arrays of these
    sizes cost more in page faults than in arithmetic.
    """

    def __init__(self, k: int, dtype: type[np.signedinteger[Any]], max_orderings: int) -> None:
        self.states: IntArray = np.zeros((k, 1), dtype=dtype)
        self.mass: FloatArray = np.ones(1, dtype=np.float64)
        # All sums of all states are congruent modulo ``spacing`` (0: one state, any will do).
        self.spacing = 0
        rows = max(_BLOCK_ROWS, max_orderings)
        self._sums = np.empty((k + 1, rows), dtype=dtype)
        self._index32 = np.empty((2, rows), dtype=np.int32)
        self._index64 = np.empty((2, rows), dtype=np.intp)
        self._contribution = np.empty(rows, dtype=np.float64)
        # Probabilities by state index; all zero between steps.
        self._merged = np.zeros(0, dtype=np.float64)

    def add(self, orderings: IntArray, counts: FloatArray) -> None:
        """Add a patient: ``orderings`` is k x P (one distinct ordering of the scores per
        column), ``counts`` the number of permutations giving each ordering."""
        states, mass = self.states, self.mass
        k, m = states.shape
        n_orderings = orderings.shape[1]
        smallest = int(orderings.min())
        spacing = math.gcd(self.spacing, *(int(v) - smallest for v in orderings[:, 0])) or 1
        # The j-th smallest of x + y lies between x_(j) + min(y) and x_(j) + max(y).
        low = states.min(axis=1) + smallest
        size = (states.max(axis=1) + int(orderings.max()) - low) // spacing + 1
        # Mixed-radix index of (sum - low) / spacing over the k - 1 smallest sums; the
        # largest is the total minus them.
        strides = [1]
        for j in range(k - 2):
            strides.append(strides[-1] * int(size[j]))
        offset = sum(int(low[j]) * strides[j] for j in range(k - 1))
        space = strides[-1] * int(size[k - 2])
        top = sum((int(low[j]) + (int(size[j]) - 1) * spacing) * strides[j] for j in range(k - 1))
        scratch = self._index32 if top < _INT32_INDEX_LIMIT else self._index64
        if self._merged.size < space:
            self._merged = np.zeros(space, dtype=np.float64)
        merged = self._merged[:space]
        network = sorting_network(k)
        block = max(1, _BLOCK_ROWS // n_orderings)
        for first in range(0, m, block):
            width = min(block, m - first)
            rows = n_orderings * width
            sums = [self._sums[j, :rows] for j in range(k + 1)]
            for j in range(k):
                np.add(orderings[j][:, None], states[j, first : first + width][None, :],
                       out=sums[j].reshape(n_orderings, width))
            spare = sums[k]
            for a, b in network:
                np.minimum(sums[a], sums[b], out=spare)
                np.maximum(sums[a], sums[b], out=sums[b])
                sums[a], spare = spare, sums[a]
            index, term = scratch[0, :rows], scratch[1, :rows]
            np.subtract(sums[0], offset, out=index, dtype=index.dtype)
            for j in range(1, k - 1):
                np.multiply(sums[j], strides[j], out=term, dtype=index.dtype)
                index += term
            if spacing > 1:
                index //= spacing
            contribution = self._contribution[:rows]
            np.multiply(counts[:, None], mass[None, first : first + width],
                        out=contribution.reshape(n_orderings, width))
            np.add.at(merged, index, contribution)
        # A state whose probability underflowed to 0 adds nothing (and cannot be the maximum).
        # (``nonzero`` of a float array is several times slower than of a boolean one.)
        kept = np.flatnonzero(merged != 0.0)
        # Dividing by k! once, after merging, keeps whole numbers of permutations exact: a
        # state reached by all k! permutations gets exactly 1, not 24 x (1/24) = 1 - 4e-16.
        self.mass = merged[kept] / math.factorial(k)
        merged[kept] = 0.0
        new_states = np.empty((k, kept.size), dtype=states.dtype)
        largest = new_states[k - 1]
        largest[...] = int(states[:, 0].sum()) + int(orderings[:, 0].sum())
        rest = kept
        for j in range(k - 1):
            # ``//`` by a scalar is several times faster than ``np.divmod``.
            quotient = rest // int(size[j])
            np.multiply(rest - quotient * int(size[j]), spacing, out=new_states[j],
                        casting="unsafe")
            new_states[j] += low[j]
            largest -= new_states[j]
            rest = quotient
        self.states = new_states
        self.spacing = spacing


@lru_cache(maxsize=_CACHE_SIZE)
def statistic_distribution(rows: tuple[tuple[int, ...], ...]) -> tuple[IntArray, FloatArray]:
    """Values of ``S`` (ascending) and their probabilities, for these patients' scores.

    ``rows`` holds each patient's k non-negative integer scores (their order does not matter,
    nor does the order of the patients: callers pass them sorted so that the cache is shared).
    The returned arrays are read-only.

    Examples
    --------
    Two patients with scores 0, 1: the sums are (0, 2) or (2, 0) with probability 1/2, else
    (1, 1).

    >>> s, prob = statistic_distribution(((0, 1), (0, 1)))
    >>> s.tolist(), prob.tolist()
    ([2, 4], [0.5, 0.5])
    """
    k = len(rows[0])
    # The narrowest integers that hold every sum (none exceeds the grand total): less memory
    # traffic in the sorting network.
    grand_total = sum(map(sum, rows))
    dtype = np.int16 if grand_total < 2**15 else np.int32 if grand_total < 2**31 else np.int64
    # A table usually has a few tie patterns, each shared by many patients; all-tied patients
    # add nothing.
    patients = Counter(row for row in rows if any(row))
    tables = {row: _orderings(row, dtype) for row in patients}
    convolution = _Convolution(k, dtype, max((t[0].shape[1] for t in tables.values()), default=1))
    # Patients with many orderings first, while there are few states.
    for row in sorted(patients, key=lambda row: -tables[row][0].shape[1]):
        for _ in range(patients[row]):
            convolution.add(*tables[row])
    states, mass = convolution.states, convolution.mass
    wide = states.astype(np.int64)
    s_of_state = np.einsum("ij,ij->j", wide, wide)
    s_values, position = np.unique(s_of_state, return_inverse=True)
    probabilities = np.zeros(s_values.size, dtype=np.float64)
    np.add.at(probabilities, position, mass)
    s_values.flags.writeable = False
    probabilities.flags.writeable = False
    return s_values, probabilities
