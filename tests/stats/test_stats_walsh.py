"""Hodges-Lehmann without building the Walsh averages agrees exactly with building them.

The oracle is the implementation it replaced (jdmtrack 5b743fb): every Walsh average
(d_i + d_j)/2, i <= j, sorted; the estimate their np.median, the CI the averages of order qu
and n(n + 1)/2 - qu + 1. Hypothesis draws differences with many ties, zeros, signed zeros,
wide and tiny magnitudes; the values must be equal as floats, not approximately.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.stats._walsh import walsh_order_statistics
from jdmtrack.stats.wilcoxon import _qsignrank_lower, _signrank_counts, hodges_lehmann


def _oracle(values: list[float]) -> tuple[float, float | None, float | None]:
    d = np.asarray(values, dtype=np.float64)
    n = d.size
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2.0)
    estimate = float(np.median(walsh))
    if n == 1:
        return estimate, None, None
    if n > 62:
        from scipy import special

        z = float(special.ndtri(1.0 - 0.05 / 2.0))
        centre = n * (n + 1) / 4.0
        spread = (n * (n + 1) * (2 * n + 1) / 24.0) ** 0.5
        qu = max(1, int(np.floor(centre - z * spread)))
    else:
        qu = max(_qsignrank_lower(0.05 / 2.0, n, _signrank_counts(n)), 1)
    ql = n * (n + 1) // 2 - qu
    return estimate, float(walsh[qu - 1]), float(walsh[ql])


_VALUES = st.one_of(
    st.integers(-4, 4).map(float),  # many ties and zeros
    st.sampled_from([0.5, -0.5, 0.1, 0.2, 0.3, -0.0, 1e-300, 1e300, -1e300, 1 / 3]),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(_VALUES, min_size=1, max_size=90))
def test_hodges_lehmann_equals_the_full_sort(values: list[float]) -> None:
    r = hodges_lehmann(values)
    assert (r.estimate, r.ci_low, r.ci_high) == _oracle(values)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_VALUES, min_size=1, max_size=60), st.data())
def test_every_order_statistic_equals_the_full_sort(values: list[float], data: st.DataObject) -> None:
    d = np.sort(np.asarray(values, dtype=np.float64))
    i, j = np.triu_indices(d.size)
    walsh = np.sort((d[i] + d[j]) / 2.0)
    ks = data.draw(st.lists(st.integers(0, walsh.size - 1), min_size=1, max_size=5))
    assert walsh_order_statistics(d, ks) == [float(walsh[k]) for k in ks]


def test_a_large_sample_against_the_full_sort() -> None:
    """3,000 rounded normal differences (4.5 million averages: the oracle still fits)."""
    rng = np.random.default_rng(16)
    values = np.round(rng.normal(1.0, 3.0, 3000), 1).tolist()
    r = hodges_lehmann(values)
    assert (r.estimate, r.ci_low, r.ci_high) == _oracle(values)
