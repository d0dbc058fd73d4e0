"""Proportions: Clopper-Pearson intervals, the exact binomial test, exact McNemar.

* ``clopper_pearson(x, n)``: the "exact" interval of R ``binom.test(x, n)$conf.int``:
  lower = Beta quantile(alpha/2; x, n - x + 1) (0 when x = 0), upper = Beta quantile(1 -
  alpha/2; x + 1, n - x) (1 when x = n).
* ``binomial_test(x, n, p)``: R ``binom.test``'s two-sided p-value (the sum of the
  probabilities of outcomes no more likely than the observed one, with R's relative
  tolerance 1 + 1e-7). For p = 1/2 it is computed in exact integer arithmetic.
* ``mcnemar_exact``: the exact (conditional) McNemar test for paired yes/no outcomes, i.e.
  R ``binom.test(b, b + c)`` on the discordant pairs; smallest attainable p = 2 / 2^(b + c).

References
----------
Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of
the binomial. Biometrika. 1934;26:404-413.
McNemar Q. Note on the sampling error of the difference between correlated proportions or
percentages. Psychometrika. 1947;12:153-157.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    DEFAULT_ALPHA,
    DEFAULT_CONF_LEVEL,
    check_alpha,
    check_conf_level,
    check_count,
    finite_or_none,
    join_notes,
    pair_or_none,
)

__all__ = [
    "BinomialTestResult",
    "McNemarResult",
    "ProportionResult",
    "binomial_test",
    "clopper_pearson",
    "mcnemar_exact",
    "mcnemar_exact_from_pairs",
]


@dataclass(frozen=True)
class ProportionResult:
    """A proportion with its Clopper-Pearson interval."""

    n_evaluable: int
    n_met: int
    proportion: float | None
    ci_low: float | None
    ci_high: float | None
    conf_level: float
    method: str = "Clopper-Pearson exact interval (as binom.test)"
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{n_evaluable, n_met, proportion, ci95}``."""
        return {
            "n_evaluable": self.n_evaluable,
            "n_met": self.n_met,
            "proportion": finite_or_none(self.proportion),
            "ci95": pair_or_none(self.ci_low, self.ci_high),
            "method": self.method,
            "note": self.note,
        }


def clopper_pearson(
    n_met: int, n_evaluable: int, *, conf_level: float = DEFAULT_CONF_LEVEL
) -> ProportionResult:
    """Proportion ``n_met / n_evaluable`` with its Clopper-Pearson CI (R ``binom.test``).

    With ``n_evaluable = 0`` the proportion and interval are ``None`` (note says so).

    Examples
    --------
    >>> r = clopper_pearson(0, 10)
    >>> r.proportion, r.ci_low, round(r.ci_high, 10)   # R: 0, 0.30849710781876
    (0.0, 0.0, 0.3084971078)
    """
    conf_level = check_conf_level(conf_level)
    x = check_count(n_met, "n_met")
    n = check_count(n_evaluable, "n_evaluable")
    if x > n:
        raise ComputationError(f"n_met ({x}) cannot exceed n_evaluable ({n})")
    if n == 0:
        return ProportionResult(0, 0, None, None, None, conf_level, note="no evaluable patient")
    tail = (1.0 - conf_level) / 2.0
    low = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, tail))
    high = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1.0 - tail))
    return ProportionResult(n, x, x / n, low, high, conf_level)


@dataclass(frozen=True)
class BinomialTestResult:
    """Two-sided exact binomial test of H0: probability = ``p_null``."""

    x: int
    n: int
    p_null: float
    p_value: float | None
    min_attainable_p: float | None
    method: str = "exact binomial test, two-sided (as binom.test)"
    note: str | None = None


def _binomial_p_half(x: int, n: int) -> float:
    """Two-sided binom.test p-value for p = 1/2, exactly: min(1, 2 P(X <= min(x, n - x)))."""
    low = min(x, n - x)
    tail = sum(math.comb(n, i) for i in range(low + 1))
    return float(min(Fraction(1), Fraction(2 * tail, 2**n)))


def _binomial_p(x: int, n: int, p: float) -> float:
    """R ``binom.test(x, n, p)$p.value`` (two-sided), n >= 1."""
    if p == 0.5:
        return _binomial_p_half(x, n)
    if p == 0.0:
        return float(x == 0)
    if p == 1.0:
        return float(x == n)
    # scipy.stats adds about half a second to start-up, and only this branch needs it (its
    # binomial pmf, cdf and sf have no public scipy.special equivalent giving the same digits),
    # so it is imported here: a report that never tests p != 1/2 never loads it.
    from scipy import stats

    rel_err = 1.0 + 1e-7  # R binom.test
    d = float(stats.binom.pmf(x, n, p))
    m = n * p
    if x == m:
        return 1.0
    if x < m:
        upper = range(math.ceil(m), n + 1)
        y = sum(1 for i in upper if stats.binom.pmf(i, n, p) <= d * rel_err)
        value = float(stats.binom.cdf(x, n, p)) + float(stats.binom.sf(n - y, n, p))
    else:
        lower = range(0, math.floor(m) + 1)
        y = sum(1 for i in lower if stats.binom.pmf(i, n, p) <= d * rel_err)
        value = float(stats.binom.cdf(y - 1, n, p)) + float(stats.binom.sf(x - 1, n, p))
    return min(1.0, value)


def binomial_test(x: int, n: int, p: float = 0.5) -> BinomialTestResult:
    """Exact two-sided binomial test, as R ``binom.test(x, n, p)$p.value``.

    ``min_attainable_p`` is the smaller of the p-values of x = 0 and x = n.

    Examples
    --------
    >>> r = binomial_test(0, 6)      # 2 / 2^6
    >>> r.p_value, r.min_attainable_p
    (0.03125, 0.03125)
    >>> round(binomial_test(3, 20, 0.3).p_value, 12)   # R: 0.22041826738071
    0.220418267381
    """
    x = check_count(x, "x")
    n = check_count(n, "n")
    if x > n:
        raise ComputationError(f"x ({x}) cannot exceed n ({n})")
    if not 0.0 <= p <= 1.0:
        raise ComputationError(f"the null probability must be in [0, 1]; got {p!r}")
    if n == 0:
        return BinomialTestResult(x, n, p, None, None, note="n = 0: no trials to test")
    min_p = min(_binomial_p(0, n, p), _binomial_p(n, n, p))
    return BinomialTestResult(x, n, p, _binomial_p(x, n, p), min_p)


@dataclass(frozen=True)
class McNemarResult:
    """Exact McNemar test on the discordant pairs of a paired yes/no outcome."""

    n_pairs: int | None
    n_yes_to_no: int
    n_no_to_yes: int
    n_discordant: int
    p_value: float | None
    min_attainable_p: float | None
    alpha: float
    can_reach_alpha: bool
    method: str = "exact McNemar test: binom.test(b, b + c, 0.5) on the discordant pairs"
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "n_pairs": self.n_pairs,
            "n_yes_to_no": self.n_yes_to_no,
            "n_no_to_yes": self.n_no_to_yes,
            "n_discordant": self.n_discordant,
            "p_value": finite_or_none(self.p_value),
            "min_attainable_p": finite_or_none(self.min_attainable_p),
            "can_reach_alpha": self.can_reach_alpha,
            "method": self.method,
            "note": self.note,
        }


def mcnemar_exact(
    n_yes_to_no: int, n_no_to_yes: int, *, alpha: float = DEFAULT_ALPHA,
    n_pairs: int | None = None,
) -> McNemarResult:
    """Exact McNemar test from the two discordant counts (R ``binom.test(b, b + c)``).

    Examples
    --------
    >>> r = mcnemar_exact(0, 5)
    >>> r.p_value, r.min_attainable_p, r.can_reach_alpha
    (0.0625, 0.0625, False)
    """
    alpha = check_alpha(alpha)
    b = check_count(n_yes_to_no, "n_yes_to_no")
    c = check_count(n_no_to_yes, "n_no_to_yes")
    m = b + c
    if m == 0:
        return McNemarResult(n_pairs, b, c, 0, None, None, alpha, False,
                             note="no discordant pairs: the McNemar test is not computable")
    min_p = min(1.0, 2.0 ** (1 - m))
    note = None
    if min_p > alpha:
        note = (f"{m} discordant pair(s): the smallest attainable p-value, {min_p!r}, "
                f"is above alpha = {alpha!r}")
    return McNemarResult(n_pairs, b, c, m, _binomial_p_half(b, m), min_p, alpha,
                         min_p <= alpha, note=note)


def mcnemar_exact_from_pairs(
    before: Sequence[bool | None], after: Sequence[bool | None], *,
    alpha: float = DEFAULT_ALPHA,
) -> McNemarResult:
    """Exact McNemar test from aligned yes/no outcomes (``None`` = missing, pair dropped).

    Examples
    --------
    >>> r = mcnemar_exact_from_pairs([True, True, False, False, None],
    ...                              [False, True, True, True, True])
    >>> r.n_pairs, r.n_yes_to_no, r.n_no_to_yes, r.p_value
    (4, 1, 2, 1.0)
    """
    pairs = list(zip(before, after, strict=True)) if len(before) == len(after) else None
    if pairs is None:
        raise ComputationError(
            f"before and after must be aligned per patient; got {len(before)} and {len(after)}"
        )
    complete = [(b, a) for b, a in pairs if b is not None and a is not None]
    yes_to_no = sum(1 for b, a in complete if b and not a)
    no_to_yes = sum(1 for b, a in complete if not b and a)
    result = mcnemar_exact(yes_to_no, no_to_yes, alpha=alpha, n_pairs=len(complete))
    dropped = len(pairs) - len(complete)
    if dropped:
        extra = f"{dropped} pair(s) with a missing value dropped"
        return McNemarResult(
            result.n_pairs, result.n_yes_to_no, result.n_no_to_yes, result.n_discordant,
            result.p_value, result.min_attainable_p, result.alpha, result.can_reach_alpha,
            result.method, join_notes([result.note, extra]),
        )
    return result
