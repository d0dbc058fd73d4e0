"""Site-stratified rank tests against R (tests/reference/groupstats).

Stratified Wilcoxon-Mann-Whitney, both score choices:

* ``scores="pooled"``: ``coin::wilcox_test(y ~ g | s)`` (linear statistic, expectation,
  variance, asymptotic p, exact p) and a brute-force enumeration in R of every within-site
  choice of group-1 patients (``strat_brute``);
* ``scores="van_elteren"``: ``coin::independence_test(y ~ g | s, ytrafo = <mid-ranks within
  site / (n_s + 1)>)`` (statistic, expectation, variance, asymptotic p; coin has no exact
  distribution for non-integer scores with blocks) and ``strat_brute`` for the exact p, with
  coin's Monte Carlo (1e6 resamples) as a second opinion.

Stratified signed rank: ``signrank_strat`` in groupstats.R enumerates all 2^n sign patterns
of the non-zero differences with ranks taken within site.
"""

from __future__ import annotations

import pytest
from groupstats_reference import MONTE_CARLO_ABS, as_list, assert_close, case, cases

from jdmtrack.errors import ComputationError
from jdmtrack.stats import stratified_signed_rank, stratified_wilcoxon

WMW = cases("stratified_wilcoxon")
SIGNED = cases("stratified_signed_rank")


@pytest.mark.parametrize("name", WMW)
@pytest.mark.parametrize("scores", ["pooled", "van_elteren"])
def test_stratified_wilcoxon_matches_r(name: str, scores: str) -> None:
    ref = case("stratified_wilcoxon", name)
    key = "pooled" if scores == "pooled" else "ve"
    y, g, s = as_list(ref["y"]), as_list(ref["g"]), as_list(ref["s"])
    r = stratified_wilcoxon(y, g, s, scores=scores)  # type: ignore[arg-type]
    assert r.not_run is None and r.n == len(y)
    assert_close(r.statistic, ref[f"{key}_statistic"], f"{name} {key} statistic")
    assert_close(r.expectation, ref[f"{key}_expectation"], f"{name} {key} expectation")
    assert_close(r.variance, ref[f"{key}_variance"], f"{name} {key} variance")
    assert_close(r.p_value_asymptotic, ref[f"{key}_p_asymptotic"], f"{name} {key} asymptotic p")
    assert_close(r.p_value_exact, ref[f"{key}_brute_p_exact"], f"{name} {key} exact p (enum.)")
    if scores == "pooled":
        assert_close(r.p_value_exact, ref["pooled_coin_p_exact"], f"{name} exact p (coin)")
    else:
        assert abs((r.p_value_exact or 0.0) - ref["ve_coin_p_approx_1e6"]) < MONTE_CARLO_ABS


def test_one_group_sites_are_counted_out() -> None:
    ref = case("stratified_wilcoxon", "site_with_one_group")
    r = stratified_wilcoxon(as_list(ref["y"]), as_list(ref["g"]), as_list(ref["s"]))
    assert (r.n_sites, r.n_sites_used) == (3, 2)
    assert "1 site(s) with only one group left out" in (r.note or "")


def test_one_site_is_the_two_sample_test() -> None:
    """A single site with pooled scores: the exact p of mann_whitney (same distribution)."""
    from jdmtrack.stats import mann_whitney
    x, y = [52, 52, 48, 50, 52, 45, 51], [38, 52, 44, 40, 52, 47, 30, 45, 50, 41]
    r = stratified_wilcoxon(x + y, ["x"] * 7 + ["y"] * 10, ["A"] * 17, scores="pooled")
    assert r.p_value_exact == pytest.approx(mann_whitney(x, y).p_value_exact, rel=1e-12)


@pytest.mark.parametrize(("y", "g", "s", "why"), [
    ([1, 2, 3], ["a", "a", "a"], [1, 1, 2], "1 group(s)"),
    ([1, 2, 3, 4], ["a", "a", "b", "b"], [1, 1, 2, 2], "no site has patients in both"),
    ([5, 5, 5, 5], ["a", "b", "a", "b"], [1, 1, 2, 2], "every value is tied"),
])
def test_stratified_wilcoxon_degenerate(y: list[float], g: list[str], s: list[int],
                                        why: str) -> None:
    r = stratified_wilcoxon(y, g, s)
    assert r.p_value_exact is None and r.p_value_asymptotic is None
    assert (r.not_run or "").startswith(why)


def test_stratified_wilcoxon_refuses_misaligned_input() -> None:
    with pytest.raises(ComputationError, match="aligned"):
        stratified_wilcoxon([1, 2, 3], ["a", "b"], [1, 1, 1])
    with pytest.raises(ComputationError, match="aligned"):
        stratified_wilcoxon([1, 2], ["a", "b"], [1])


@pytest.mark.parametrize("name", SIGNED)
def test_stratified_signed_rank_matches_enumeration(name: str) -> None:
    ref = case("stratified_signed_rank", name)
    statistic, centre, variance, p = ref["brute"]
    r = stratified_signed_rank(as_list(ref["d"]), as_list(ref["s"]))
    assert r.statistic == statistic and r.expectation == centre
    assert_close(r.variance, variance, f"{name} variance")
    assert_close(r.p_value_exact, p, f"{name} exact p (enumeration)")
    z = (statistic - centre) / variance**0.5
    assert_close(r.z, z, f"{name} z")


def test_stratified_signed_rank_degenerate() -> None:
    r = stratified_signed_rank([0, 0, None, 0], ["A", "A", "B", "B"])
    assert r.p_value_exact is None and r.not_run == "no non-zero difference in any site"
    assert r.n == 3 and "1 missing difference(s) left out" in (r.note or "")


@pytest.mark.parametrize("scores", ["pooled", "van_elteren"])
def test_the_real_valued_route_gives_the_same_exact_p(monkeypatch: pytest.MonkeyPatch,
                                                       scores: str) -> None:
    import jdmtrack.stats.stratified as stratified

    ref = case("stratified_wilcoxon", "cmas_ties_3_sites")
    args = (as_list(ref["y"]), as_list(ref["g"]), as_list(ref["s"]))
    integer = stratified_wilcoxon(*args, scores=scores)  # type: ignore[arg-type]
    monkeypatch.setattr(stratified, "_INTEGER_MAX_SPAN", 0)
    real = stratified_wilcoxon(*args, scores=scores)  # type: ignore[arg-type]
    assert real.p_value_exact == pytest.approx(integer.p_value_exact, rel=1e-12)
    key = "pooled" if scores == "pooled" else "ve"
    assert_close(real.p_value_exact, ref[f"{key}_brute_p_exact"], "real route exact p")
