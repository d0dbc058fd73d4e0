"""One-sided exact binomial test of a response rate: critical value, attained alpha, power.

H0: rate = p0 against rate > p0 (design.md: one-sided, reject when X >= critical). The
critical value is the smallest c with P(X >= c | p0) <= alpha, so the attained alpha is at
most the nominal one; power is P(X >= c | p1). Both are exact binomial tail sums (R:
``pbinom(c - 1, n, p, lower.tail = FALSE)``). When even X = n is too likely under p0
(p0^n > alpha) no critical value exists and the smallest n that has one is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from jdmtrack.errors import SettingsError
from jdmtrack.plan import _checks

__all__ = ["BinomialDesign", "binomial_design", "binomial_min_n"]


@dataclass(frozen=True)
class BinomialDesign:
    """Exact one-sided binomial test of ``n`` patients at level ``alpha_target``."""

    n: int
    p0: float
    p1: float
    alpha_target: float
    critical: int
    alpha: float
    power: float

    def as_dict(self) -> dict[str, Any]:
        return {"design": "binomial", "n": self.n, "p0": self.p0, "p1": self.p1,
                "alpha_target": self.alpha_target, "critical": self.critical,
                "alpha": self.alpha, "power": self.power}


def binomial_min_n(p0: float, alpha: float) -> int:
    """Smallest n at which the one-sided exact test can reject: p0^n <= alpha.

    >>> binomial_min_n(0.2, 0.05)   # 0.2^2 = 0.04
    2
    """
    n = max(1, math.ceil(math.log(alpha) / math.log(p0)))
    while p0**n > alpha:  # guard the rounding of the logarithms
        n += 1
    while n > 1 and p0 ** (n - 1) <= alpha:
        n -= 1
    return n


def binomial_design(n: int, p0: float, p1: float, alpha: float = 0.05) -> BinomialDesign:
    """Critical value, attained alpha and exact power of the one-sided binomial test.

    Examples
    --------
    n = 20, p0 = 0.2, p1 = 0.5: P(X >= 8 | 0.2) = 0.0321 <= 0.05 < P(X >= 7 | 0.2) = 0.0867.

    >>> d = binomial_design(20, 0.2, 0.5)
    >>> d.critical, round(d.alpha, 4), round(d.power, 4)
    (8, 0.0321, 0.8684)
    """
    from scipy import stats

    p0, p1 = _checks.rates(p0, p1)
    alpha = _checks.probability(alpha, "--alpha")
    n = _checks.count(n, "--n", 1)
    smallest = binomial_min_n(p0, alpha)
    if n < smallest:
        raise SettingsError(
            f"with n = {n} the one-sided exact binomial test cannot reach alpha = {alpha!r} at "
            f"p0 = {p0!r} (even {n} responses of {n} has probability {p0**n!r}); the smallest "
            f"n that can is {smallest}"
        )
    tails = stats.binom.sf(range(-1, n + 1), n, p0)  # tails[c] = P(X >= c)
    critical = next(c for c in range(n + 1) if tails[c] <= alpha)
    return BinomialDesign(n, p0, p1, alpha, critical, float(tails[critical]),
                          float(stats.binom.sf(critical - 1, n, p1)))
