"""Exact decisions on recorded decimals (jdmtrack.criteria._exact)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from jdmtrack.criteria._exact import decimal_parts, linear_sign


def test_every_one_decimal_pair_on_a_vas_matches_fraction_arithmetic() -> None:
    """All 101 x 101 VAS pairs against every global band edge."""
    grid = [i / 10 for i in range(101)]
    base, follow = (np.array(v) for v in zip(*itertools.product(grid, grid), strict=True))
    for edge in (5, 15, 25, 40):
        got = linear_sign([(Fraction(100), base), (Fraction(-100), follow)],
                          Fraction(-edge * 10))
        exact = [(Fraction(str(b)) - Fraction(str(f))) * 10 - edge
                 for b, f in zip(base, follow, strict=True)]
        want = [float((d > 0) - (d < 0)) for d in exact]
        assert got.tolist() == want


def test_falls_back_to_fraction_for_long_decimals_and_large_values() -> None:
    values = np.array([1 / 3, 1e17, 0.1 + 0.2])
    _, _, ok = decimal_parts(values)
    assert ok.tolist() == [False, False, False]
    sign = linear_sign([(Fraction(1), values), (Fraction(-1), values.copy())])
    assert sign.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(("x", "digits"), [(0.5, 1), (123.456, 3), (7.0, 0), (1e-9, 9)])
def test_decimal_parts_recover_the_recorded_decimal(x: float, digits: int) -> None:
    mantissa, decimals, ok = decimal_parts(np.array([x]))
    assert ok[0] and decimals[0] == digits
    assert Fraction(int(mantissa[0]), 10 ** int(decimals[0])) == Fraction(str(x))
