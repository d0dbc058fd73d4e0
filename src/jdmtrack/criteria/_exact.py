"""Exact decisions on recorded decimals, vectorised.

Values arrive as float64 read from decimal text ("0.5", "1.0"). Binary floating point
cannot hold most decimals exactly, so a computed percent change such as
``(1.0 - 0.5) / 10 * 100`` may land a hair above or below a band edge of 5 %. The
functions here decide the sign of a linear form ``c1*x1 + c2*x2 + ... + c0`` exactly:

1. compute it in float64 (fast, vectorised);
2. for the few rows within a relative 1e-9 of zero, recover each value's recorded decimal
   (the shortest decimal with at most ``MAX_DECIMALS`` places that reads back to the same
   double, which is what ``str(value)`` prints) as an integer mantissa and a power of ten,
   and evaluate the form in int64;
3. rows whose decimal cannot be recovered, or whose integers could overflow, are settled
   with :class:`fractions.Fraction` of ``str(value)``.

>>> import numpy as np
>>> from fractions import Fraction
>>> base, follow = np.array([1.1, 1.1]), np.array([0.6, 0.7])
>>> # percent change on a 0-10 scale against the 5 % edge: sign of 100*(b - f) - 5*10
>>> linear_sign([(Fraction(100), base), (Fraction(-100), follow)], Fraction(-50)).tolist()
[0.0, -1.0]
>>> (1.1 - 0.6) / 10 * 100   # float64 alone puts an exact 5 % above the edge
5.000000000000001
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_DECIMALS", "PercentForm", "band_index", "count_multiples_reached", "decimal_parts",
           "linear_sign"]

Floats = npt.NDArray[np.float64]

# Recorded values have at most this many decimal places before we fall back to Fraction.
MAX_DECIMALS = 9
# Rows whose float result lies within this relative distance of 0 are recomputed exactly.
# Float64 error here is a few units in the 16th digit, far inside this margin.
NEAR_ZERO = 1e-9
_TWO_53 = float(2**53)
_INT64_SAFE = float(2**62)
_POW10 = np.array([10**d for d in range(19)], dtype=np.int64)


def decimal_parts(values: Floats) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                           npt.NDArray[np.bool_]]:
    """Recorded decimal of each value as ``mantissa / 10**decimals``.

    Returns ``(mantissa, decimals, ok)``; ``ok`` is False where no decimal with at most
    ``MAX_DECIMALS`` places reads back to the value (or the value is not finite).

    >>> m, d, ok = decimal_parts(np.array([0.1, 2.5, 120.3, 1 / 3]))
    >>> m.tolist(), d.tolist(), ok.tolist()
    ([1, 25, 1203, 0], [1, 1, 1, 0], [True, True, True, False])
    """
    n = len(values)
    mantissa = np.zeros(n, dtype=np.int64)
    decimals = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=np.bool_)
    pending = np.isfinite(values)
    for places in range(MAX_DECIMALS + 1):
        idx = np.flatnonzero(pending)
        if len(idx) == 0:
            break
        scale = 10.0**places
        scaled = values[idx] * scale
        rounded = np.rint(scaled)
        # Division of two exactly held integers is correctly rounded, so equality means
        # the value is the double nearest to the decimal rounded / 10**places.
        hit = (np.abs(rounded) < _TWO_53) & (rounded / scale == values[idx])
        chosen = idx[hit]
        mantissa[chosen] = rounded[hit].astype(np.int64)
        decimals[chosen] = places
        ok[chosen] = True
        pending[chosen] = False
    return mantissa, decimals, ok


def _integer_form(terms: Sequence[tuple[Fraction, Floats]], constant: Fraction
                  ) -> tuple[list[int], int]:
    denominator = 1
    for coefficient, _ in terms:
        denominator = denominator * coefficient.denominator // np.gcd(
            denominator, coefficient.denominator)
    denominator = denominator * constant.denominator // np.gcd(denominator,
                                                               constant.denominator)
    coefficients = [int(c * denominator) for c, _ in terms]
    return coefficients, int(constant * denominator)


def _fraction_sign(terms: Sequence[tuple[Fraction, Floats]], constant: Fraction,
                   row: int) -> float:
    total = constant
    for coefficient, values in terms:
        total += coefficient * Fraction(str(float(values[row])))
    return float((total > 0) - (total < 0))


def _exact_signs(terms: Sequence[tuple[Fraction, Floats]], constant: Fraction,
                 rows: npt.NDArray[np.intp]) -> Floats:
    coefficients, constant_int = _integer_form(terms, constant)
    parts = [decimal_parts(values[rows]) for _, values in terms]
    places = np.zeros(len(rows), dtype=np.int64)
    ok = np.ones(len(rows), dtype=np.bool_)
    for _, decimals, good in parts:
        places = np.maximum(places, decimals)
        ok &= good
    bound = abs(float(constant_int)) * 10.0**places
    for coefficient, (mantissa, decimals, _) in zip(coefficients, parts, strict=True):
        bound = bound + abs(float(coefficient)) * np.abs(mantissa.astype(np.float64)) * (
            10.0 ** (places - decimals))
    ok &= bound < _INT64_SAFE
    safe_places = np.where(ok, places, 0)
    total = np.int64(constant_int) * _POW10[safe_places]
    for coefficient, (mantissa, decimals, _) in zip(coefficients, parts, strict=True):
        shift = np.where(ok, safe_places - decimals, 0)
        total = total + np.int64(coefficient) * np.where(ok, mantissa, 0) * _POW10[shift]
    signs: Floats = np.asarray(np.sign(total), dtype=np.float64)
    for position in np.flatnonzero(~ok).tolist():
        signs[position] = _fraction_sign(terms, constant, int(rows[position]))
    return signs


def linear_sign(terms: Sequence[tuple[Fraction, Floats]],
                constant: Fraction = Fraction(0)) -> Floats:
    """Exact sign (-1, 0, 1) of ``sum(c * x for c, x in terms) + constant``; NaN if any x is.

    Every ``x`` is read as the decimal it was recorded as (see the module docstring); the
    coefficients and the constant are exact fractions.

    >>> import numpy as np
    >>> linear_sign([(Fraction(1), np.array([120.3, 120.4, np.nan])),
    ...              (Fraction(-3), np.array([40.1, 40.1, 1.0]))]).tolist()
    [0.0, 1.0, nan]
    """
    total = np.full(len(terms[0][1]), float(constant))
    scale = np.full(len(terms[0][1]), abs(float(constant)))
    for coefficient, values in terms:
        product = float(coefficient) * values
        total = total + product
        scale = scale + np.abs(product)
    signs: Floats = np.asarray(np.sign(total), dtype=np.float64)
    with np.errstate(invalid="ignore"):
        near = np.abs(total) <= NEAR_ZERO * scale
    rows = np.flatnonzero(near & np.isfinite(total))
    if len(rows):
        signs[rows] = _exact_signs(terms, constant, rows)
    return signs


def count_multiples_reached(value: Floats, reference: Floats, multiples: Sequence[Fraction],
                            inclusive: Sequence[bool]) -> Floats:
    """How many of ``multiples`` x ``reference`` ``value`` reaches, decided exactly.

    A multiple counts when ``value > m x reference`` (``>=`` where ``inclusive``). NaN
    where either input is NaN. ``reference`` must be positive where it matters.

    >>> import numpy as np
    >>> count_multiples_reached(np.array([120.3, 120.31, 40.1, np.nan]),
    ...                         np.array([40.1, 40.1, 40.1, 40.1]),
    ...                         [Fraction(1), Fraction(3)], [False, False]).tolist()
    [1.0, 2.0, 0.0, nan]
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = value / reference
        count = np.zeros(len(value))
        near = np.zeros(len(value), dtype=np.bool_)
        for multiple, closed in zip(multiples, inclusive, strict=True):
            level = float(multiple)
            count += (ratio >= level) if closed else (ratio > level)
            near |= np.abs(ratio - level) <= NEAR_ZERO * level
    rows = np.flatnonzero(near & np.isfinite(ratio))
    if len(rows):
        exact = np.zeros(len(rows))
        for multiple, closed in zip(multiples, inclusive, strict=True):
            sign = linear_sign([(Fraction(1), value[rows]), (-multiple, reference[rows])])
            exact += (sign >= 0) if closed else (sign > 0)
        count[rows] = exact
    return np.where(np.isnan(ratio), np.nan, count)


class PercentForm:
    """Exact "percent improvement > edge" for the rows of one measure.

    percent = 100 (better - worse) / D with D > 0, where D is the constant ``scale`` plus,
    when ``denominator`` is given, ``coefficient x denominator`` per row (the week-0 value,
    or k x ULN with k per row). So percent > E  <=>  100 better - 100 worse - E D > 0,
    decided on the recorded decimals (k is read as the decimal ``repr`` prints).

    >>> f = PercentForm(np.array([150.0]), np.array([60.0]), Fraction(0),
    ...                 np.array([15.0]), np.array([200.0]))
    >>> f.sign_above(np.array([0]), 3).tolist(), f.sign_above(np.array([0]), 5).tolist()
    ([0.0], [-1.0])
    """

    def __init__(self, better: Floats, worse: Floats, scale: Fraction,
                 coefficient: Floats | None = None, denominator: Floats | None = None
                 ) -> None:
        self.better, self.worse, self.scale = better, worse, scale
        self.coefficient, self.denominator = coefficient, denominator

    def sign_above(self, rows: npt.NDArray[np.intp], edge: int) -> Floats:
        hundred = Fraction(100)
        terms = [(hundred, self.better[rows]), (-hundred, self.worse[rows])]
        if self.denominator is None or self.coefficient is None:
            return linear_sign(terms, -edge * self.scale)
        out = np.full(len(rows), np.nan)
        coefficient = self.coefficient[rows]
        for value in np.unique(coefficient[~np.isnan(coefficient)]).tolist():
            part = np.flatnonzero(coefficient == value)
            k = Fraction(repr(value))
            out[part] = linear_sign(
                [(hundred, self.better[rows[part]]), (-hundred, self.worse[rows[part]]),
                 (-edge * k, self.denominator[rows[part]])], -edge * self.scale)
        return out


def band_index(percent: Floats, edges: tuple[int, ...], form: PercentForm
               ) -> npt.NDArray[np.intp]:
    """Band of each percent (the number of edges strictly below it), exact at the edges.

    >>> band_index(np.array([5.000000000000001, 5.1]), (5, 15),
    ...            PercentForm(np.array([1.1, 1.1]), np.array([0.6, 0.59]), Fraction(10))
    ...            ).tolist()
    [0, 1]
    """
    band = np.searchsorted(np.asarray(edges, dtype=np.float64), percent, side="left")
    near = np.zeros(len(percent), dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        for edge in edges:
            near |= np.abs(percent - edge) <= NEAR_ZERO * max(1.0, float(edge))
    rows = np.flatnonzero(near)
    if len(rows):
        exact = np.zeros(len(rows), dtype=np.intp)
        for edge in edges:
            exact += form.sign_above(rows, edge) > 0
        band[rows] = exact
    return np.asarray(band, dtype=np.intp)
