"""The exact permutation distribution behind ``friedman_test`` (jdmtrack.stats._friedman_exact).

The R values pinned in tests/reference/stats are checked in test_stats_friedman.py; here the
distribution itself is checked against complete enumeration of the (k!)^n arrangements, and
the parts of the sorted-state convolution (sorting network, 32-bit scratch, cache) separately.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.stats import _friedman_exact, friedman_permutation_p, friedman_test
from jdmtrack.stats._friedman_exact import sorting_network, statistic_distribution


def _brute_force(rows: tuple[tuple[int, ...], ...]) -> dict[int, float]:
    """P(S = s) by enumerating every within-patient permutation (equally likely)."""
    k = len(rows[0])
    sums = np.zeros((1, k), dtype=np.int64)
    for row in rows:
        perms = np.array(list(itertools.permutations(row)), dtype=np.int64)
        sums = (sums[:, None, :] + perms[None, :, :]).reshape(-1, k)
    s_values, counts = np.unique(np.sum(sums**2, axis=1), return_counts=True)
    return {int(s): c / sums.shape[0] for s, c in zip(s_values, counts, strict=True)}


@pytest.mark.parametrize("k", range(1, 11))
def test_sorting_network_sorts_every_zero_one_vector(k: int) -> None:
    """Knuth's 0-1 principle: a comparator network that sorts all 2^k vectors of zeros and
    ones sorts every input."""
    for bits in itertools.product((0, 1), repeat=k):
        values = list(bits)
        for a, b in sorting_network(k):
            if values[a] > values[b]:
                values[a], values[b] = values[b], values[a]
        assert values == sorted(values)


@pytest.mark.parametrize(
    "rows",
    [
        ((0, 1, 2), (0, 1, 2), (0, 1, 2)),
        ((0, 2, 4, 6), (0, 2, 5, 5), (0, 0, 3, 5)),   # doubled mid-ranks with ties
        ((0, 2, 4, 6), (0, 2, 4, 6), (0, 2, 5, 5)),   # even sums first, then an odd one
        ((0, 1), (0, 3), (2, 7)),
        ((0, 1, 2, 3, 4), (0, 0, 1, 1, 2)),
        ((0, 0, 0), (0, 1, 1)),
    ],
)
def test_distribution_matches_enumeration(rows: tuple[tuple[int, ...], ...]) -> None:
    s_values, probabilities = statistic_distribution(rows)
    brute = _brute_force(rows)
    assert s_values.tolist() == list(brute)
    np.testing.assert_allclose(probabilities, list(brute.values()), rtol=1e-14, atol=0.0)


def test_tiny_probabilities_keep_their_relative_precision() -> None:
    """20 patients ranking 4 weeks without ties: the most extreme S is reached only when all
    patients agree, 4! of the 24^20 arrangements: p = 24^-19 (about 6e-27)."""
    s_values, probabilities = statistic_distribution(((0, 1, 2, 3),) * 20)
    assert int(s_values[-1]) == 400 * (0 + 1 + 4 + 9)
    assert probabilities[-1] == pytest.approx(24.0**-19, rel=1e-13)
    assert math.fsum(probabilities) == pytest.approx(1.0, rel=1e-13)


def _exact_counts(rows: tuple[tuple[int, ...], ...]) -> dict[int, int]:
    """Number of the (k!)^n arrangements giving each S, in Python integers (no rounding)."""
    states = {(0,) * len(rows[0]): 1}
    for row in rows:
        following: dict[tuple[int, ...], int] = {}
        for state, count in states.items():
            for perm in itertools.permutations(row):
                key = tuple(sorted(a + b for a, b in zip(state, perm, strict=True)))
                following[key] = following.get(key, 0) + count
        states = following
    by_s: dict[int, int] = {}
    for state, count in states.items():
        s = sum(v * v for v in state)
        by_s[s] = by_s.get(s, 0) + count
    return by_s


def test_forty_patients_to_1e14_of_exact_integer_counts() -> None:
    """Forty patients, three weeks, with and without ties: 6^40 arrangements, too many to
    enumerate, counted exactly in integers instead. Every probability and every upper tail
    (the p-value) agrees to 1e-14 relative, down to the smallest (6^-39, about 5e-31)."""
    rows = ((0, 1, 2),) * 25 + ((0, 0, 1),) * 10 + ((0, 1, 1),) * 5
    counts = _exact_counts(rows)
    total = 6**40
    s_values, probabilities = statistic_distribution(rows)
    assert s_values.tolist() == sorted(counts)
    tail = 0
    for s, p, upper in zip(s_values[::-1].tolist(), probabilities[::-1],
                           np.cumsum(probabilities[::-1]), strict=True):
        tail += counts[s]
        assert p == pytest.approx(counts[s] / total, rel=1e-14)
        assert upper == pytest.approx(tail / total, rel=1e-14)


@pytest.mark.parametrize("scale", [2**12, 2**26])
def test_wider_integers_and_small_blocks_agree(monkeypatch: pytest.MonkeyPatch, scale: int) -> None:
    """Sums past 2^15 and 2^31 are held in 32 and 64 bits, and 64-bit index arithmetic is used
    past 2^31; scaling every score by ``scale`` scales S by its square and leaves the
    probabilities alone. Blocks of a few sums at a time give the same distribution as one."""
    rows = ((0, 2, 4, 6), (0, 2, 5, 5), (0, 0, 3, 5), (0, 1, 2, 3))
    narrow = statistic_distribution(rows)
    scaled = tuple(tuple(v * scale for v in row) for row in rows)
    wide = statistic_distribution(scaled)
    np.testing.assert_array_equal(wide[0], narrow[0] * scale**2)
    np.testing.assert_allclose(wide[1], narrow[1], rtol=1e-14, atol=0.0)
    statistic_distribution.cache_clear()
    monkeypatch.setattr(_friedman_exact, "_INT32_INDEX_LIMIT", 0)
    monkeypatch.setattr(_friedman_exact, "_BLOCK_ROWS", 7)
    other = statistic_distribution(rows)
    statistic_distribution.cache_clear()
    np.testing.assert_array_equal(other[0], narrow[0])
    np.testing.assert_allclose(other[1], narrow[1], rtol=1e-14, atol=0.0)


def test_cache_is_shared_and_read_only() -> None:
    """Patients in another order, and all-tied patients, give the same cached distribution."""
    first = friedman_permutation_p(np.array([[2, 4, 6], [2, 4, 6], [4, 4, 4], [6, 2, 4]]))
    info = statistic_distribution.cache_info()
    # The same table with its rows shuffled and its weeks reversed.
    again = friedman_permutation_p(np.array([[4, 4, 4], [4, 2, 6], [6, 4, 2], [6, 4, 2]]))
    assert again[0] == first[0] and again[4] == first[4]
    assert statistic_distribution.cache_info().hits == info.hits + 1
    s_values, probabilities = statistic_distribution(((0, 1, 2),) * 3)
    with pytest.raises(ValueError, match="read-only"):
        probabilities[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        s_values[0] = 1


# Patients per number of weeks, keeping the enumeration of (k!)^n arrangements small.
_MAX_PATIENTS = {2: 6, 3: 5, 4: 3, 5: 2}


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 5).flatmap(lambda k: st.lists(
    st.lists(st.integers(0, 3), min_size=k, max_size=k), min_size=1, max_size=_MAX_PATIENTS[k])))
def test_p_value_matches_enumeration(table: list[list[int]]) -> None:
    """``friedman_test``'s exact p against all (k!)^n arrangements of its doubled mid-ranks."""
    r = friedman_test(table, permutation="exact")
    if r.statistic is None:
        return
    # 2 x mid-rank of v: 2 s + t + 1 for t ties at sorted positions s + 1, ..., s + t.
    doubled = tuple(tuple(2 * sorted(row).index(v) + row.count(v) + 1 for v in row)
                    for row in table)
    observed = np.sum(np.array(doubled), axis=0)
    brute = _brute_force(doubled)
    s_obs = int(np.sum(observed**2))
    expected = math.fsum(p for s, p in brute.items() if s >= s_obs)
    assert r.p_value_exact == pytest.approx(expected, rel=1e-12)
    assert r.min_attainable_p == pytest.approx(brute[max(brute)], rel=1e-12)
