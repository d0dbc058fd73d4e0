"""Kaplan-Meier estimate with right censoring, median and quartiles, as R ``survival``.

* The survival curve is the product-limit estimate over the distinct times (event and
  censoring times), with Greenwood's variance of -log S: ``sum d / (n (n - d))``.
* The pointwise confidence band is the log-log one of R ``survfit(..., conf.type =
  "log-log")``: ``S^exp(+-z se / log S)``; it is undefined (``None``) where S is 0 or 1.
* Quantiles follow R ``quantile.survfit`` (survival 3.5): the p-quantile is the first time the
  curve falls below 1 - p; when the curve is exactly 1 - p (within sqrt(machine epsilon)) over
  an interval, it is the midpoint of that interval (design.md, "Kaplan-Meier"); when the curve
  ends exactly at 1 - p, the midpoint between that time and the last follow-up time. The CI of
  a quantile is the same quantile of the lower and upper confidence curves.
* An unreached quantile or an unbounded confidence limit is ``None``.
* Every step is a whole-array numpy operation over the sorted distinct times (counts by
  ``bincount``, at-risk sets by a reversed cumulative sum): O(n log n) for n patients.

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. JASA.
1958;53:457-481.
Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics.
1982;38:29-41.
Therneau T. A Package for Survival Analysis in R, version 3.5 (``quantile.survfit``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    DEFAULT_CONF_LEVEL,
    FloatArray,
    as_float_vector,
    check_conf_level,
    finite_or_none,
    pair_or_none,
)

__all__ = ["KaplanMeierResult", "kaplan_meier"]

_TOLERANCE = math.sqrt(float(np.finfo(np.float64).eps))  # quantile.survfit's default


@dataclass(frozen=True)
class KaplanMeierResult:
    """Kaplan-Meier curve (one row per distinct time) and its quartiles with log-log CIs."""

    n: int
    events: int
    time: tuple[float, ...]
    n_risk: tuple[int, ...]
    n_event: tuple[int, ...]
    n_censor: tuple[int, ...]
    surv: tuple[float, ...]
    std_err: tuple[float | None, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    median: float | None
    median_ci: tuple[float | None, float | None]
    q1: float | None
    q1_ci: tuple[float | None, float | None]
    q3: float | None
    q3_ci: tuple[float | None, float | None]
    conf_level: float
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{n, events, median_weeks, ci95, q1_weeks, q3_weeks}`` plus
        the quartiles' intervals, method and note (times in the unit given, weeks)."""
        return {
            "n": self.n,
            "events": self.events,
            "median_weeks": finite_or_none(self.median),
            "ci95": pair_or_none(*self.median_ci),
            "q1_weeks": finite_or_none(self.q1),
            "q1_ci95": pair_or_none(*self.q1_ci),
            "q3_weeks": finite_or_none(self.q3),
            "q3_ci95": pair_or_none(*self.q3_ci),
            "method": self.method,
            "note": self.note,
        }


def _first_at_least(values: FloatArray, valid: np.ndarray[Any, Any], target: float) -> int | None:
    """Index of the first valid value >= target, as R approx(constant, f = 1, rule = 1)."""
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return None
    v = values[idx]
    if target < v.min() or target > v.max():
        return None
    return int(idx[np.argmax(v >= target)])


def _findq(x: FloatArray, y: FloatArray, p: float) -> float | None:
    """survival:::findq for one probability: x = c(0, time), y = c(0, 1 - curve), NaN = NA."""
    if not np.any(~np.isnan(y)) or np.nanmax(y) < p:
        return None
    xmax = float(x[-1])
    # duplicated(y): keep the first occurrence of each value, NA counting as one value.
    _, first = np.unique(y, return_index=True, equal_nan=True)
    keep = np.sort(first)
    x, y = x[keep], y[keep]
    valid = ~np.isnan(y)
    if p == 0.0:
        return float(x[0])
    i1 = _first_at_least(y + _TOLERANCE, valid, p)
    i2 = _first_at_least(y - _TOLERANCE, valid, p)
    if not math.isnan(y[-1]) and abs(p - y[-1]) < _TOLERANCE:
        return None if i1 is None else (float(x[i1]) + xmax) / 2.0
    if i1 is None or i2 is None:
        return None
    return (float(x[i1]) + float(x[i2])) / 2.0


def _as_events(event: Sequence[bool | int] | Any, size: int) -> np.ndarray[Any, Any]:
    raw = np.asarray(event)
    if raw.ndim != 1 or raw.size != size:
        raise ComputationError(f"event must have one entry per time ({size}); got {raw.size}")
    values = as_float_vector(raw.astype(np.float64), "event")
    if not np.all((values == 0.0) | (values == 1.0)):
        raise ComputationError("event must be 1/True (event) or 0/False (censored)")
    died: np.ndarray[Any, Any] = values == 1.0
    return died


def kaplan_meier(
    time: Sequence[float] | Any,
    event: Sequence[bool | int] | Any,
    *,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> KaplanMeierResult:
    """Kaplan-Meier estimate with log-log CI, median and quartiles (R ``survfit``).

    Parameters
    ----------
    time
        Follow-up time of each patient (weeks), no missing values.
    event
        1 / True if the event happened at ``time``, 0 / False if censored then.
    conf_level
        Of the pointwise band and the quantile intervals.

    Examples
    --------
    >>> r = kaplan_meier([1, 2, 2, 3, 4, 5, 6], [0, 1, 1, 0, 1, 1, 1])
    >>> r.median, r.median_ci, r.q1, r.q3       # R quantile(): 4; 2, NA; 2; 5
    (4.0, (2.0, None), 2.0, 5.0)
    >>> kaplan_meier([5, 8, 12], [0, 0, 0]).note
    'no events: no quantile is reached'
    """
    conf_level = check_conf_level(conf_level)
    t = as_float_vector(time, "time")
    died = _as_events(event, t.size)
    n = int(t.size)
    method = (
        "Kaplan-Meier, Greenwood variance, log-log confidence limits (as survfit "
        "conf.type='log-log'), quantiles as quantile.survfit"
    )
    if n == 0:
        return KaplanMeierResult(0, 0, (), (), (), (), (), (), (), (), None, (None, None),
                                 None, (None, None), None, (None, None), conf_level, method,
                                 "no patients")
    times, at = np.unique(t, return_inverse=True)
    n_event = np.bincount(at, weights=died, minlength=times.size).astype(np.int64)
    n_censor = np.bincount(at, weights=~died, minlength=times.size).astype(np.int64)
    n_risk = np.cumsum((n_event + n_censor)[::-1])[::-1]  # at risk: follow-up >= the time
    surv = np.cumprod(1.0 - n_event / n_risk)
    with np.errstate(divide="ignore"):
        terms = np.where(
            n_event > 0,
            n_event / (n_risk.astype(np.float64) * np.maximum(n_risk - n_event, 0)),
            0.0,
        )
    std_err = np.sqrt(np.cumsum(terms))
    z = float(special.ndtri(1.0 - (1.0 - conf_level) / 2.0))
    defined = (surv > 0.0) & (surv < 1.0)
    safe = np.where(defined, surv, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        se2 = z * std_err / np.log(safe)
        loglog = np.log(-np.log(safe))
        lower = np.where(defined, np.exp(-np.exp(loglog - se2)), np.nan)
        upper = np.where(defined, np.exp(-np.exp(loglog + se2)), np.nan)
    x = np.concatenate(([0.0], times))

    def quantile_with_ci(p: float) -> tuple[float | None, tuple[float | None, float | None]]:
        estimate = _findq(x, np.concatenate(([0.0], 1.0 - surv)), p)
        low = _findq(x, np.concatenate(([0.0], 1.0 - lower)), p)
        high = _findq(x, np.concatenate(([0.0], 1.0 - upper)), p)
        return estimate, (low, high)

    median, median_ci = quantile_with_ci(0.5)
    q1, q1_ci = quantile_with_ci(0.25)
    q3, q3_ci = quantile_with_ci(0.75)
    events = int(n_event.sum())
    note = None
    if events == 0:
        note = "no events: no quantile is reached"
    elif median is None:
        note = "the median is not reached"
    elif median_ci[1] is None:
        note = "the upper confidence limit of the median is not reached"
    return KaplanMeierResult(
        n, events, tuple(times.tolist()), tuple(n_risk.tolist()), tuple(n_event.tolist()),
        tuple(n_censor.tolist()), tuple(surv.tolist()),
        tuple(finite_or_none(v) for v in std_err.tolist()),
        tuple(finite_or_none(v) for v in lower.tolist()),
        tuple(finite_or_none(v) for v in upper.tolist()),
        median, median_ci, q1, q1_ci, q3, q3_ci, conf_level, method, note,
    )
