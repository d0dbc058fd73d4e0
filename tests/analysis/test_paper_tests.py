"""Tests as the papers ran them (analysis/paper_tests.py), pinned by hand.

Seven patients whose CMAS all rise from week 0 to week 24 by distinct amounts (1..7):
W+ = 28, n = 7, E[W] = 7 x 8 / 4 = 14, Var = 7 x 8 x 15 / 24 = 35, no ties, so SPSS's
z = (28 - 14) / sqrt(35) = 2.3664 and p = 2 (1 - Phi(2.3664)) = 0.01796, printed 0.018
(study A's CMAS p). The exact two-sided p is 2 / 2^7 = 0.015625; the asymptotic p is
0.0023 above it (R: wilcox.test(a, b, paired = TRUE, exact = FALSE, correct = FALSE)
gives 0.01796047753). Paired t: differences 1..7, mean 4, SD sqrt(28 / 6) = 2.1602,
t = 4 / (2.1602 / sqrt(7)) = 4.8990 on 6 df (R: t.test(a, b, paired = TRUE) gives
p = 0.002713682035).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jdmtrack.analysis.paper_tests import summarise_paper_tests
from jdmtrack.analysis.settings import AnalysisSettings

BEFORE = [10, 20, 30, 40, 15, 25, 35]
AFTER = [b + d for b, d in zip(BEFORE, range(1, 8), strict=True)]
AT_WEEKS = pd.DataFrame({"patient_id": [f"P{i}" for i in range(7)] * 3,
                         "week": [0.0] * 7 + [12.0] * 7 + [24.0] * 7,
                         "cmas_total": BEFORE + [b + 1 for b in BEFORE] + AFTER})


def test_spss_asymptotic_beside_the_exact_p():
    settings = AnalysisSettings(paper_p="spss_asymptotic")
    r = summarise_paper_tests(AT_WEEKS, ["cmas_total"], settings)
    week = r["measures"]["cmas_total"]["vs_baseline"]["24"]
    z = 14 / math.sqrt(35)
    p_hand = math.erfc(z / math.sqrt(2))
    assert round(p_hand, 3) == 0.018
    assert week["wilcoxon_asymptotic"]["p_value"] == pytest.approx(p_hand, rel=1e-12)
    assert week["p_value_exact"] == pytest.approx(2 / 128, rel=1e-12)
    assert week["p_value"] == week["wilcoxon_asymptotic"]["p_value"]
    assert week["difference_from_exact"] == pytest.approx(p_hand - 2 / 128, rel=1e-12)
    assert week["wilcoxon_asymptotic"]["p_value"] == pytest.approx(0.01796047753, rel=1e-9)
    assert week["t_test"]["t"] == pytest.approx(4 / (math.sqrt(28 / 6) / math.sqrt(7)))
    assert week["t_test"]["p_value_t"] == pytest.approx(0.002713682035, rel=1e-9)


def test_pairwise_any_two_weeks_with_holm():
    """Week 12 vs 24: differences 0..6 (one zero dropped), six positive: exact p = 2/64;
    Holm over the 3 pairs multiplies the smallest p by 3, then 2, then 1 (monotone)."""
    r = summarise_paper_tests(AT_WEEKS, ["cmas_total"], AnalysisSettings())
    pairs = r["measures"]["cmas_total"]["pairwise"]["pairs"]
    assert set(pairs) == {"0_vs_12", "0_vs_24", "12_vs_24"}
    assert pairs["12_vs_24"]["p_value_exact"] == pytest.approx(2 / 64, rel=1e-12)
    assert pairs["0_vs_24"]["p_value_exact"] == pytest.approx(2 / 128, rel=1e-12)
    assert pairs["0_vs_24"]["p_adjusted"] == pytest.approx(3 * 2 / 128, rel=1e-12)
    assert r["adjust"] == "holm" and r["paper_p"] == "exact"
    assert r["measures"]["cmas_total"]["vs_baseline"]["24"]["p_value"] == pytest.approx(2 / 128)
