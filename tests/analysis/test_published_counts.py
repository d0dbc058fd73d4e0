"""Published versus reproduced, counted: every printed figure of both source studies is
reproduced from the results file at its printed precision, except study B's nine
misprints (each with its note). Before issue 15: study A 56 of 86, study B 83 of 107.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jdmtrack import demo
from jdmtrack.analysis import AnalysisSettings, analyze
from jdmtrack.analysis.published import attach_published
from jdmtrack.pipeline import load_cohort, score_cohort

EXPECTED = {  # name: (figures, reproducible, reproduced)
    "tofacitinib-ruxolitinib": (86, 86, 86),
    "baricitinib": (116, 107, 107),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reproduced_counts(name):
    scored = score_cohort(load_cohort(demo.path(name)))
    settings = AnalysisSettings()
    rows = attach_published(analyze(scored, settings), name, scored, settings,
                            folder=Path(str(demo.path(name))))["demo"][
        "published"]
    reproducible = [r for r in rows if r["reproducible"]]
    matched = [r for r in reproducible if r["match"]]
    assert (len(rows), len(reproducible), len(matched)) == EXPECTED[name]
    misprints = [r for r in rows if not r["reproducible"]]
    assert all(r["note"] for r in misprints)
    assert all(not r["match"] for r in misprints)
    assert all(r["path"] for r in reproducible), [r["label"] for r in reproducible
                                                  if not r["path"]]
