"""Nested mixed model against lme4 (tests/reference/groupstats).

``lmer(value ~ factor(week) + (1 | site/id), REML = TRUE)`` with bobyqa and rhoend = 1e-12:
fixed effects, their SEs (``sqrt(diag(vcov))``), the SDs of site, patient within site and
residual (``VarCorr``), ``REMLcrit`` and ``isSingular``. Tolerances as for ``mixed_model``:
1e-6 relative for estimates (both optimisers stop near, not at, the optimum; the criterion
is flat there), 1e-9 for the REML criterion; a variance at the boundary within 1e-4.
"""

from __future__ import annotations

import pytest
from groupstats_reference import as_list, assert_close, case, cases

from jdmtrack.errors import ComputationError
from jdmtrack.stats import nested_mixed_model

CASES = cases("nested")
REL = 1e-6


@pytest.mark.parametrize("name", CASES)
def test_nested_mixed_model_matches_lme4(name: str) -> None:
    ref = case("nested", name)
    r = nested_mixed_model(as_list(ref["site"]), as_list(ref["id"]), as_list(ref["week"]),
                           as_list(ref["value"]))
    assert r.not_run is None and r.converged
    fixef, se = as_list(ref["fixef"]), as_list(ref["se"])
    assert_close(r.intercept, fixef[0], f"{name} intercept", rel=REL)
    assert_close(r.intercept_se, se[0], f"{name} intercept SE", rel=REL)
    assert len(r.estimates) == len(fixef) - 1
    for effect, estimate, error in zip(r.estimates, fixef[1:], se[1:], strict=True):
        assert_close(effect.estimate, estimate, f"{name} week {effect.week}", rel=REL)
        assert_close(effect.se, error, f"{name} week {effect.week} SE", rel=REL)
    assert_close(r.reml_criterion, ref["reml"], f"{name} REML criterion", rel=1e-9)
    assert r.singular == ref["singular"]
    for ours, theirs, what in ((r.sd_site, ref["sd_site"], "site"),
                               (r.sd_patient, ref["sd_patient"], "patient"),
                               (r.sd_residual, ref["sd_residual"], "residual")):
        assert ours is not None
        assert ours == pytest.approx(theirs, rel=REL, abs=1e-4), f"{name} sd {what}"


def test_the_same_id_in_two_sites_is_two_patients() -> None:
    ref = case("nested", "doc_3_sites")
    r = nested_mixed_model(as_list(ref["site"]), as_list(ref["id"]), as_list(ref["week"]),
                           as_list(ref["value"]))
    assert (r.n_sites, r.n_patients, r.n_observations) == (3, 9, 18)
    assert "singular fit" in (r.note or "") and "3 sites" in (r.note or "")


@pytest.mark.parametrize(("site", "week", "value", "why"), [
    (["A"] * 4, [0, 12, 0, 12], [1, 2, 3, 5], "one site"),
    (["A", "A", "B", "B"], [0, 0, 0, 0], [1, 2, 3, 4], "fewer than two weeks"),
    (["A", "A", "B", "B"], [0, 12, 0, 12], [3, 3, 3, 3], "every value is the same"),
])
def test_degenerate_designs_are_not_run(site: list[str], week: list[float],
                                        value: list[float], why: str) -> None:
    r = nested_mixed_model(site, [1, 1, 2, 2], week, value)
    assert r.estimates == () and (r.not_run or "").startswith(why)


def test_no_patient_with_two_visits_is_not_run() -> None:
    r = nested_mixed_model(["A", "A", "B", "B"], [1, 2, 3, 4], [0, 12, 0, 12], [1, 2, 3, 5])
    assert (r.not_run or "").startswith("no patient has two visits")


def test_misaligned_input_is_refused() -> None:
    with pytest.raises(ComputationError, match="same length"):
        nested_mixed_model(["A"], [1, 1], [0, 12], [1, 2])


def test_no_variation_within_patients_is_not_run() -> None:
    """Every patient keeps one value at every week (a damage score that never moves): the
    REML criterion has no finite optimum, so the model says why instead of diverging."""
    site = ["A"] * 6 + ["B"] * 6
    ids = [1, 1, 2, 2, 3, 3] * 2
    week = [0, 12] * 6
    value = [3, 3, 5, 5, 1, 1, 4, 4, 2, 2, 6, 6]
    r = nested_mixed_model(site, ids, week, value)
    assert r.not_run is not None and "no variation within patients" in r.not_run
    assert r.estimates == ()
