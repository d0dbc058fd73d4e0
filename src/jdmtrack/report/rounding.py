"""Numbers as the report prints them: every rounding rule, in one place.

The results hold full-precision numbers; this module is the only code that turns them
into text (labels: :mod:`.measures`; weeks and dates: :mod:`.weeks`; footnotes:
:mod:`.notes`). Rules (each table's footnote states the ones it uses):

- **Rounding** is half away from zero, applied to the value as ``results.json`` prints it
  (the shortest decimal that reads back as the same float), so ``0.125`` becomes ``0.13``
  and ``2.675`` becomes ``2.68``, as a reader checking by hand would expect.
- **Scores and other measures**: medians, quartiles, means, SDs and ranges to 1 decimal
  place; **doses per kilogram** (mg/kg/day) to 2.
- **p-values** to 3 decimal places; below 0.001 printed ``< 0.001``. An exact value is never
  printed as an inequality.
- **Percentages** to 0 decimal places when the cohort has fewer than 100 patients, else 1
  (:func:`percent_decimals`); rounded percentages may not add to 100.
- **Missing** values print as an en dash; negative numbers use the minus sign (U+2212).

>>> fmt_number(0.125, 2), fmt_number(2.675, 2), fmt_number(-0.04, 1)
('0.13', '2.68', '0.0')
>>> fmt_median_iqr(41, 29, 44, 1)
'41.0 (29.0, 44.0)'
>>> fmt_p(0.0234), fmt_p(0.0004), fmt_p(None)
('0.023', '< 0.001', '–')
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import TypeIs

__all__ = [
    "MINUS",
    "MISSING",
    "count_pct",
    "decimals_in",
    "fmt_ci",
    "fmt_int",
    "fmt_mean_sd",
    "fmt_median_iqr",
    "fmt_number",
    "fmt_p",
    "fmt_pct",
    "fmt_range",
    "fmt_value",
    "is_number",
    "p_clause",
    "percent",
    "percent_decimals",
]

MISSING = "\u2013"
MINUS = "\u2212"


def is_number(x: object) -> TypeIs[int | float]:
    """True for a finite int or float (not bool, not None, not NaN).

    >>> import numpy as np
    >>> is_number(3), is_number(float("nan")), is_number(None), is_number(True)
    (True, False, False, False)
    >>> is_number(np.int64(2)), fmt_number(np.float64(0.125), 2), fmt_number(np.int64(7), 1)
    (True, '0.13', '7.0')
    """
    if type(x) is float or type(x) is int:  # the usual cases first: an ABC check costs more
        return math.isfinite(x)
    if x is None or isinstance(x, bool) or not isinstance(x, numbers.Real):
        return False
    return math.isfinite(x)


def _decimal(x: float | int) -> Decimal:
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    return Decimal(repr(float(x)))


def fmt_number(x: object, decimals: int) -> str:
    """``x`` rounded half away from zero to ``decimals`` places; missing -> en dash.

    >>> fmt_number(1234.5, 0), fmt_number(-1.25, 1), fmt_number(None, 1)
    ('1235', '−1.3', '–')
    """
    if type(x) is float or type(x) is int:  # the usual cases, without an ABC check
        return _rounded(x, decimals) if math.isfinite(x) else MISSING
    if not is_number(x):
        return MISSING
    return _rounded_text(x, decimals)


# A report prints the same few thousand values over and over (scores, weeks, counts: a
# 2,000-patient report formats 116,000 numbers, 5,900 of them distinct), so each distinct
# (value, type, places) is rounded once. ``typed``: 7 and 7.0 are equal but need not print
# alike (a large int is exact, a float prints its shortest repr); 0.0 and -0.0 are equal
# and do print alike (a zero loses its sign).
@lru_cache(maxsize=1 << 14, typed=True)
def _rounded(x: float | int, decimals: int) -> str:
    return _rounded_text(x, decimals)


def _rounded_text(x: float | int, decimals: int) -> str:
    q = _decimal(x).quantize(_quantum(decimals), rounding=ROUND_HALF_UP)
    if q.is_zero():
        q = abs(q)
    return f"{q:f}".replace("-", MINUS)


@lru_cache(maxsize=64)
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def fmt_int(x: object) -> str:
    """A count.

    >>> fmt_int(7), fmt_int(7.0), fmt_int(None)
    ('7', '7', '–')
    """
    return fmt_number(x, 0)


def fmt_value(x: object, decimals: int) -> str:
    """An individual recorded value: whole numbers without decimals, others to ``decimals``.

    >>> fmt_value(41.0, 1), fmt_value(0.5333, 2), fmt_value(None, 1)
    ('41', '0.53', '–')
    """
    if is_number(x) and float(x).is_integer():
        return fmt_number(x, 0)
    return fmt_number(x, decimals)


def fmt_p(p: object) -> str:
    """A p-value: 3 decimal places, ``< 0.001`` below 0.001.

    >>> fmt_p(0.05), fmt_p(0.00099), fmt_p(0.001), fmt_p(1.0)
    ('0.050', '< 0.001', '0.001', '1.000')
    """
    if not is_number(p):
        return MISSING
    if p < 0.001:
        return "< 0.001"
    return fmt_number(p, 3)


def p_clause(p: object, name: str = "p") -> str:
    """``p = 0.023`` or ``p < 0.001``: a p-value inside a sentence.

    >>> p_clause(0.0234), p_clause(0.0002, "permutation p"), p_clause(None)
    ('p = 0.023', 'permutation p < 0.001', 'p = –')
    """
    text = fmt_p(p)
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


def percent(count: object, denominator: object) -> float | None:
    """100 * count / denominator at full precision; None when it cannot be computed.

    >>> percent(15, 20), percent(1, 0)
    (75.0, None)
    """
    if not is_number(count) or not is_number(denominator) or denominator == 0:
        return None
    return 100.0 * float(count) / float(denominator)


def percent_decimals(n_patients: object) -> int:
    """Decimal places of percentages: 0 below 100 patients, else 1.

    >>> percent_decimals(20), percent_decimals(2000)
    (0, 1)
    """
    return 1 if is_number(n_patients) and n_patients >= 100 else 0


def fmt_pct(pct: object, decimals: int) -> str:
    """A percentage with its sign.

    >>> fmt_pct(66.666, 1), fmt_pct(75.0, 0), fmt_pct(None, 0)
    ('66.7%', '75%', '–')
    """
    text = fmt_number(pct, decimals)
    return text if text == MISSING else f"{text}%"


def count_pct(count: object, pct: object, decimals: int) -> str:
    """``n (x%)``; the percentage is given (from the results) or None.

    >>> count_pct(15, 75.0, 0), count_pct(3, None, 0)
    ('15 (75%)', '3')
    """
    if not is_number(count):
        return MISSING
    if not is_number(pct):
        return fmt_int(count)
    return f"{fmt_int(count)} ({fmt_pct(pct, decimals)})"


def fmt_median_iqr(median: object, q1: object, q3: object, decimals: int) -> str:
    """``median (Q1, Q3)``.

    >>> fmt_median_iqr(0.53, 0.42, 1.0, 2)
    '0.53 (0.42, 1.00)'
    """
    if not is_number(median):
        return MISSING
    return (f"{fmt_number(median, decimals)} "
            f"({fmt_number(q1, decimals)}, {fmt_number(q3, decimals)})")


def fmt_mean_sd(mean: object, sd: object, decimals: int) -> str:
    """``mean ± SD``.

    >>> fmt_mean_sd(7.8, 4.04, 1), fmt_mean_sd(7.8, None, 1)
    ('7.8 ± 4.0', '7.8')
    """
    if not is_number(mean):
        return MISSING
    if not is_number(sd):
        return fmt_number(mean, decimals)
    return f"{fmt_number(mean, decimals)} ± {fmt_number(sd, decimals)}"


def fmt_range(low: object, high: object, decimals: int) -> str:
    """An interval written ``low to high`` (unambiguous with negative numbers).

    >>> fmt_range(-3, 2.5, 1)
    '−3.0 to 2.5'
    """
    if not is_number(low) and not is_number(high):
        return MISSING
    return f"{fmt_number(low, decimals)} to {fmt_number(high, decimals)}"


def fmt_ci(ci: object, decimals: int, *, scale: float = 1.0, suffix: str = "") -> str:
    """A 95% CI given as ``[low, high]`` (either end may be None: unbounded or unknown).

    ``scale`` turns a proportion into a percentage (``scale=100, suffix="%"``).

    >>> fmt_ci([0.5089, 0.9134], 0, scale=100, suffix="%")
    '51% to 91%'
    >>> fmt_ci([2.0, None], 1), fmt_ci(None, 1)
    ('2.0 to –', '–')
    """
    if not isinstance(ci, list | tuple) or len(ci) != 2:
        return MISSING
    ends = []
    for end in ci:
        if is_number(end):
            ends.append(fmt_number(float(end) * scale, decimals) + suffix)
        else:
            ends.append(MISSING)
    if ends == [MISSING, MISSING]:
        return MISSING
    return f"{ends[0]} to {ends[1]}"


_FIRST_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def decimals_in(text: str) -> int:
    """Decimal places of the first number in a printed string.

    >>> decimals_in("6.0 (4.0–7.3)"), decimals_in("15 (75%)"), decimals_in("n/a")
    (1, 0, 0)
    """
    match = _FIRST_NUMBER.search(text)
    if match is None or match.group(1) is None:
        return 0
    return len(match.group(1))
