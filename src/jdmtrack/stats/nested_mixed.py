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
blocks, in O(sites x visit counts) per theta: ``_nested_reml.Reml``); sigma^2 is
profiled out, leaving the REML criterion of lme4 (eq. 42)::

    d(theta) = log det A + log det(X'X - X'Z Lambda A^-1 Lambda Z'X)
               + (N - p) (1 + log(2 pi r^2 / (N - p)))

minimised over 0 <= theta <= 1000 from several starting points by Newton's method on its
analytic gradient (``_nested_reml.newton``): the minimum is where the gradient vanishes
to rounding, not where a finite-difference search stops (L-BFGS-B, used before, stopped
up to 1e-3 short in a flat site SD). theta on the boundary is a "singular" fit, reported.
Standard errors are lme4 ``vcov``: sigma^2 (X' V^-1 X)^-1.

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
    as_float_vector,
    as_float_vector_with_missing,
    check_conf_level,
    join_notes,
)
from jdmtrack.stats._grouping import group_codes
from jdmtrack.stats._json import AsDict
from jdmtrack.stats._nested_reml import Minimum, Reml, newton
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
    sites, subjects = list(site), list(subject)
    weeks = as_float_vector(week, "week")
    y_all = as_float_vector_with_missing(value, "value")
    if not len(sites) == len(subjects) == weeks.size == y_all.size:
        raise ComputationError(
            f"site, subject, week and value must have the same length; got {len(sites)}, "
            f"{len(subjects)}, {weeks.size} and {y_all.size}")
    keep = ~np.isnan(y_all)
    weeks, y = weeks[keep], y_all[keep]
    levels = sorted(set(weeks.tolist()))
    # Codes in sorted order of the labels; a patient is (site, subject).
    if not keep.all():
        sites = [s for s, k in zip(sites, keep, strict=True) if k]
        subjects = [s for s, k in zip(subjects, keep, strict=True) if k]
    site_index, n_sites = group_codes(sites)
    subject_index, _ = group_codes(subjects)
    patient_index, n_patients = group_codes(
        site_index * (int(subject_index.max(initial=0)) + 1) + subject_index)
    n_obs = int(y.size)
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
    reml = Reml(x, y - centre, site_index, patient_index, patient_site, n_sites)
    # Nothing left within patients once the weeks are fitted: the REML criterion falls
    # without bound as the patient variance grows (no finite optimum).
    w = reml.within
    left = w[-1, -1] - w[-1, :-1] @ np.linalg.pinv(w[:-1, :-1]) @ w[:-1, -1]
    if not left > 1e-12 * max(w[-1, -1], 1e-300):
        return not_run("no variation within patients beyond the week effects: the patient "
                       "and residual variances cannot be separated")
    best: Minimum | None = None
    try:
        # Many patients: the criterion is smooth and single-peaked, two starts suffice (the
        # others guard the flat or two-humped criteria of a handful of patients).
        for start in _STARTS[:2] if n_patients > _FEW_STARTS_ABOVE else _STARTS:
            found = newton(reml, start, _THETA_MAX, None if best is None else best.theta)
            if not found.joined and (best is None or found.criterion < best.criterion):
                best = found
    except ComputationError as exact_fit:
        return not_run(str(exact_fit))
    except np.linalg.LinAlgError:
        return not_run("the week effects cannot be estimated (singular X'V^-1X): the "
                       "residual variance is negligible beside the random effects")
    assert best is not None
    if np.any(best.theta >= 0.999 * _THETA_MAX):
        return not_run("no finite REML optimum: the residual variance is negligible beside "
                       f"the random effects (relative SD above {_THETA_MAX:g})")
    theta = best.theta
    # A boundary optimum: 0 unless a positive value is better by more than rounding.
    fit = reml.solve(theta)
    for i in (0, 1):
        if theta[i] > 0.0:
            trial = theta.copy()
            trial[i] = 0.0
            at_zero = reml.solve(trial)
            if at_zero.criterion <= fit.criterion + 1e-9:
                theta, fit = trial, at_zero
    criterion, beta, rx, r2 = fit.criterion, fit.beta, fit.rx, fit.r2
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
    if not best.converged:
        notes.append("the REML optimiser did not report convergence: check the estimates")
    if singular:
        notes.append("singular fit: a random-effect variance is estimated as (near) zero")
    if n_sites < _FEW_SITES:
        notes.append(f"{n_sites} sites: the site variance rests on very few values")
    return NestedMixedResult(
        tuple(levels), ref, n_sites, n_patients, n_obs, tuple(effects), centre + float(beta[0]),
        float(se[0]), float(theta[0]) * sigma, float(theta[1]) * sigma, sigma, criterion,
        best.converged, singular, conf_level, method, None, join_notes(notes),
    )
