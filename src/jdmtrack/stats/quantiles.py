"""Sample quantiles: all nine definitions of Hyndman & Fan (1996), exactly as R computes them.

The quantile definition is an explicit, reported parameter. The default is **type 6**
(rank (n + 1)p, interpolated), the definition of SPSS (``HAVERAGE``), GraphPad Prism (>= 5)
and Minitab, which the source studies used (landscape.md §4.3). Type 7 is R's, numpy's and
Excel ``QUARTILE.INC``'s default; type 2 is SAS's. ``pandas.quantile`` is never used: it
offers no type 6.

The arithmetic follows R 4.2.2 ``stats:::quantile.default`` step by step (including its
``4 * .Machine$double.eps`` fuzz for types 4-9 and the separate code path of type 7), so the
results agree with R ``quantile(x, probs, type = k)`` to the last bit in the cases tested
(tests/reference/stats). R >= 4.4 also applies a fuzz to types 1-3; the two differ only when
``n * p`` is within 4 machine epsilons of an integer without being one (never for the
quartiles, whose probabilities are exact binary fractions).

References
----------
Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat. 1996;50(4):361-365.
doi:10.1080/00031305.1996.10473566
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats._common import FloatArray, as_float_vector

__all__ = ["DEFAULT_QUANTILE_TYPE", "QUANTILE_TYPES", "quantile", "sample_quantiles"]

#: SPSS / Prism / Minitab, as the source studies used (landscape.md §4.3).
DEFAULT_QUANTILE_TYPE = 6

#: Hyndman-Fan type -> (numpy ``method`` name, who uses it). For methods text and settings.
QUANTILE_TYPES: dict[int, tuple[str, str]] = {
    1: ("inverted_cdf", "inverse of the empirical distribution function"),
    2: ("averaged_inverted_cdf", "empirical distribution with averaging (SAS default)"),
    3: ("closest_observation", "nearest even order statistic (SAS PCTLDEF=2)"),
    4: ("interpolated_inverted_cdf", "linear interpolation of the empirical distribution"),
    5: ("hazen", "Hazen: piecewise linear, knots at (k - 0.5)/n"),
    6: ("weibull", "rank (n + 1)p: SPSS, GraphPad Prism, Minitab"),
    7: ("linear", "rank 1 + (n - 1)p: R, numpy, Excel QUARTILE.INC"),
    8: ("median_unbiased", "approximately median-unbiased (Hyndman-Fan's recommendation)"),
    9: ("normal_unbiased", "approximately unbiased for normal data"),
}

# (a, b) of the continuous types: rank = a + p (n + 1 - a - b)   (R quantile.default)
_PLOTTING_POSITIONS: dict[int, tuple[float, float]] = {
    4: (0.0, 1.0),
    5: (0.5, 0.5),
    6: (0.0, 0.0),
    8: (1.0 / 3.0, 1.0 / 3.0),
    9: (3.0 / 8.0, 3.0 / 8.0),
}
_FUZZ = 4.0 * np.finfo(np.float64).eps
_PROB_EPS = 100.0 * np.finfo(np.float64).eps


def _check_type(type: int) -> int:  # R's argument name
    if isinstance(type, bool) or type not in QUANTILE_TYPES:
        raise SettingsError(f"quantile type must be an integer 1-9 (Hyndman-Fan); got {type!r}")
    return int(type)


def _check_prob(p: float) -> float:
    if not isinstance(p, (int, float, np.floating, np.integer)) or math.isnan(float(p)):
        raise ComputationError(f"a probability must be a number in [0, 1]; got {p!r}")
    value = float(p)
    if value < -_PROB_EPS or value > 1.0 + _PROB_EPS:
        raise ComputationError(f"a probability must be in [0, 1]; got {p!r}")
    return min(1.0, max(0.0, value))


def _one(x: FloatArray, p: float, type: int) -> float:
    """One quantile of the sorted, non-empty ``x`` (R 4.2.2 quantile.default, line by line)."""
    n = x.size
    if type == 7:
        index = 1.0 + (n - 1) * p
        lo = math.floor(index)
        hi = math.ceil(index)
        q = float(x[lo - 1])
        if index > lo and x[hi - 1] != q:
            h = index - lo
            q = (1.0 - h) * q + h * float(x[hi - 1])
        return q
    if type <= 3:
        nppm = n * p - 0.5 if type == 3 else n * p
        j = math.floor(nppm)
        if type == 1:
            h = 1.0 if nppm > j else 0.0
        elif type == 2:
            h = 1.0 if nppm > j else 0.5
        else:
            h = 1.0 if (nppm != j or j % 2 == 1) else 0.0
    else:
        a, b = _PLOTTING_POSITIONS[type]
        nppm = a + p * (n + 1 - a - b)
        j = math.floor(nppm + _FUZZ)
        h = nppm - j
        if abs(h) < _FUZZ:
            h = 0.0
    # R pads the sorted sample as c(x[1], x[1], x, x[n], x[n]) and reads x[j + 2], x[j + 3].
    lower = float(x[min(max(j, 1), n) - 1])
    upper = float(x[min(max(j + 1, 1), n) - 1])
    if h == 1.0:
        return upper
    if 0.0 < h < 1.0 and lower != upper:
        return (1.0 - h) * lower + h * upper
    return lower


def sample_quantiles(
    x: Sequence[float] | Any,
    probs: Sequence[float],
    type: int = DEFAULT_QUANTILE_TYPE,  # R's argument name
) -> tuple[float, ...]:
    """Sample quantiles of ``x`` at each probability in ``probs``, as R ``quantile(type=)``.

    Parameters
    ----------
    x
        The observations (no missing values: drop them first; ``describe`` does this and
        reports how many were missing).
    probs
        Probabilities in [0, 1].
    type
        Hyndman-Fan definition 1-9; default 6 (SPSS, Prism, Minitab). See ``QUANTILE_TYPES``.

    Returns
    -------
    tuple of float
        One quantile per probability, at full precision.

    Raises
    ------
    ComputationError
        If ``x`` is empty or contains NaN, or a probability is outside [0, 1].
    SettingsError
        If ``type`` is not 1-9.

    Examples
    --------
    The worked example of landscape.md §4.3 (checked against R ``quantile``):

    >>> x = [29, 33, 38, 41, 41, 43, 44, 46, 50, 52]
    >>> sample_quantiles(x, [0.25, 0.5, 0.75])            # type 6: SPSS / Prism
    (36.75, 42.0, 47.0)
    >>> sample_quantiles(x, [0.25, 0.5, 0.75], type=7)    # R / numpy default
    (38.75, 42.0, 45.5)
    >>> sample_quantiles(x, [0.25, 0.5, 0.75], type=2)    # SAS
    (38.0, 42.0, 46.0)
    """
    kind = _check_type(type)
    values = as_float_vector(x, "x")
    if values.size == 0:
        raise ComputationError("cannot compute a quantile of no observations (n = 0)")
    checked = [_check_prob(p) for p in probs]
    ordered = np.sort(values)
    return tuple(_one(ordered, p, kind) for p in checked)


def quantile(
    x: Sequence[float] | Any,
    prob: float,
    type: int = DEFAULT_QUANTILE_TYPE,
) -> float:
    """One sample quantile of ``x``, as R ``quantile(x, prob, type=)``; see ``quantiles``.

    Examples
    --------
    >>> quantile([1, 2, 3, 4], 0.25)           # type 6: rank 0.25 * 5 = 1.25
    1.25
    >>> quantile([1, 2, 3, 4], 0.25, type=7)   # rank 1 + 0.25 * 3 = 1.75
    1.75
    """
    return sample_quantiles(x, [prob], type)[0]
