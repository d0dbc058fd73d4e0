"""Exact one-sided binomial test design, pinned to R pbinom (tests/reference/plan.R)."""

from __future__ import annotations

import pytest

from jdmtrack.errors import SettingsError
from jdmtrack.plan.binomial import binomial_design, binomial_min_n


@pytest.mark.parametrize(
    ("n", "p0", "p1", "critical", "alpha", "power"),
    [
        # R: pbinom(7, 20, 0.2, lower.tail = FALSE) = 0.03214266 (c = 8; c = 7 gives
        # 0.08669251 > 0.05); pbinom(7, 20, 0.5, lower.tail = FALSE) = 0.86841202.
        (20, 0.2, 0.5, 8, 0.03214266, 0.86841202),
        # R: pbinom(4, 15, 0.1, lower.tail = FALSE) = 0.012720483641251 (c = 5; c = 4 gives
        # pbinom(3, 15, 0.1, lower.tail = FALSE) = 0.055555630007536 > 0.05);
        # pbinom(4, 15, 0.4, lower.tail = FALSE) = 0.782722294349824.
        (15, 0.1, 0.4, 5, 0.012720483641251008, 0.782722294349824),
    ],
)
def test_binomial_design_matches_r(n, p0, p1, critical, alpha, power):
    design = binomial_design(n, p0, p1, 0.05)
    assert design.critical == critical
    assert design.alpha == pytest.approx(alpha, rel=1e-7)
    assert design.power == pytest.approx(power, rel=1e-7)


def test_binomial_design_by_hand():
    """n = 5, p0 = 0.5: P(X >= 5) = 1/32 = 0.03125 <= 0.05 < P(X >= 4) = 6/32, so c = 5;
    power at p1 = 0.9 is 0.9^5 = 0.59049."""
    design = binomial_design(5, 0.5, 0.9, 0.05)
    assert design.critical == 5
    assert design.alpha == pytest.approx(1 / 32, rel=1e-14)
    assert design.power == pytest.approx(0.9**5, rel=1e-14)


def test_n_too_small_names_the_smallest_n():
    """p0 = 0.5: 0.5^4 = 0.0625 > 0.05 >= 0.5^5, so n = 4 cannot reject and n = 5 can."""
    assert binomial_min_n(0.5, 0.05) == 5
    with pytest.raises(SettingsError, match="the smallest n that can is 5"):
        binomial_design(4, 0.5, 0.9, 0.05)
    with pytest.raises(SettingsError, match="--p1 must be above --p0"):
        binomial_design(20, 0.5, 0.4, 0.05)
