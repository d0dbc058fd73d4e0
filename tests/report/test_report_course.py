"""The treatment-course section of the report, built from study B's demo results: each
new table is present, printed from the results (n/N (%) with the counts behind it), and
a sheet of tables.xlsx (every Table of the document is one)."""

from __future__ import annotations

import pytest

from jdmtrack import demo
from jdmtrack.analysis import analyze
from jdmtrack.pipeline import load_cohort, score_cohort
from jdmtrack.report.build import build_document

KEYS = ("exposure", "at_start", "skin_course", "steroids", "organs", "response_percent",
        "aesi", "serious_aes", "paper_tests", "listing")


@pytest.fixture(scope="module")
def tables():
    scored = score_cohort(load_cohort(demo.path("baricitinib")))
    document = build_document(analyze(scored), scored.visits)
    return {t.key: t for t in document.tables()}


def _row(table, label):
    return next(r for r in table.rows if r[0].text.startswith(label))


def test_every_course_table_is_built(tables):
    assert set(KEYS) <= set(tables)


def test_printed_from_the_results(tables):
    """17 of 20 treated to week 24 (85%); rash 19 of 20 (95%); ILD improved 4, stable 1;
    CR or PR 18 of 20 (90%); herpes zoster 1 event in 1 patient, temporary stop 1."""
    treated = _row(tables["exposure"], "Treated to week 24")[1]
    assert (treated.text, treated.value) == ("17/20 (85%)", 17)
    assert _row(tables["at_start"], "Rash")[1].text == "19/20 (95%)"
    ild = _row(tables["organs"], "ILD")
    assert [c.text for c in ild[1:]] == ["5", "0", "4", "1", "0", "0"]
    assert _row(tables["response_percent"], "Week 24")[-1].text == "18 (90%)"
    assert [c.text for c in _row(tables["aesi"], "Herpes zoster")[1:]] == ["1", "1"]
    assert [c.text for c in _row(tables["aesi"], "JAKi stopped temporarily")[1:]] == ["1", "1"]
    assert _row(tables["serious_aes"], "B06")[3].text == "hospitalisation"


def test_steroid_falls_are_both_labelled(tables):
    """Week 12: fall of the median 37% (1 - 0.3345 / 0.534), beside the median of the
    per-patient changes (a different, labelled number)."""
    table = tables["steroids"]
    assert "Fall of the median, %" in table.header
    assert "Median of per-patient changes, %" in table.header
    assert _row(table, "Week 12")[2].text == "37"
