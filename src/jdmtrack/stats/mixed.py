"""Linear mixed model: each follow-up week against baseline, random intercept per patient.

The model is R ``lme4::lmer(y ~ factor(week) + (1 | id), REML = TRUE)``: a fixed effect per
week (the first week, normally week 0, is the reference, so each coefficient is the mean
change from baseline) and a normal random intercept per patient. It uses every observed
visit, so patients with missing visits stay in: the missing-data sensitivity analysis of
design.md.

Estimation (our own, not statsmodels, so that it is exact to the optimiser's tolerance and
emits no ConvergenceWarning): with ``theta = sigma_patient / sigma`` the covariance of patient
i's m_i observations is ``sigma^2 (I + theta^2 J)``, whose inverse and determinant are closed
form. For each theta the fixed effects are generalised least squares and sigma^2 is profiled
out, leaving the one-dimensional REML criterion of lme4 (Bates et al. 2015, eq. 42)::

    d(theta) = sum_i log(1 + m_i theta^2) + log det(X' V^-1 X)
               + (N - p) (1 + log(2 pi r^2(theta) / (N - p)))

minimised over theta >= 0 by a grid search (0 and 161 values from 1e-4 to 1e4, evaluated
at once) followed by the root of its analytic derivative in theta^2 (Brent's method,
``_brent.brentq``, step for step as ``scipy.optimize.brentq``; relative tolerance 1e-15),
which is precise where the criterion itself is flat; theta = 0 (a "singular" fit, no
between-patient variance) is allowed and reported. Each evaluation runs over the visit
patterns, not the visits (``_Design``). Standard errors are
``sqrt(diag(sigma^2 (X' V^-1 X)^-1))`` as lme4 ``vcov``.

**p-values and CIs are Wald z** (normal reference distribution: estimate / SE, and
estimate +- 1.96 SE), computed from the same estimates and SEs that lme4 reports; no
Satterthwaite or Kenward-Roger degrees of freedom. With few patients Wald z is
anti-conservative: the report should say so.

References
----------
Bates D, Maechler M, Bolker B, Walker S. Fitting linear mixed-effects models using lme4.
J Stat Softw. 2015;67(1):1-48. doi:10.18637/jss.v067.i01
Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics. 1982;38:963-974.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._brent import brentq
from jdmtrack.stats._common import (
    DEFAULT_CONF_LEVEL,
    FloatArray,
    as_float_vector,
    as_float_vector_with_missing,
    check_conf_level,
    finite_or_none,
    week_key,
    week_keys,
)
from jdmtrack.stats._grouping import group_codes, sum_rows

__all__ = ["MixedModelResult", "WeekEffect", "mixed_model"]

_THETA_GRID = np.concatenate(([0.0], np.logspace(-4.0, 4.0, 161)))
# REML criterion differences below this are rounding noise (deviance units).
_BOUNDARY_TOL = 1e-9
# lme4::isSingular's default tolerance on theta.
_SINGULAR_TOL = 1e-4
# Residual sum of squares (fixed week effects plus one mean per patient) below this fraction
# of the total is rounding noise: the residual variance is zero and the REML criterion has no
# minimum (it falls without bound as theta grows).
_PERFECT_FIT_TOL = 1e-20


@dataclass(frozen=True)
class WeekEffect:
    """Fixed effect of one week against the reference (baseline) week."""

    week: float
    estimate: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{estimate, se, ci95, p_value}`` plus ``z``."""
        return {
            "estimate": self.estimate,
            "se": self.se,
            "ci95": [self.ci_low, self.ci_high],
            "p_value": self.p_value,
            "z": self.z,
        }


@dataclass(frozen=True)
class MixedModelResult:
    """REML random-intercept model with one fixed effect per week."""

    weeks: tuple[float, ...]
    reference_week: float | None
    n_patients: int
    n_observations: int
    estimates: tuple[WeekEffect, ...]
    intercept: float | None
    intercept_se: float | None
    sigma_patient: float | None
    sigma_residual: float | None
    theta: float | None
    reml_criterion: float | None
    converged: bool
    singular: bool
    conf_level: float
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{weeks, n_patients, n_observations, estimates: {week:
        {estimate, se, ci95, p_value}}}`` plus the variance components and fit status."""
        return {
            "weeks": week_keys(self.weeks),
            "reference_week": None if self.reference_week is None
            else week_key(self.reference_week),
            "n_patients": self.n_patients,
            "n_observations": self.n_observations,
            "estimates": {week_key(e.week): e.as_dict() for e in self.estimates},
            "intercept": finite_or_none(self.intercept),
            "intercept_se": finite_or_none(self.intercept_se),
            "sd_patient": finite_or_none(self.sigma_patient),
            "sd_residual": finite_or_none(self.sigma_residual),
            "reml_criterion": finite_or_none(self.reml_criterion),
            "converged": self.converged,
            "singular": self.singular,
            "method": self.method,
            "note": self.note,
        }


def _patterns(counts: FloatArray) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(pattern of each row, a row of each pattern) of a matrix of visit counts: rows read
    as numbers in base (largest count + 1), unless too long for 63 bits."""
    base = int(counts.max()) + 1
    if counts.shape[1] * math.log2(base) < 62:
        keys = counts.astype(np.int64) @ (base ** np.arange(counts.shape[1], dtype=np.int64))
        _, first, pattern = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, pattern = np.unique(counts, axis=0, return_index=True, return_inverse=True)
    return pattern.reshape(-1), first


@dataclass(frozen=True)
class _Fits:
    """The profiled fit at each of several theta^2 (leading axis)."""

    criterion: FloatArray
    beta: FloatArray
    xtvx: FloatArray
    rss: FloatArray
    between: FloatArray  # per pattern: sum of (1'e_i)^2 over its patients


class _Design:
    """Sums by visit pattern: the profiled REML criterion at any theta then costs
    O(patterns), not O(visits), and is evaluated for many theta at once.

    Patients with the same visits (the same column sums s of X: a pattern, at most
    2^weeks - 1 of them) share m = s_0 visits and c = t / (1 + m t), with t = theta^2. So
    X'V^-1X = X'X - sum c n s s' and X'V^-1y = X'y - sum c s (sum of the patients' y sums)
    over the patterns (n patients each), and e'V^-1e = (within-patient sum of squares of e)
    + sum (1'e_i)^2 / (m_i (1 + m_i t)). Both parts are kept as sums of non-negative terms,
    without the cancellation of expanding the squares: the within-patient part is its
    minimum (patient-centred values on patient-centred week indicators, Frisch-Waugh) plus
    a quadratic form in the distance of the week effects from that regression's; in a
    pattern, sum (1'e_i)^2 is the patients' sum of squares of their y sums about its mean
    plus n (mean - s beta)^2.
    """

    def __init__(self, x: FloatArray, y: FloatArray, index: np.ndarray[Any, Any],
                 n_groups: int) -> None:
        self.n, self.p = x.shape
        sizes = np.bincount(index, minlength=n_groups).astype(np.float64)
        group_x = sum_rows(index, n_groups, x)
        group_y = np.bincount(index, weights=y, minlength=n_groups)
        # einsum, not BLAS: a multithreaded BLAS call costs milliseconds of thread wake-up
        # on a busy machine, for matrices of a few columns.
        self.xtx = np.einsum("ij,ik->jk", x, x)
        self.xty = np.einsum("ij,i->j", x, y)
        pattern, first = _patterns(group_x)
        self.sx = group_x[first]
        self.visits = self.sx[:, 0]
        self.count = np.bincount(pattern).astype(np.float64)
        self.mean_y = np.bincount(pattern, weights=group_y) / self.count
        spread = group_y - self.mean_y[pattern]
        self.ss_y = np.bincount(pattern, weights=spread * spread)
        self.sxx = np.einsum("k,kj,kl->kjl", self.count, self.sx, self.sx)
        self.sxy = self.sx * (self.count * self.mean_y)[:, None]
        xc = x[:, 1:] - (group_x[:, 1:] / sizes[:, None])[index]
        yc = y - (group_y / sizes)[index]
        coef, *_ = np.linalg.lstsq(xc, yc, rcond=None)
        resid = yc - np.einsum("ij,j->i", xc, coef)
        self.within_rss = float(np.einsum("i,i->", resid, resid))
        self.within_beta = np.asarray(coef, dtype=np.float64)
        self.within_xx = np.einsum("ij,ik->jk", xc, xc)

    def fits(self, t2: FloatArray) -> _Fits:
        """The fits at each theta^2 in ``t2``."""
        mt = 1.0 + self.visits * t2[:, None]
        c = t2[:, None] / mt
        xtvx = self.xtx - np.einsum("gk,kjl->gjl", c, self.sxx)
        xtvy = self.xty - np.einsum("gk,kj->gj", c, self.sxy)
        beta = np.linalg.solve(xtvx, xtvy[:, :, None])[:, :, 0]
        gap = beta[:, 1:] - self.within_beta
        within = self.within_rss + np.einsum("gj,jk,gk->g", gap, self.within_xx, gap)
        off = self.mean_y - np.einsum("gj,kj->gk", beta, self.sx)
        between = self.ss_y + self.count * off * off
        rss = within + np.sum(between / (self.visits * mt), axis=1)
        if not np.all(rss > 0.0):
            # log(0): the fixed effects reproduce every value at this theta.
            raise ComputationError("the residual sum of squares is zero: the model fits "
                                   "every value exactly")
        _, logdet = np.linalg.slogdet(xtvx)
        dof = self.n - self.p
        criterion = (np.log1p(self.visits * t2[:, None]) @ self.count
                     + logdet + dof * (1.0 + np.log(2.0 * math.pi * rss / dof)))
        return _Fits(criterion, beta, xtvx, rss, between)

    def criterion(self, theta: float) -> float:
        """The REML criterion at ``theta``."""
        return float(self.fits(np.array([theta * theta])).criterion[0])

    def slope(self, t2: float) -> float:
        """d criterion / d(theta^2), analytically (envelope theorem for beta):

        sum m_i / (1 + m_i t) - sum c_i' s_i' A^-1 s_i - (N - p) sum c_i' (1'e_i)^2 / r^2,
        with t = theta^2, c_i' = 1 / (1 + m_i t)^2, A = X' V^-1 X and s_i patient i's column
        sums of X. Its root is located to machine precision, unlike the flat criterion.
        """
        fit = self.fits(np.array([t2]))
        mt = 1.0 + self.visits * t2
        leverage = np.einsum("jl,klj->k", np.linalg.inv(fit.xtvx[0]), self.sxx)
        return float(np.sum(self.count * self.visits / mt) - np.sum(leverage / mt**2)
                     - (self.n - self.p) * np.sum(fit.between[0] / mt**2) / fit.rss[0])


def _minimise(design: _Design) -> tuple[float, bool]:
    """theta minimising the REML criterion: grid search, then the root of its slope."""
    values = design.fits(_THETA_GRID**2).criterion
    best = int(np.argmin(values))
    if best == _THETA_GRID.size - 1:
        return float(_THETA_GRID[best]), False  # unbounded: no finite optimum found
    lower = float(_THETA_GRID[max(best - 1, 0)]) ** 2
    upper = float(_THETA_GRID[best + 1]) ** 2
    converged = True
    if design.slope(lower) >= 0.0:
        theta = math.sqrt(lower)  # only when lower = 0: the criterion rises from the boundary
    elif design.slope(upper) <= 0.0:
        from scipy import optimize  # lazily: scipy.optimize (and scipy.linalg) cost ~0.4 s

        found = optimize.minimize_scalar(
            design.criterion, bounds=(math.sqrt(lower), math.sqrt(upper)),
            method="bounded", options={"xatol": 1e-12, "maxiter": 1000},
        )
        theta, converged = float(found.x), bool(found.success)
    else:
        root, converged = brentq(design.slope, lower, upper, xtol=1e-300, rtol=1e-15,
                                 maxiter=500)
        theta = math.sqrt(root)
    # A boundary optimum: theta = 0 unless a positive theta is better by more than rounding.
    if design.criterion(0.0) <= design.criterion(theta) + _BOUNDARY_TOL:
        theta = 0.0
    return theta, converged


def mixed_model(
    subject: Sequence[Hashable],
    week: Sequence[float] | Any,
    value: Sequence[float | None] | Any,
    *,
    reference_week: float | None = None,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> MixedModelResult:
    """Fit ``value ~ factor(week) + (1 | subject)`` by REML (as lme4 ``lmer``).

    Parameters
    ----------
    subject, week, value
        Long format, one row per visit; rows with a missing value are dropped.
    reference_week
        The baseline level (default: the first week observed).
    conf_level
        Of the Wald intervals.

    Returns
    -------
    MixedModelResult
        ``estimates`` holds one ``WeekEffect`` per non-reference week. When the model cannot
        be fitted (fewer than two weeks, no patient with two visits, no residual degrees of
        freedom) the estimates are empty and the ``note`` says why.

    Examples
    --------
    >>> ids = ["a", "a", "b", "b", "c", "c", "d", "d"]
    >>> wk = [0, 12, 0, 12, 0, 12, 0, 12]
    >>> y = [40, 46, 30, 33, 45, 52, 38, 41]
    >>> r = mixed_model(ids, wk, y)
    >>> e = r.estimates[0]
    >>> e.week, e.estimate, round(e.se, 6)  # lme4: 4.75, 1.0307764029
    (12.0, 4.75, 1.030776)
    """
    conf_level = check_conf_level(conf_level)
    subjects = np.asarray(list(subject), dtype=object)
    weeks = as_float_vector(week, "week")
    y_all = as_float_vector_with_missing(value, "value")
    if not subjects.size == weeks.size == y_all.size:
        raise ComputationError(
            f"subject, week and value must have the same length; got {subjects.size}, "
            f"{weeks.size} and {y_all.size}"
        )
    keep = ~np.isnan(y_all)
    subjects, weeks, y = subjects[keep], weeks[keep], y_all[keep]
    levels = sorted(set(weeks.tolist()))
    n_obs = int(y.size)
    index, n_patients = group_codes(subjects.tolist())
    method = (
        "linear mixed model, REML, random intercept per patient, fixed effect per week vs "
        "the reference week (as lme4::lmer); Wald z p-values and CIs"
    )
    ref = levels[0] if (reference_week is None and levels) else reference_week

    def not_computable(why: str) -> MixedModelResult:
        return MixedModelResult(tuple(levels), ref, n_patients, n_obs, (), None, None, None,
                                None, None, None, False, False, conf_level, method, why)

    if len(levels) < 2:
        return not_computable("fewer than two weeks observed: nothing to compare")
    if ref not in levels:
        return not_computable(f"reference week {ref!r} has no observation")
    others = [w for w in levels if w != ref]
    p = 1 + len(others)
    if n_obs - p < 1:
        return not_computable("no residual degrees of freedom")
    if n_obs and float(np.ptp(y)) == 0.0:
        return not_computable("every value is the same: there is no variation to model")
    if n_patients >= n_obs:
        return not_computable(
            "no patient has two visits: the patient variance cannot be separated from the "
            "residual variance"
        )
    x = np.zeros((n_obs, p))
    x[:, 0] = 1.0
    for j, w in enumerate(others, start=1):
        x[:, j] = weeks == w
    design = _Design(x, y, index, n_patients)
    if design.within_rss <= _PERFECT_FIT_TOL * float(np.sum((y - y.mean()) ** 2)):
        return not_computable(
            "no residual variation: every patient changes by the same amount between the "
            "weeks (a perfect fit), so the residual variance is zero and the model is not "
            "estimable"
        )
    try:
        theta, converged = _minimise(design)
        fit = design.fits(np.array([theta * theta]))
    except ComputationError as err:
        return not_computable(f"{err}: the model is not estimable")
    sigma2 = float(fit.rss[0]) / (n_obs - p)
    cov = sigma2 * np.linalg.inv(fit.xtvx[0])
    se = np.sqrt(np.diag(cov))
    z_crit = float(special.ndtri(0.5 + conf_level / 2.0))
    effects = []
    for j, w in enumerate(others, start=1):
        estimate, error = float(fit.beta[0, j]), float(se[j])
        z = estimate / error
        effects.append(WeekEffect(
            w, estimate, error, z, 2.0 * float(special.ndtr(-abs(z))),
            estimate - z_crit * error, estimate + z_crit * error,
        ))
    sigma = math.sqrt(sigma2)
    note = None
    if not converged:
        note = "the REML optimiser did not converge: estimates are unreliable"
    elif theta < _SINGULAR_TOL:
        note = "singular fit: the estimated between-patient variance is (near) zero"
    return MixedModelResult(
        tuple(levels), ref, n_patients, n_obs, tuple(effects), float(fit.beta[0, 0]), float(se[0]),
        theta * sigma, sigma, theta, float(fit.criterion[0]), converged, theta < _SINGULAR_TOL, conf_level,
        method, note,
    )
