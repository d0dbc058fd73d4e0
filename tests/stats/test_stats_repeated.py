"""Skillings-Mack and the mixed model against R (tests/reference/stats/reference.R).

* Skillings-Mack: ``skillings_mack`` in reference.R, written from Skillings & Mack (1981)
  independently of the Python code (the R package Skillings.Mack is not in Debian);
  tolerance 1e-9.
* Mixed model: ``lme4::lmer(value ~ factor(week) + (1 | id), REML = TRUE)`` with the bobyqa
  optimiser at ``rhoend = 1e-12`` ("lmer_tight") and with lme4's defaults; estimates, SEs,
  Wald z p-values and CIs (computed in R from lmer's estimates and SEs) to 1e-6 relative.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from stats_reference import MIXED_REL, assert_close, datasets, has, long, value, vector

from jdmtrack.errors import ComputationError
from jdmtrack.stats import friedman_test, mixed_model, skillings_mack_test, wide_from_long

REPEATED = datasets("repeated_")
MIXED = [n for n in REPEATED if has(n, "lmer_tight.estimate")]


@pytest.mark.parametrize("name", REPEATED)
def test_skillings_mack_matches_r(name: str) -> None:
    ids, weeks, values = long(name)
    wide = wide_from_long(ids, weeks, values)
    r = skillings_mack_test(wide.values, weeks=wide.weeks)
    assert r.n == value(name, "skillings_mack.n")
    assert_close(r.statistic, value(name, "skillings_mack.statistic"), f"{name} SM",
                 abs_tol=1e-10)
    assert_close(r.p_value, value(name, "skillings_mack.p"), f"{name} SM p")
    assert r.df == wide.values.shape[1] - 1


def test_skillings_mack_equals_friedman_without_ties_or_gaps() -> None:
    data = [[1, 2, 3, 4], [2, 1, 4, 3], [1, 3, 2, 4], [4, 1, 2, 3], [1, 2, 4, 3]]
    assert skillings_mack_test(data).statistic == pytest.approx(
        friedman_test(data).statistic, rel=1e-12)


def test_skillings_mack_edge_cases() -> None:
    lonely = skillings_mack_test([[1.0, math.nan, math.nan], [math.nan, 2.0, math.nan]])
    assert lonely.n == 0 and lonely.statistic is None and "two observed" in (lonely.note or "")
    split = skillings_mack_test([[1, 2, math.nan, math.nan], [3, 1, math.nan, math.nan],
                                 [math.nan, math.nan, 1, 2], [math.nan, math.nan, 2, 1]])
    assert split.statistic is None and "connected" in (split.note or "")
    with pytest.raises(ComputationError):
        skillings_mack_test([[1.0], [2.0]])


@pytest.mark.parametrize("name", MIXED)
@pytest.mark.parametrize("fit", ["lmer_tight", "lmer_default"])
def test_mixed_model_matches_lmer(name: str, fit: str) -> None:
    ids, weeks, values = long(name)
    r = mixed_model(ids, weeks, values)
    assert r.n_observations == value(name, f"{fit}.n_obs")
    assert r.n_patients == value(name, f"{fit}.n_patients")
    estimates, ses = vector(name, f"{fit}.estimate"), vector(name, f"{fit}.se")
    p_values = vector(name, f"{fit}.p_wald")
    lows, highs = vector(name, f"{fit}.ci_low"), vector(name, f"{fit}.ci_high")
    assert_close(r.intercept, estimates[0], f"{name} intercept", MIXED_REL)
    assert_close(r.intercept_se, ses[0], f"{name} intercept SE", MIXED_REL)
    assert len(r.estimates) == len(estimates) - 1
    for j, effect in enumerate(r.estimates, start=1):
        scale = abs(estimates[0] or 1.0)  # a zero effect is compared on the intercept's scale
        assert_close(effect.estimate, estimates[j], f"{name} week {effect.week}", MIXED_REL,
                     abs_tol=1e-6 * scale)
        assert_close(effect.se, ses[j], f"{name} SE {effect.week}", MIXED_REL)
        assert_close(effect.p_value, p_values[j], f"{name} p {effect.week}", MIXED_REL,
                     abs_tol=1e-12)
        assert_close(effect.ci_low, lows[j], f"{name} CI low", MIXED_REL, abs_tol=1e-6 * scale)
        assert_close(effect.ci_high, highs[j], f"{name} CI high", MIXED_REL,
                     abs_tol=1e-6 * scale)
    theta = value(name, f"{fit}.theta")
    assert theta is not None and r.singular == (theta < 1e-4)  # lme4 isSingular()
    assert_close(r.sigma_residual, value(name, f"{fit}.sigma"), f"{name} sigma", MIXED_REL)
    assert_close(r.reml_criterion, value(name, f"{fit}.reml_criterion"), f"{name} REML",
                 1e-9)


def test_mixed_model_singular_fit_is_reported() -> None:
    """repeated_12: every patient has the same mean, so the patient variance is 0 (lme4:
    "boundary (singular) fit")."""
    ids, weeks, values = long("repeated_12_n10_k3_singular")
    r = mixed_model(ids, weeks, values)
    assert r.singular and r.theta == 0.0 and r.sigma_patient == 0.0
    assert "singular" in (r.note or "")


def test_mixed_model_agrees_with_statsmodels() -> None:
    """An independent fit (statsmodels MixedLM, REML) agrees to its own tolerance."""
    import pandas as pd
    import statsmodels.formula.api as smf

    ids, weeks, values = long("repeated_11_n15_k4_missing")
    frame = pd.DataFrame({"id": ids, "week": weeks, "y": values}).dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' ConvergenceWarning, if any
        fit = smf.mixedlm("y ~ C(week)", frame, groups=frame["id"]).fit(reml=True)
    ours = mixed_model(ids, weeks, values)
    for effect, estimate in zip(ours.estimates, np.asarray(fit.fe_params)[1:], strict=True):
        assert effect.estimate == pytest.approx(estimate, rel=1e-4)


def test_mixed_model_not_computable_cases() -> None:
    one_week = mixed_model(["a", "b"], [0, 0], [1.0, 2.0])
    assert one_week.estimates == () and "fewer than two weeks" in (one_week.note or "")
    one_visit_each = mixed_model(["a", "b", "c"], [0, 12, 24], [1.0, 2.0, 3.0])
    assert one_visit_each.estimates == () and one_visit_each.note
    missing_reference = mixed_model(["a", "a"], [0, 12], [1.0, 2.0], reference_week=4)
    assert missing_reference.estimates == ()
    constant = mixed_model(["a", "a", "b", "b"], [0, 12, 0, 12], [52.0] * 4)
    assert constant.estimates == () and "same" in (constant.note or "")
    d = one_week.as_dict()
    assert d["estimates"] == {} and d["intercept"] is None
    with pytest.raises(ComputationError, match="same length"):
        mixed_model(["a"], [0, 1], [1.0, 2.0])


def test_mixed_model_degenerate_perfect_fit_is_flagged() -> None:
    """Each patient exactly parallel to the week means: the REML criterion decreases without
    bound as the patient variance grows (the residual variance is 0; lme4 gives sigma ~ 0), so
    the model is reported as not estimable, with no estimates, instead of an unreliable fit."""
    ids = [f"p{i}" for i in range(5) for _ in range(3)]
    y = [10.0 * i + (0.0, 2.0, 5.0)[j] for i in range(5) for j in range(3)]
    r = mixed_model(ids, [0, 12, 24] * 5, y)
    assert r.estimates == () and not r.converged
    assert "perfect fit" in (r.note or "")


def test_mixed_model_zero_residual_does_not_raise() -> None:
    """Two patients with identical trajectories 40, 42, 42 (all ties after baseline): the
    residual sum of squares is 0, which made log(rss) raise "math domain error"."""
    r = mixed_model(["a"] * 3 + ["b"] * 3, [0, 4, 12] * 2, [40, 42, 42] * 2)
    assert r.estimates == () and "residual variance is zero" in (r.note or "")
    one = mixed_model(["a"] * 3, [0, 4, 12], [40, 42, 45])
    assert one.estimates == () and one.note == "no residual degrees of freedom"


def test_mixed_model_as_dict_shape() -> None:
    ids, weeks, values = long("repeated_13_n7_k4_subgroup")
    d = mixed_model(ids, weeks, values).as_dict()
    assert d["weeks"] == ["0", "12", "24", "52"]
    assert set(d["estimates"]) == {"12", "24", "52"}
    assert set(d["estimates"]["12"]) >= {"estimate", "se", "ci95", "p_value"}
