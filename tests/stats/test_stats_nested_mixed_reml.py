"""The nested mixed model's REML criterion, its analytic gradient and its Newton minimiser.

* Criterion and gradient at fixed relative SDs against lme4's deviance function
  (tests/reference/nested_mixed_gradient.R: ``devFunOnly``, gradient by Richardson-
  extrapolated central differences in theta^2): 1e-10 relative for the criterion, 1e-6 for
  the gradient (the differences' own error is about 1e-9).
* The minimiser: at the returned SDs the gradient vanishes (or points into the boundary),
  from every start, including one on the boundary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from groupstats_reference import as_list, case, cases

from jdmtrack.stats import nested_mixed_model
from jdmtrack.stats._grouping import group_codes
from jdmtrack.stats._nested_reml import Reml, newton

GRADIENT = json.loads((Path(__file__).resolve().parents[1] / "reference"
                       / "nested_mixed_gradient.json").read_text("utf-8"))
CASES = cases("nested")


def _reml(name: str) -> Reml:
    """The criterion of case ``name``, built as nested_mixed_model builds it."""
    ref = case("nested", name)
    site, ids = as_list(ref["site"]), as_list(ref["id"])
    week, y = np.asarray(ref["week"], dtype=float), np.asarray(ref["value"], dtype=float)
    site_index, n_sites = group_codes(site)
    subject_index, _ = group_codes(ids)
    patient_index, n_patients = group_codes(site_index * (subject_index.max() + 1)
                                            + subject_index)
    levels = sorted(set(week.tolist()))
    x = np.column_stack([np.ones(y.size)] + [week == w for w in levels[1:]]).astype(float)
    patient_site = np.zeros(n_patients, dtype=np.int64)
    patient_site[patient_index] = site_index
    return Reml(x, y - y.mean(), site_index, patient_index, patient_site, n_sites)


@pytest.mark.parametrize("name", CASES)
def test_criterion_and_gradient_match_lme4(name: str) -> None:
    reml = _reml(name)
    for point in GRADIENT[name]:
        fit = reml.solve(point["theta"], gradient=True)
        assert fit.criterion == pytest.approx(point["criterion"], rel=1e-10), name
        assert fit.gradient is not None
        for ours, theirs in zip(fit.gradient, point["gradient"], strict=True):
            assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-8), (name, point["theta"])


def _stationary(reml: Reml, theta: Any) -> None:
    """The REML optimum's conditions: no slope in a free coordinate, none downhill into
    the boundary (slopes in theta^2, on the scale of the criterion's terms)."""
    slope = reml.solve(theta, gradient=True).gradient
    assert slope is not None
    scale = reml.n
    for t, g in zip(theta, slope, strict=True):
        if t > 0.0:
            assert abs(g * t) <= 1e-9 * scale, (theta, slope)
        else:
            assert g >= -1e-9 * scale, (theta, slope)


@pytest.mark.parametrize("name", CASES)
def test_the_fit_is_at_a_stationary_point(name: str) -> None:
    """The old minimiser (L-BFGS-B on finite differences) stopped up to 1e-3 short in a flat
    site SD; the analytic gradient vanishes at what the model now reports."""
    ref = case("nested", name)
    r = nested_mixed_model(as_list(ref["site"]), as_list(ref["id"]), as_list(ref["week"]),
                           as_list(ref["value"]))
    assert r.sd_site is not None and r.sd_patient is not None and r.sd_residual is not None
    _stationary(_reml(name), [r.sd_site / r.sd_residual, r.sd_patient / r.sd_residual])


@pytest.mark.parametrize("start", [(1.0, 1.0), (0.1, 1.0), (1.0, 0.1), (0.0, 1.0), (3.0, 3.0)])
def test_every_start_reaches_the_same_minimum(start: tuple[float, float]) -> None:
    """four_sites_missing has a positive site SD: a search started on the boundary
    (t_s = 0) leaves it, as the gradient in theta^2 points inwards there."""
    reml = _reml("four_sites_missing")
    reference = newton(reml, (1.0, 1.0), 1e3)
    found = newton(reml, start, 1e3)
    assert found.converged and reference.converged
    assert reference.theta[0] > 0.1
    np.testing.assert_allclose(found.theta, reference.theta, rtol=1e-9)
    assert found.criterion == pytest.approx(reference.criterion, rel=1e-13)
    _stationary(reml, found.theta)


def test_a_search_near_a_found_minimum_stops() -> None:
    reml = _reml("four_sites_missing")
    first = newton(reml, (1.0, 1.0), 1e3)
    second = newton(reml, (0.1, 1.0), 1e3, first.theta)
    assert second.joined and not second.converged and second.criterion >= first.criterion
    assert np.max(np.abs(second.theta - first.theta)) <= 1e-3 * max(1.0, first.theta.max())


def test_an_unbounded_criterion_stops_at_the_upper_bound() -> None:
    """Two patients per site, each changing by 2 from week 0 to 12 but one by 2.001: the
    residual is negligible beside the patient variance, the criterion falls as the SDs grow,
    and the search stops at the bound (nested_mixed_model then says there is no optimum;
    as the L-BFGS-B search it replaces did)."""
    site = ["A"] * 4 + ["B"] * 4 + ["C"] * 4
    ids = [1, 1, 2, 2] * 3
    week = [0, 12] * 6
    value = [10.0, 12.0, 30.0, 32.0, 11.0, 13.0, 50.0, 52.0, 9.0, 11.0, 40.0, 42.001]
    r = nested_mixed_model(site, ids, week, value)
    assert r.estimates == () and "no finite REML optimum" in (r.not_run or "")
    assert not r.converged and r.sd_patient is None
