"""report/rounding.py rounds each distinct (value, type, places) once and report/cells.py
shares one cell per distinct number: both must print and store exactly what rounding every
value afresh gives, whatever was formatted before.

The reference below is the rule of report/rounding.py's docstring written out with the
decimal module: the value as results.json prints it (the shortest repr of a float, an int
exactly), rounded half away from zero, a zero without its sign, U+2212 for minus.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.report import cells
from jdmtrack.report import format as f

# Places the report asks for: 0 (counts, percentages of small cohorts), 1 (scores), 2 (doses
# per kg), 3 (p-values); a published figure's own places (decimals_in) may be more.
PLACES = st.integers(0, 6)


def reference(x: float | int, decimals: int) -> str:
    exact = Decimal(x) if isinstance(x, int) else Decimal(repr(float(x)))
    q = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q.is_zero():
        q = abs(q)
    return f"{q:f}".replace("-", "\u2212")


# Exact decimal ties at the rounding digit (k.5 in the last place asked for, as printed), the
# cases where half away from zero and the float's binary value part company.
def _tie(whole: int, places: int, negative: bool) -> float:
    return float(f"{'-' if negative else ''}{whole}5e-{places + 1}")


TIES = st.builds(_tie, st.integers(0, 10**9), st.integers(0, 5), st.booleans())
FLOATS = st.one_of(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    TIES,
    st.sampled_from([0.125, 2.675, 1e-7, -1e-7, 1e16, -1e16, 0.0, -0.0, 5e-324, 0.5, -0.5,
                     1.005, 1.0049999999999999, 0.045, 9.995, 99.95, 1e15 + 0.5]),
)
NUMBERS = st.one_of(FLOATS, st.integers(-(10**20), 10**20))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(NUMBERS, PLACES), min_size=1, max_size=30))
def test_fmt_number_is_the_decimal_rule_in_any_order(calls: list[tuple[float | int, int]]) -> None:
    """Each call, and each repeated after all the others (served from the cache), equals
    the reference: 0.0 after -0.0, 7 after 7.0, a tie after its neighbours."""
    twins = [(float(x), d) if isinstance(x, int) else (round(x), d) for x, d in calls]
    for x, decimals in [*calls, *twins, *calls]:
        assert f.fmt_number(x, decimals) == reference(x, decimals), (x, decimals)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.125, 2, "0.13"), (-0.125, 2, "\u22120.13"), (2.675, 2, "2.68"), (1e-7, 6, "0.000000"),
    (1e-7, 7, "0.0000001"), (-1e-7, 6, "0.000000"), (1e16, 1, "10000000000000000.0"),
    (-0.0, 1, "0.0"), (0.0, 0, "0"), (0.5, 0, "1"), (-0.5, 0, "\u22121"), (1.005, 2, "1.01"),
    (9.995, 2, "10.00"), (99.95, 1, "100.0"),
    # A float prints its shortest repr, an int exactly: equal values, different text.
    (2**60, 0, "1152921504606846976"), (float(2**60), 0, "1152921504606847000"),
])
def test_ties_and_extremes_by_hand(value: float | int, decimals: int, expected: str) -> None:
    """Written out: 0.125 -> 0.13 (the 5 rounds away from zero); 2.675 prints as 2.675 and
    so rounds to 2.68 though its binary value is 2.67499...; 1e-7 to 6 places is 0.000000,
    without a sign when negative; 2**60 as a float prints 1.152921504606847e+18."""
    # Twice, the other type first: the cache keeps 2**60 and float(2**60) apart.
    other = float(value) if isinstance(value, int) else value
    f.fmt_number(other, decimals)
    assert f.fmt_number(value, decimals) == expected
    assert f.fmt_number(value, decimals) == expected


def test_numpy_and_other_reals_print_as_their_float() -> None:
    from fractions import Fraction

    assert f.fmt_number(np.float64(2.675), 2) == "2.68"
    assert f.fmt_number(np.int64(7), 1) == f.fmt_number(7, 1) == "7.0"
    assert f.fmt_number(Fraction(1, 8), 2) == "0.13"
    assert f.fmt_number(np.float64("nan"), 1) == f.MISSING
    assert f.fmt_number(np.bool_(True), 1) == f.MISSING


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NUMBERS, st.integers(0, 3)), min_size=1, max_size=20))
def test_shared_number_cells_keep_each_value_and_type(calls: list[tuple[float | int, int]]) -> None:
    """A number cell's text is the reference; its stored value is the value given, of its
    own type and sign (the spreadsheet writes 7 and 7.0, 0.0 and -0.0 differently)."""
    for x, decimals in [*calls, *calls]:
        cell = cells.num(x, decimals)
        assert cell.text == reference(x, decimals)
        assert type(cell.value) is type(x) and cell.value == x
        if isinstance(x, float):
            assert math.copysign(1.0, cell.value) == math.copysign(1.0, x)
        assert cell.number_format == ("0" if decimals == 0 else "0." + "0" * decimals)


def test_cells_of_equal_values_are_one_object_unless_zero() -> None:
    assert cells.num(41.5, 1) is cells.num(41.5, 1)
    assert cells.num(7, 0) is cells.count(7)
    assert cells.num(7, 1) is not cells.num(7.0, 1)
    assert cells.num(7, 1).value.__class__ is int and cells.num(7.0, 1).value.__class__ is float
    negative_zero = cells.num(-0.0, 1)
    assert math.copysign(1.0, cells.num(0.0, 1).value) == 1.0  # type: ignore[arg-type]
    assert math.copysign(1.0, negative_zero.value) == -1.0  # type: ignore[arg-type]
    assert cells.num(None, 1).text == cells.count(float("nan")).text == f.MISSING
    assert cells.blank().text == ""
