"""Linear mixed model with patients nested in sites: random intercepts for site and patient.

The model is R ``lme4::lmer(y ~ factor(week) + (1 | site/patient), REML = TRUE)``: a fixed
effect per week against the reference week (normally baseline), a normal random intercept per
site and one per patient within site (a patient is identified by its site and id, as
``site/patient`` does), and a residual. It is the pooled multi-site analysis of the
repeated measures, using every observed visit.

Estimation follows lme4 (Bates et al. 2015): with relative standard deviations
``theta = (sigma_site, sigma_patient) / sigma``, Lambda = diag(theta) over the q = sites +
patients random effects and A = Lambda Z'Z Lambda + I, the penalised least-squares
solution gives beta, u and the penalised residual sum of squares r^2(theta) (solved by
blocks in O(visits), see ``_Reml``); sigma^2 is
profiled out, leaving the REML criterion of lme4 (eq. 42)::

    d(theta) = log det A + log det(X'X - X'Z Lambda A^-1 Lambda Z'X)
               + (N - p) (1 + log(2 pi r^2 / (N - p)))

minimised over theta >= 0 (L-BFGS-B from several starting points; theta on the boundary is a
"singular" fit, reported). Standard errors are lme4 ``vcov``: sigma^2 (X' V^-1 X)^-1.

p-values and CIs are Wald z, as ``mixed_model`` (anti-conservative with few sites: with
fewer than five sites the site variance is poorly estimated and the note says so).

Reference
---------
Bates D, Maechler M, Bolker B, Walker S. Fitting linear mixed-effects models using lme4.
J Stat Softw. 2015;67(1):1-48. doi:10.18637/jss.v067.i01
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    DEFAULT_CONF_LEVEL,
    FloatArray,
    as_float_vector,
    as_float_vector_with_missing,
    check_conf_level,
    join_notes,
)
from jdmtrack.stats._json import AsDict
from jdmtrack.stats.mixed import WeekEffect

__all__ = ["MAX_RANDOM_EFFECTS", "NestedMixedResult", "nested_mixed_model"]

#: Largest number of random effects (sites + patients): a guard on memory only, the solve
#: takes O(visits) operations (``_Reml``).
MAX_RANDOM_EFFECTS = 5_000_000
# lme4::isSingular's default tolerance on theta.
_SINGULAR_TOL = 1e-4
_STARTS = ((1.0, 1.0), (0.1, 1.0), (1.0, 0.1), (0.0, 1.0), (3.0, 3.0))
# Fewer sites than this: the site variance rests on very few values.
_FEW_SITES = 5
# Largest relative SD (random-effect SD / residual SD) searched: beyond, the residual is
# negligible and the criterion has no finite optimum (said in not_run).
_THETA_MAX = 1e3
# Above this many patients, two optimiser starts instead of five.
_FEW_STARTS_ABOVE = 500


@dataclass(frozen=True)
class NestedMixedResult(AsDict):
    """REML model with random intercepts for site and patient within site."""

    weeks: tuple[float, ...]
    reference_week: float | None
    n_sites: int
    n_patients: int
    n_observations: int
    estimates: tuple[WeekEffect, ...]
    intercept: float | None
    intercept_se: float | None
    sd_site: float | None
    sd_patient: float | None
    sd_residual: float | None
    reml_criterion: float | None
    converged: bool
    singular: bool
    conf_level: float
    method: str
    not_run: str | None = None
    note: str | None = None


def _cross(a: Any, b: Any) -> Any:
    """a' b over the first axis (vectors or matrices), without BLAS."""
    spec = {(2, 2): "ij,ik->jk", (2, 1): "ij,i->j", (1, 1): "i,i->"}[(a.ndim, b.ndim)]
    return np.einsum(spec, a, b)


def _sum(index: Any, size: int, values: Any) -> Any:
    """Sums of the rows of ``values`` (a matrix) by ``index``."""
    return np.stack([np.bincount(index, weights=values[:, j], minlength=size)
                     for j in range(values.shape[1])], axis=1)


def _times(a: Any, b: Any) -> Any:
    """a b (a matrix times a vector), without BLAS."""
    return np.einsum("ij,j->i", a, b)


class _Reml:
    """The profiled REML criterion of lme4 for random intercepts of site and patient-in-site.

    A = Lambda Z'Z Lambda + I has a patient block that is diagonal (d_p = 1 + t_p^2 n_p, n_p
    a patient's visits), a diagonal site block (1 + t_s^2 n_s) and a site x patient block
    g_p = t_s t_p n_p (each patient in one site). Eliminating the patients leaves a diagonal
    Schur complement m_s = 1 + t_s^2 n_s - sum_{p in s} g_p^2 / d_p. Everything the
    criterion needs is then a sum over patients of (patient sums of x and y) and their
    products, weighted by functions of n_p: patients of one site with the same number of
    visits form a cell, and each evaluation runs over the cells (sites x visit counts), not
    the patients or the visits. The same numbers as the dense Cholesky of A, at any size.
    """

    def __init__(self, x: FloatArray, y: FloatArray, site_index: np.ndarray[Any, Any],
                 patient_index: np.ndarray[Any, Any], patient_site: np.ndarray[Any, Any],
                 n_sites: int) -> None:
        self.n, self.p = x.shape
        self.n_sites = n_sites
        n_patients = int(patient_site.size)
        self.n_site = np.bincount(site_index, minlength=n_sites).astype(np.float64)
        visits = np.bincount(patient_index, minlength=n_patients)
        # Patient sums of x and y, then cells of (site, number of visits).
        px = _sum(patient_index, n_patients, x)
        py = np.bincount(patient_index, weights=y, minlength=n_patients)
        keys, cell = np.unique(patient_site * (int(visits.max()) + 1) + visits,
                               return_inverse=True)
        n_cells = int(keys.size)
        self.cell_site = (keys // (int(visits.max()) + 1)).astype(np.int64)
        self.cell_visits = (keys % (int(visits.max()) + 1)).astype(np.float64)
        self.cell_count = np.bincount(cell, minlength=n_cells).astype(np.float64)
        self.s1x = _sum(cell, n_cells, px)
        self.s1y = np.bincount(cell, weights=py, minlength=n_cells)
        self.s2xx = np.stack([_sum(cell, n_cells, px * px[:, [j]]) for j in range(self.p)],
                             axis=2)
        self.s2xy = _sum(cell, n_cells, px * py[:, None])
        self.s2yy = np.bincount(cell, weights=py * py, minlength=n_cells)
        # Site sums of x and y, and X'X, X'y, y'y.
        self.sx = _sum(site_index, n_sites, x)
        self.sy = np.bincount(site_index, weights=y, minlength=n_sites)
        self.xtx, self.xty = _cross(x, x), _cross(x, y)
        # Within-patient cross-products of [X y], from values centred on each patient's
        # mean (exact: no difference of large sums).
        xy = np.column_stack([x, y])
        centred = xy - (_sum(patient_index, n_patients, xy) / visits[:, None])[patient_index]
        self.within = _cross(centred, centred)

    def _by_site(self, values: Any) -> Any:
        """Sum cell values (vectors or matrices) into their sites."""
        if values.ndim == 1:
            return np.bincount(self.cell_site, weights=values, minlength=self.n_sites)
        return _sum(self.cell_site, self.n_sites, values)

    def solve(self, theta: Sequence[float]) -> tuple[float, FloatArray, FloatArray, float]:
        """(criterion, beta, X'V^-1X / sigma^2 scale matrix, r^2) at ``theta``."""
        ts, tp = float(theta[0]), float(theta[1])
        d = 1.0 + tp * tp * self.cell_visits
        g = ts * tp * self.cell_visits
        count = self.cell_count
        m = 1.0 + ts * ts * self.n_site - self._by_site(count * g * g / d)
        # A^-1 Lambda Z'X, site rows (the patient rows are (t_p x_p - g u_site) / d).
        ax_s = (ts * self.sx - self._by_site((tp * g / d)[:, None] * self.s1x)) / m[:, None]
        at_x = ax_s[self.cell_site]
        weight = tp * g / d
        rx = (self.xtx - ts * _cross(self.sx, ax_s)
              - np.einsum("c,cjk->jk", tp * tp / d, self.s2xx)
              + _cross(weight[:, None] * self.s1x, at_x))
        rhs = (self.xty - ts * _cross(ax_s, self.sy)
               - _cross(self.s2xy, tp * tp / d)
               + _cross(at_x, weight * self.s1y))
        beta = np.linalg.solve(rx, rhs)
        # a_p = (patient sum of y) - (patient sum of x) beta: its cell sums and squares.
        sa = self.s1y - _times(self.s1x, beta)
        saa = (self.s2yy - 2.0 * _cross(self.s2xy.T, beta)
               + np.einsum("cjk,j,k->c", self.s2xx, beta, beta))
        u_s = (ts * (self.sy - _times(self.sx, beta)) - self._by_site(weight * sa)) / m
        # r^2 = ||y - X beta - Z Lambda u||^2 + ||u||^2 as a sum of non-negative parts.
        # With a = y - X beta, a_p its sum over patient p's visits (n_p of them) and the
        # random part constant within a patient, each patient's residual splits into its
        # within-patient sum of squares of a (a quadratic form of [-beta, 1] in the
        # within-patient cross-products of [X y], fixed) and (a_p - n_p t_s u_site)^2 /
        # (n_p d_p^2); the patient's ||u_p||^2 adds t_p^2 times the same square / d_p^2:
        # together (a_p - n_p t_s u_site)^2 / (n_p d_p).
        b = np.append(-beta, 1.0)
        within = max(0.0, float(_cross(b, _times(self.within, b))))
        shift = self.cell_visits * ts * u_s[self.cell_site]
        squares = np.maximum(saa - 2.0 * shift * sa + count * shift * shift, 0.0)
        r2 = within + float(np.sum(squares / (self.cell_visits * d))) + float(_cross(u_s, u_s))
        if not r2 > 0.0:
            raise ComputationError("the residual sum of squares is zero: the model fits "
                                   "every value exactly")
        dof = self.n - self.p
        _, logdet_rx = np.linalg.slogdet(rx)
        logdet_a = float(np.sum(count * np.log(d)) + np.sum(np.log(m)))
        criterion = logdet_a + float(logdet_rx) + dof * (1.0 + math.log(2.0 * math.pi * r2 / dof))
        return criterion, np.asarray(beta, dtype=np.float64), rx, r2


def nested_mixed_model(
    site: Sequence[Hashable],
    subject: Sequence[Hashable],
    week: Sequence[float] | Any,
    value: Sequence[float | None] | Any,
    *,
    reference_week: float | None = None,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> NestedMixedResult:
    """Fit ``value ~ factor(week) + (1 | site/subject)`` by REML (as lme4 ``lmer``).

    Long format, one row per visit; rows with a missing value are dropped. Never raises on
    degenerate data: fewer than two weeks, one site, no patient with two visits, constant
    values or too many random effects give ``not_run``.

    Examples
    --------
    >>> site = ["A"] * 6 + ["B"] * 6 + ["C"] * 6
    >>> ids = [1, 1, 2, 2, 3, 3] * 3
    >>> wk = [0, 12] * 9
    >>> y = [40, 46, 30, 33, 45, 52, 38, 41, 35, 40, 36, 44, 42, 47, 44, 50, 39, 41]
    >>> r = nested_mixed_model(site, ids, wk, y)
    >>> r.estimates[0].week, round(r.estimates[0].estimate, 6), r.n_patients   # lme4: 5
    (12.0, 5.0, 9)
    """
    conf_level = check_conf_level(conf_level)
    sites = np.asarray([str(type(s)) + "|" + str(s) for s in site], dtype=object)
    subjects = np.asarray([str(type(s)) + "|" + str(s) for s in subject], dtype=object)
    weeks = as_float_vector(week, "week")
    y_all = as_float_vector_with_missing(value, "value")
    if not sites.size == subjects.size == weeks.size == y_all.size:
        raise ComputationError(
            f"site, subject, week and value must have the same length; got {sites.size}, "
            f"{subjects.size}, {weeks.size} and {y_all.size}")
    keep = ~np.isnan(y_all)
    sites, subjects, weeks, y = sites[keep], subjects[keep], weeks[keep], y_all[keep]
    levels = sorted(set(weeks.tolist()))
    # Codes by hashing (pandas), sorted as np.unique would: a patient is (site, subject).
    import pandas as pd

    site_index, site_levels = pd.factorize(sites, sort=True)
    subject_index, _ = pd.factorize(subjects, sort=True)
    patient_index, patient_levels = pd.factorize(
        site_index.astype(np.int64) * (int(subject_index.max(initial=0)) + 1) + subject_index,
        sort=True)
    n_obs, n_sites, n_patients = int(y.size), int(site_levels.size), int(patient_levels.size)
    ref = levels[0] if (reference_week is None and levels) else reference_week
    method = (
        "linear mixed model, REML, random intercepts for site and for patient within site, "
        "fixed effect per week vs the reference week (as lme4::lmer(y ~ factor(week) + "
        "(1 | site/patient))); Wald z p-values and CIs"
    )

    def not_run(why: str) -> NestedMixedResult:
        return NestedMixedResult(tuple(levels), ref, n_sites, n_patients, n_obs, (), None,
                                 None, None, None, None, None, False, False, conf_level,
                                 method, why)

    others = [w for w in levels if w != ref]
    if len(levels) < 2:
        return not_run("fewer than two weeks observed: nothing to compare")
    if ref not in levels:
        return not_run(f"reference week {ref!r} has no observation")
    if n_sites < 2:
        return not_run("one site: the site variance cannot be estimated (use mixed_model)")
    if n_patients >= n_obs:
        return not_run("no patient has two visits: the patient variance cannot be separated")
    if n_obs - 1 - len(others) < 1:
        return not_run("no residual degrees of freedom")
    if float(np.ptp(y)) == 0.0:
        return not_run("every value is the same: there is no variation to model")
    if n_sites + n_patients > MAX_RANDOM_EFFECTS:
        return not_run(f"more than {MAX_RANDOM_EFFECTS} sites + patients")
    x = np.zeros((n_obs, 1 + len(others)))
    x[:, 0] = 1.0
    for j, w in enumerate(others, start=1):
        x[:, j] = weeks == w
    patient_site = np.zeros(n_patients, dtype=np.int64)
    patient_site[patient_index] = site_index
    # Centred: only the intercept moves (added back below), and r^2 loses no digits.
    centre = float(np.mean(y))
    reml = _Reml(x, y - centre, site_index, patient_index, patient_site, n_sites)
    best: Any = None
    from scipy import optimize

    # Nothing left within patients once the weeks are fitted: the REML criterion falls
    # without bound as the patient variance grows (no finite optimum).
    w = reml.within
    left = w[-1, -1] - w[-1, :-1] @ np.linalg.pinv(w[:-1, :-1]) @ w[:-1, -1]
    if not left > 1e-12 * max(w[-1, -1], 1e-300):
        return not_run("no variation within patients beyond the week effects: the patient "
                       "and residual variances cannot be separated")
    try:
        # Many patients: the criterion is smooth and single-peaked, two starts suffice (the
        # others guard the flat or two-humped criteria of a handful of patients).
        for start in _STARTS[:2] if n_patients > _FEW_STARTS_ABOVE else _STARTS:
            found = optimize.minimize(lambda t: reml.solve(t)[0], np.array(start),
                                      method="L-BFGS-B",
                                      bounds=[(0.0, _THETA_MAX), (0.0, _THETA_MAX)],
                                      options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})
            if best is None or found.fun < best.fun:
                best = found
    except ComputationError as exact_fit:
        return not_run(str(exact_fit))
    except np.linalg.LinAlgError:
        return not_run("the week effects cannot be estimated (singular X'V^-1X): the "
                       "residual variance is negligible beside the random effects")
    if np.any(best.x >= 0.999 * _THETA_MAX):
        return not_run("no finite REML optimum: the residual variance is negligible beside "
                       f"the random effects (relative SD above {_THETA_MAX:g})")
    theta = np.clip(best.x, 0.0, None)
    # A boundary optimum: 0 unless a positive value is better by more than rounding.
    for i in (0, 1):
        trial = theta.copy()
        trial[i] = 0.0
        if reml.solve(trial)[0] <= reml.solve(theta)[0] + 1e-9:
            theta = trial
    criterion, beta, rx, r2 = reml.solve(theta)
    sigma2 = r2 / (n_obs - x.shape[1])
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(rx)))
    z_crit = float(special.ndtri(0.5 + conf_level / 2.0))
    effects = []
    for j, w in enumerate(others, start=1):
        estimate, error = float(beta[j]), float(se[j])
        zval = estimate / error
        effects.append(WeekEffect(w, estimate, error, zval, 2.0 * float(special.ndtr(-abs(zval))),
                                  estimate - z_crit * error, estimate + z_crit * error))
    sigma = math.sqrt(sigma2)
    singular = bool(np.any(theta < _SINGULAR_TOL))
    notes: list[str | None] = []
    if not best.success:
        notes.append("the REML optimiser did not report convergence: check the estimates")
    if singular:
        notes.append("singular fit: a random-effect variance is estimated as (near) zero")
    if n_sites < _FEW_SITES:
        notes.append(f"{n_sites} sites: the site variance rests on very few values")
    return NestedMixedResult(
        tuple(levels), ref, n_sites, n_patients, n_obs, tuple(effects), centre + float(beta[0]),
        float(se[0]), float(theta[0]) * sigma, float(theta[1]) * sigma, sigma, criterion,
        bool(best.success), singular, conf_level, method, None, join_notes(notes),
    )
