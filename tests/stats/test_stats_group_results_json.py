"""Every group-comparison result turns into strict JSON (no NaN/Infinity), degenerate or not."""

from __future__ import annotations

import json
import math

from jdmtrack.stats import (
    fisher_exact,
    friedman_by_site,
    kruskal_wallis,
    logrank_test,
    mann_whitney,
    nested_mixed_model,
    pairwise_signed_rank,
    spss_paired_tests,
    stratified_signed_rank,
    stratified_wilcoxon,
)

RESULTS = [
    mann_whitney([1, 2, 3], [4, 5, 6, 7]), mann_whitney([], [1]),
    fisher_exact([[5, 0], [2, 6]]), fisher_exact([[1, 0], [3, 0]]),
    kruskal_wallis([[1, 2], [3, 4], [5, 6]]), kruskal_wallis([[2, 2], [2]]),
    logrank_test([1, 2, 3, 4], [1, 0, 1, 1], ["a", "a", "b", "b"]),
    logrank_test([1, 2], [0, 0], ["a", "b"]),
    stratified_wilcoxon([1, 2, 3, 4], ["a", "b", "a", "b"], [1, 1, 2, 2]),
    stratified_signed_rank([0, 0], ["A", "B"]),
    friedman_by_site([[1, 2, 3], [2, 1, 3], [1, 3, 2], [3, 2, 1]], ["A", "A", "B", "B"]),
    pairwise_signed_rank([[1, 2, math.nan], [2, 4, 5], [3, 3, 3]]),
    spss_paired_tests([1, 2, 3], [1, 2, 3]),
    nested_mixed_model(["A"] * 4, [1, 1, 2, 2], [0, 12, 0, 12], [1, 2, 3, 5]),
]


def test_every_result_is_strict_json() -> None:
    for result in RESULTS:
        data = result.as_dict()
        text = json.dumps(data, allow_nan=False)
        assert json.loads(text) == data


def test_an_infinite_odds_ratio_is_null_and_explained() -> None:
    r = fisher_exact([[5, 0], [2, 6]])
    assert r.odds_ratio == math.inf and r.as_dict()["odds_ratio"] is None
    assert "infinite" in (r.note or "")


def test_nested_results_use_their_own_results_file_form() -> None:
    data = friedman_by_site([[1, 2, 3], [2, 1, 3], [1, 3, 2], [3, 2, 1]],
                            ["A", "A", "B", "B"]).as_dict()
    assert data["pooled"]["weeks"] == ["0", "1", "2"]  # FriedmanResult.as_dict week keys
    assert data["per_site"][0][0] == "A"
