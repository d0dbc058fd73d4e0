"""Friedman blocked within site against R (tests/reference/groupstats).

Pooled: ``friedman.test`` on all patients and ``coin::friedman_test(y ~ week | patient)`` with
patients identified within site (the same test: blocks nested in sites); per site:
``friedman.test`` on each site's patients; heterogeneity: ``sum(per-site) - pooled`` with
``pchisq(q, (S - 1)(k - 1), lower.tail = FALSE)`` computed in R.
"""

from __future__ import annotations

import numpy as np
import pytest
from groupstats_reference import as_list, assert_close, case, cases

from jdmtrack.errors import ComputationError
from jdmtrack.stats import friedman_by_site, friedman_test

CASES = cases("site_friedman")


def _data(name: str) -> tuple[np.ndarray, list[str]]:
    ref = case("site_friedman", name)
    return np.array(as_list(ref["y"]), dtype=float).reshape(-1, int(ref["k"])), as_list(
        ref["site"])


@pytest.mark.parametrize("name", CASES)
def test_friedman_by_site_matches_r(name: str) -> None:
    ref = case("site_friedman", name)
    table, site = _data(name)
    r = friedman_by_site(table, site)
    assert r.not_run is None and r.n_sites == len(set(site))
    assert_close(r.pooled.statistic, ref["pooled_statistic"], f"{name} pooled Q")
    assert_close(r.pooled.p_value, ref["pooled_p"], f"{name} pooled p")
    assert_close(r.pooled.p_value, ref["coin_pooled_p"], f"{name} pooled p (coin)", rel=1e-9)
    per_site = [q.statistic for _, q in r.per_site]
    assert per_site == pytest.approx(as_list(ref["per_site"]), rel=1e-12)
    assert_close(r.heterogeneity_statistic, ref["q_het"], f"{name} Q_het")
    assert r.heterogeneity_df == ref["df_het"]
    assert_close(r.heterogeneity_p_value, ref["p_het"], f"{name} p_het")


def test_pooled_is_the_plain_friedman_test() -> None:
    table, site = _data("two_sites_k4_ties")
    assert friedman_by_site(table, site).pooled == friedman_test(table)


def test_one_site_gives_no_heterogeneity_statement() -> None:
    table, _ = _data("three_sites_k3")
    r = friedman_by_site(table, ["only"] * table.shape[0])
    assert r.heterogeneity_statistic is None and r.pooled.statistic is not None
    assert (r.not_run or "").startswith("fewer than two sites")


def test_site_must_be_aligned_with_rows() -> None:
    table, site = _data("three_sites_k3")
    with pytest.raises(ComputationError, match="one entry per patient"):
        friedman_by_site(table, site[:-1])
