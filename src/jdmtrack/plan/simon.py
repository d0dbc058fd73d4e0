"""Simon's (1989) optimal and minimax two-stage designs for a single-arm response rate.

Stage 1 treats ``n1`` patients and stops for futility with ``<= r1`` responses; otherwise
``n - n1`` more are treated and the treatment is called promising with ``> r`` responses of
``n``. Among the designs whose type I error (at ``p0``) is below ``alpha`` and whose type II
error (at ``p1``) is below ``beta`` (both strict, as R clinfun ``ph2simon``):

* **optimal** minimises the expected sample size under p0,
  ``EN(p0) = n1 + (1 - PET(p0)) (n - n1)``, ``PET(p0) = P(X1 <= r1 | p0)``;
* **minimax** has the smallest ``n``, and the smallest EN(p0) at that ``n``.

The search is exhaustive over ``n <= nmax`` (default 100, as ``ph2simon``): for each
``(n1, n2)`` the rejection probability of every boundary pair at once,
``P(X1 > r1, X1 + X2 > r) = sum_{x1 > r1} P(X1 = x1) P(X2 > r - x1)``, is a reverse cumulative
sum over a small matrix. Ties in EN(p0) go as in ``ph2simon``: smaller n1, then larger r1,
then larger r.

References
----------
Simon R. Optimal two-stage designs for phase II clinical trials. Control Clin Trials.
1989;10:1-10.
Seshan VE. clinfun: Clinical Trial Design and Data Analysis Functions (R package), ph2simon.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jdmtrack.errors import SettingsError
from jdmtrack.plan import _checks
from jdmtrack.plan._types import FloatArray

__all__ = ["SimonDesign", "SimonResult", "simon_designs", "simon_operating"]


#: Largest total sample size searched unless told (R clinfun ``ph2simon``'s default).
DEFAULT_NMAX = 100
_NMAX_LIMIT = 1000


@dataclass(frozen=True)
class SimonDesign:
    """One two-stage design with its operating characteristics (full precision)."""

    r1: int
    n1: int
    r: int
    n: int
    en_p0: float
    pet_p0: float
    alpha: float
    power: float

    def as_dict(self) -> dict[str, Any]:
        return {"r1": self.r1, "n1": self.n1, "r": self.r, "n": self.n, "en_p0": self.en_p0,
                "pet_p0": self.pet_p0, "alpha": self.alpha, "power": self.power}


@dataclass(frozen=True)
class SimonResult:
    """Optimal and minimax designs for (p0, p1, alpha, beta), searched up to ``nmax``."""

    request: tuple[float, float, float, float]
    nmax: int
    optimal: SimonDesign
    minimax: SimonDesign
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        p0, p1, alpha, beta = self.request
        return {"design": "simon", "p0": p0, "p1": p1, "alpha_target": alpha,
                "beta_target": beta, "nmax": self.nmax, "optimal": self.optimal.as_dict(),
                "minimax": self.minimax.as_dict(), "note": self.note}


def _tables(p: float, nmax: int) -> tuple[list[FloatArray], list[FloatArray]]:
    """pmf and survival P(X > k), k = 0..m, of Binomial(m, p) for every m <= nmax."""
    from scipy import stats

    pmfs: list[FloatArray] = []
    sfs: list[FloatArray] = []
    for m in range(nmax + 1):
        k = np.arange(m + 1)
        pmfs.append(np.asarray(stats.binom.pmf(k, m, p), dtype=np.float64))
        sfs.append(np.asarray(stats.binom.sf(k, m, p), dtype=np.float64))
    return pmfs, sfs


def _reject(pmf1: FloatArray, sf2: FloatArray, n1: int, n2: int) -> FloatArray:
    """``R[r1, r] = P(X1 > r1, X1 + X2 > r)`` for r1 = 0..n1-1, r = 0..n1+n2."""
    n = n1 + n2
    k = np.arange(n + 1)[None, :] - np.arange(n1 + 1)[:, None]  # r - x1
    surv = np.where(k < 0, 1.0, sf2[np.clip(k, 0, n2)])        # P(X2 > r - x1)
    terms = pmf1[:, None] * surv
    tail = np.cumsum(terms[::-1], axis=0)[::-1]                 # sum over x1 >= row
    return tail[1:]                                             # x1 > r1, r1 = 0..n1-1


def simon_operating(r1: int, n1: int, r: int, n: int, p: float) -> tuple[float, float]:
    """P(promising | p) and P(stop after stage 1 | p) of the design (r1/n1, r/n).

    >>> reject, pet = simon_operating(0, 9, 2, 17, 0.05)
    >>> round(pet, 4), round(reject, 4)
    (0.6302, 0.0466)
    """
    from scipy import stats

    x1 = np.arange(r1 + 1, n1 + 1)
    reject = float(np.sum(stats.binom.pmf(x1, n1, p) * stats.binom.sf(r - x1, n - n1, p)))
    return reject, float(stats.binom.cdf(r1, n1, p))


def simon_designs(p0: float, p1: float, alpha: float = 0.05, beta: float = 0.2,
                  *, nmax: int = DEFAULT_NMAX) -> SimonResult:
    """Simon's optimal and minimax two-stage designs (exact search, as clinfun ``ph2simon``).

    Examples
    --------
    Simon (1989), Table 1, p0 = 0.05, p1 = 0.25, alpha = 0.05, beta = 0.20:

    >>> s = simon_designs(0.05, 0.25, 0.05, 0.2)
    >>> o, m = s.optimal, s.minimax
    >>> (o.r1, o.n1, o.r, o.n), round(o.en_p0, 1), (m.r1, m.n1, m.r, m.n), round(m.en_p0, 1)
    ((0, 9, 2, 17), 12.0, (0, 12, 2, 16), 13.8)
    """
    p0, p1 = _checks.rates(p0, p1)
    alpha, beta = _checks.alpha_beta(alpha, beta)
    nmax = _checks.count(nmax, "--nmax", 2)
    if nmax > _NMAX_LIMIT:
        raise SettingsError(f"--nmax must be at most {_NMAX_LIMIT}; got {nmax}")
    pmf0, sf0 = _tables(p0, nmax)
    pmf1, sf1 = _tables(p1, nmax)
    best: dict[int, SimonDesign] = {}
    for n in range(2, nmax + 1):
        for n1 in range(1, n):
            n2 = n - n1
            rej0 = _reject(pmf0[n1], sf0[n2], n1, n2)
            rej1 = _reject(pmf1[n1], sf1[n2], n1, n2)
            ok = (rej0 < alpha) & (1.0 - rej1 < beta)
            # r must be >= r1 (a final boundary below the first-stage one is never used).
            ok &= np.arange(n + 1)[None, :] >= np.arange(n1)[:, None]
            rows = np.flatnonzero(ok.any(axis=1))
            if rows.size == 0:
                continue
            r1 = int(rows[-1])  # larger r1 stops more often under p0: smaller EN
            r = int(np.flatnonzero(ok[r1])[-1])
            pet = float(np.sum(pmf0[n1][: r1 + 1]))
            en = n1 + (1.0 - pet) * n2
            current = best.get(n)
            if en < (current.en_p0 if current else float(n)):
                best[n] = SimonDesign(r1, n1, r, n, en, pet, float(rej0[r1, r]),
                                      float(rej1[r1, r]))
    if not best:
        raise SettingsError(
            f"no two-stage design with n <= {nmax} reaches alpha < {alpha!r} and power > "
            f"{1 - beta!r} for p0 = {p0!r}, p1 = {p1!r}: increase --nmax or the difference"
        )
    minimax = best[min(best)]
    optimal = min(best.values(), key=lambda d: (d.en_p0, d.n))
    note = None
    if optimal.n > nmax - 10:
        note = (f"the optimal design's n ({optimal.n}) is within 10 of nmax ({nmax}): a larger "
                "--nmax may find a design with a smaller EN(p0)")
    return SimonResult((p0, p1, alpha, beta), nmax, optimal, minimax, note)
