"""Multicentre simulations analysed with the site-stratified signed-rank test: study by study
equal to ``jdmtrack.stats.stratified_signed_rank`` (pinned against an R enumeration on
main); the ``analysis`` setting, its default, its echo in JSON and paragraph, its refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.errors import SettingsError
from jdmtrack.plan import models, plan
from jdmtrack.plan.models import Design
from jdmtrack.plan.output import protocol_paragraph
from jdmtrack.plan.stratified_rank import stratified_signed_rank_p, stratified_signed_rank_reject
from jdmtrack.stats import stratified_signed_rank


def _reference_decisions(d: np.ndarray, sites: int, alpha: float = 0.05) -> list[bool]:
    site = [f"site{i % sites}" for i in range(d.shape[1])]
    out = []
    for row in d:
        r = stratified_signed_rank([None if np.isnan(v) else float(v) for v in row], site)
        out.append(r.p_value_exact is not None and r.p_value_exact <= alpha * (1 + 1e-9))
    return out


@pytest.mark.parametrize(("n", "sites", "integer"), [(9, 3, True), (16, 4, False), (24, 8, True)])
def test_decisions_equal_stratified_signed_rank_study_by_study(n, sites, integer):
    """Simulated changes with a site effect (ICC 0.2), 10 % missing, and for integer scores
    ties and zeros: the vectorised p equals ``stratified_signed_rank``'s exact p and the
    decisions agree."""
    d = models.changes(np.random.default_rng(n), 150, n,
                       Design(sites=sites, icc=0.2, sd=2.0), 0.8)
    if integer:
        d = np.round(d)
    d[np.random.default_rng(n + 1).random(d.shape) < 0.1] = np.nan
    site = [f"site{i % sites}" for i in range(n)]
    p = stratified_signed_rank_p(d, sites)
    for row, got in zip(d, p, strict=True):
        ref = stratified_signed_rank([None if np.isnan(v) else float(v) for v in row],
                                     site).p_value_exact
        assert (ref is None and np.isnan(got)) or got == pytest.approx(ref, rel=1e-12)
    decided = stratified_signed_rank_reject(d, sites, 0.05)
    assert decided.tolist() == _reference_decisions(d, sites)
    assert 0 < decided.sum() < len(decided)


def test_plan_power_is_the_share_stratified_signed_rank_rejects():
    """End to end: the plan's power at n = 12 over 4 sites is the share of the same simulated
    studies (generator seeded with (seed, n), one chunk of 200) that
    ``stratified_signed_rank`` rejects at 0.05; same seed, same numbers."""
    result = plan(test="wilcoxon", n=[12], effect=0.5, sd=1.0, sites=4, icc=0.1, sims=200,
                  seed=9)
    assert result.settings["analysis"] == "stratified"
    d = models.changes(np.random.default_rng([9, 12]), 200, 12,
                       Design(sites=4, icc=0.1, effect=0.5, sd=1.0), 0.5)
    assert result.grid[0].power == sum(_reference_decisions(d, 4)) / 200
    again = plan(test="wilcoxon", n=[12], effect=0.5, sd=1.0, sites=4, icc=0.1, sims=200,
                 seed=9)
    assert again.as_dict() == result.as_dict()
    pooled = plan(test="wilcoxon", n=[12], effect=0.5, sd=1.0, sites=4, icc=0.1, sims=200,
                  seed=9, analysis="pooled")
    assert pooled.settings["analysis"] == "pooled"
    assert "stratified by site (4 sites)" in protocol_paragraph(result)
    assert "pooled over its 4 sites" in protocol_paragraph(pooled)


def test_analysis_defaults_and_refusals():
    single = plan(test="wilcoxon", n=[8], effect=1.0, sd=1.0, sims=50, seed=1)
    assert single.settings["analysis"] == "pooled"
    fisher = plan(test="fisher", n=[8], p1=0.7, p2=0.3, sites=3, sims=50, seed=1,
                  analysis="pooled")
    assert fisher.settings["analysis"] == "pooled"
    assert "pooled over its 3 sites" in protocol_paragraph(fisher)
    with pytest.raises(SettingsError, match="--analysis stratified needs --sites"):
        plan(test="wilcoxon", n=[8], effect=1.0, sd=1.0, analysis="stratified")
    with pytest.raises(SettingsError, match="--sites 9 is more than the smallest --n"):
        plan(test="wilcoxon", n=[8, 12], effect=1.0, sd=1.0, sites=9)
    with pytest.raises(SettingsError, match=r"\(5 patients per arm\)"):
        plan(test="fisher", n=[5], p1=0.7, p2=0.3, sites=6)
    with pytest.raises(SettingsError, match="--analysis must be one of"):
        plan(test="wilcoxon", n=[8], effect=1.0, sd=1.0, sites=2, analysis="mixed")


def test_cli_echoes_the_analysis_in_json():
    out = CliRunner().invoke(main, ["plan", "--test", "wilcoxon", "--n", "10", "--effect", "1",
                                    "--sd", "1", "--sites", "2", "--sims", "50", "--json", "-"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["settings"]["analysis"] == "stratified"
    assert "stratified analysis" in data["method"]
