"""Proportions, McNemar, Poisson rates and p-value adjustment against R.

References (tests/reference/stats/reference.R, data/counts.csv and data/pvalues.csv):
``binom.test(x, n)`` (p-value and Clopper-Pearson interval) and ``binom.test(x, n, p = 0.3)``;
exact McNemar ``binom.test(b, b + c)``; ``poisson.test(x, T)`` with T = weeks / (365.25 / 7),
scaled to 100 patient-years; ``p.adjust(p, "holm" | "bonferroni" | "BH")``. Tolerance 1e-9.
"""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_reference import DATA, assert_close, value, vector

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats import (
    binomial_test,
    clopper_pearson,
    event_rate,
    event_rate_by_patient,
    mcnemar_exact,
    mcnemar_exact_from_pairs,
    p_adjust,
)


def _counts() -> list[tuple[str, str, float, float]]:
    with (DATA / "counts.csv").open(encoding="utf-8") as handle:
        return [(r["dataset"], r["kind"], float(r["a"]), float(r["b"]))
                for r in csv.DictReader(handle)]


COUNTS = _counts()


@pytest.mark.parametrize(("name", "x", "n"),
                         [(d, int(a), int(b)) for d, k, a, b in COUNTS if k == "binom"])
def test_binomial_and_clopper_pearson_match_binom_test(name: str, x: int, n: int) -> None:
    ci = clopper_pearson(x, n)
    low, high = vector(name, "binom.conf_int")
    assert_close(ci.ci_low, low, f"{name} lower")
    assert_close(ci.ci_high, high, f"{name} upper")
    assert_close(binomial_test(x, n).p_value, value(name, "binom.p"), f"{name} p")
    assert_close(binomial_test(x, n, 0.3).p_value, value(name, "binom.p_null_0.3"),
                 f"{name} p0=0.3")


@pytest.mark.parametrize(("name", "b", "c"),
                         [(d, int(a), int(b)) for d, k, a, b in COUNTS if k == "mcnemar"])
def test_mcnemar_matches_binom_test_on_discordant_pairs(name: str, b: int, c: int) -> None:
    r = mcnemar_exact(b, c)
    assert_close(r.p_value, value(name, "mcnemar.p"), f"{name} McNemar")
    assert r.n_discordant == b + c


@pytest.mark.parametrize(("name", "x", "weeks"),
                         [(d, int(a), b) for d, k, a, b in COUNTS if k == "poisson"])
def test_event_rate_matches_poisson_test(name: str, x: int, weeks: float) -> None:
    r = event_rate(x, weeks)
    assert_close(r.patient_years, value(name, "poisson.patient_years"), f"{name} PY")
    assert_close(r.rate_per_100py, value(name, "poisson.rate_per_100py"), f"{name} rate")
    low, high = vector(name, "poisson.conf_int_per_100py")
    assert_close(r.ci_low, low, f"{name} lower")
    assert_close(r.ci_high, high, f"{name} upper")


@pytest.mark.parametrize("name", ["padjust_01", "padjust_02", "padjust_03", "padjust_04",
                                  "padjust_05"])
@pytest.mark.parametrize("method", ["holm", "bonferroni", "BH"])
def test_p_adjust_matches_r(name: str, method: str) -> None:
    with (DATA / "pvalues.csv").open(encoding="utf-8") as handle:
        raw = [None if r["p"] == "" else float(r["p"]) for r in csv.DictReader(handle)
               if r["dataset"] == name]
    got = p_adjust(raw, method).adjusted
    for i, (ours, theirs) in enumerate(zip(got, vector(name, f"p.adjust.{method}"),
                                           strict=True)):
        assert_close(ours, theirs, f"{name} {method} #{i}")


def test_mcnemar_hand_calculation() -> None:
    """Hand calculation: 0 vs 6 discordant pairs: p = 2 / 2^6 = 0.03125; 0 vs 5: 0.0625,
    which can never reach 0.05."""
    assert mcnemar_exact(0, 6).p_value == 0.03125
    five = mcnemar_exact(5, 0)
    assert five.p_value == 0.0625 and not five.can_reach_alpha and five.note


def test_no_discordant_pairs_and_no_trials() -> None:
    r = mcnemar_exact(0, 0)
    assert r.p_value is None and "not computable" in (r.note or "")
    assert clopper_pearson(0, 0).proportion is None
    assert binomial_test(0, 0).p_value is None
    assert event_rate(0, 0.0).rate_per_100py is None


def test_mcnemar_from_pairs_drops_missing() -> None:
    r = mcnemar_exact_from_pairs([True, False, None, True], [False, True, True, True])
    assert (r.n_pairs, r.n_yes_to_no, r.n_no_to_yes) == (3, 1, 1)
    assert r.p_value == 1.0 and "missing" in (r.note or "")


def test_event_rate_by_patient_counts() -> None:
    """design.md: n_patients = patients with >= 1 event, n_exposed = patients with exposure;
    patient-years = weeks / (365.25 / 7): 365.25 weeks are 7 patient-years."""
    r = event_rate_by_patient([1, 0, 3, 0], [100.0, 0.0, 150.0, 115.25])
    assert (r.n_events, r.n_patients, r.n_exposed) == (4, 2, 3)
    assert r.patient_years == pytest.approx(7.0, rel=1e-15)
    assert r.rate_per_100py == pytest.approx(400 / 7, rel=1e-15)
    keys = {"n_events", "n_patients", "n_exposed", "patient_years", "rate_per_100py",
            "rate_ci95"}
    assert keys <= set(r.as_dict())


def test_bad_counts_raise() -> None:
    with pytest.raises(ComputationError):
        clopper_pearson(5, 3)
    with pytest.raises(ComputationError):
        event_rate(-1, 10.0)
    with pytest.raises(ComputationError):
        event_rate_by_patient([1.5], [10.0])
    with pytest.raises(SettingsError):
        p_adjust([0.1], "hommel")
    with pytest.raises(ComputationError):
        p_adjust([1.5])


@settings(deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1)), max_size=12),
       st.sampled_from(["holm", "bonferroni", "BH"]))
def test_adjusted_p_is_at_least_raw_and_at_most_one(p: list[float | None], method: str) -> None:
    r = p_adjust(p, method)
    for raw, adjusted in zip(r.p_values, r.adjusted, strict=True):
        assert (raw is None) == (adjusted is None)
        if raw is not None and adjusted is not None:
            assert raw <= adjusted <= 1.0
    json.dumps(r.as_dict(), allow_nan=False)


@settings(deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_is_between_bh_and_bonferroni(p: list[float]) -> None:
    holm = p_adjust(p, "holm").adjusted
    bonferroni = p_adjust(p, "bonferroni").adjusted
    bh = p_adjust(p, "BH").adjusted
    for h, b, f in zip(holm, bonferroni, bh, strict=True):
        assert h is not None and b is not None and f is not None
        assert f <= h + 1e-15 and h <= b + 1e-15


@settings(deadline=None)
@given(st.integers(0, 60), st.integers(0, 60))
def test_clopper_pearson_contains_the_estimate(x: int, extra: int) -> None:
    n = x + extra
    r = clopper_pearson(x, n)
    if n == 0:
        assert r.proportion is None
        return
    assert r.ci_low is not None and r.ci_high is not None and r.proportion is not None
    assert 0.0 <= r.ci_low <= r.proportion <= r.ci_high <= 1.0
