"""Per-group figures with --by (issue 14: "the report has a by-group Table 1 and per-group
figures"): Kaplan–Meier curves per group with the log-rank p in the caption and numbers at
risk per group, and each outcome's median (Q1–Q3) per week per group. Captions name what
the legends show."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

import jdmtrack
from jdmtrack.demo import path
from jdmtrack.report import format as f
from jdmtrack.report.build import build_document
from jdmtrack.report.figures import OKABE_ITO
from jdmtrack.report.figures_groups import GROUP_STYLES
from jdmtrack.report.model import FigureOut
from jdmtrack.results import Results


def svg_texts(svg: str) -> list[str]:
    """The texts of a matplotlib SVG (glyphs are paths; each text keeps a comment)."""
    return [html.unescape(t).strip() for t in re.findall(r"<!-- (.*?) -->", svg, re.S)]


@pytest.fixture(scope="module")
def by_drug() -> tuple[Results, dict[str, Any], dict[str, list[Any]]]:
    results = jdmtrack.analyze(path("tofacitinib-ruxolitinib"), by="jaki_drug")
    document = build_document(results, results.visits)
    sections = {s.id: [b.key for b in s.blocks if isinstance(b, FigureOut)]
                for s in document.sections}
    figures = {fig.key: fig for fig in document.figures()}
    return results, figures, sections


def test_the_figures_are_in_the_report_where_their_tables_are(by_drug: Any) -> None:
    _, figures, sections = by_drug
    assert "kaplan_meier_by_group" in sections["time-to-event"]
    assert "outcomes_by_group" in sections["baseline"]
    assert figures["kaplan_meier_by_group"].title == "Time to event by JAK inhibitor"
    assert figures["outcomes_by_group"].title == "Outcomes by JAK inhibitor"
    plain = jdmtrack.analyze(path("tofacitinib-ruxolitinib"))
    keys = {fig.key for fig in build_document(plain, plain.visits).figures()}
    assert not keys & {"kaplan_meier_by_group", "outcomes_by_group"}  # no --by, no figures


def test_km_by_group_caption_matches_its_legend(by_drug: Any) -> None:
    results, figures, _ = by_drug
    fig = figures["kaplan_meier_by_group"]
    raw = results.to_dict()["by"]
    texts = svg_texts(fig.svg)
    # Legend: each group with its patients (rash improvement: 7 on tofacitinib, 17 on
    # ruxolitinib, one ruxolitinib patient had no rash at week 0).
    first = raw["time_to_event"]["rash_improvement"]["groups"]
    assert [first[lv]["n"] for lv in raw["levels"]] == [7, 17]
    for level in raw["levels"]:
        assert f"{level} (n = {first[level]['n']})" in texts
        assert f"At risk, {level}" in texts
    # The caption names every group in the colour and line the legend draws it with.
    for index, level in enumerate(raw["levels"]):
        colour_name, colour, line, *_ = GROUP_STYLES[index]
        assert f"{level} ({colour_name}, {line} line)" in fig.caption
        assert f"stroke: {colour.lower()}" in fig.svg
    assert (GROUP_STYLES[0][1], GROUP_STYLES[1][1]) == (OKABE_ITO["blue"], OKABE_ITO["orange"])
    # Log-rank p of every event drawn, as the results give it.
    for event, entry in raw["time_to_event"].items():
        p = entry["test"]["p_value"]
        assert f"{f.measure_label(event)}: log-rank p = {f.fmt_p(p)}" in fig.caption
    assert "rash improvement: log-rank p = 0.102".lower() in fig.caption.lower()
    # Relapse has no ruxolitinib estimate in the results: the caption says so.
    assert raw["time_to_event"]["relapse"]["groups"]["ruxolitinib"] is None
    assert "E: no estimate for ruxolitinib" in fig.caption


def test_km_by_group_numbers_at_risk(by_drug: Any) -> None:
    """Panel A's tick labels: the week, then the number at risk per group (as R's
    summary(survfit, times = t): at risk just before the first time >= t). Tofacitinib's
    rash-improvement curve: times 0.3, 0.5, 1.0, 1.1, 1.4 with 7, 6, 4, 2, 1 at risk, so at
    weeks 0, 1, 2: 7, 4, 0. Ruxolitinib at weeks 0, 1, 2: 17, 11, 7."""
    results, figures, _ = by_drug
    curve = results.to_dict()["by"]["time_to_event"]["rash_improvement"]["groups"][
        "tofacitinib"]["curve"]
    assert curve["time"] == [0.3, 0.5, 1.0, 1.1, 1.4] and curve["n_risk"] == [7, 6, 4, 2, 1]
    texts = svg_texts(figures["kaplan_meier_by_group"].svg)
    assert texts[:9] == ["0", "7", "17", "1", "4", "11", "2", "0", "7"]


def test_outcomes_by_group_caption_matches_its_legend(by_drug: Any) -> None:
    results, figures, _ = by_drug
    fig = figures["outcomes_by_group"]
    raw = results.to_dict()["by"]
    texts = svg_texts(fig.svg)
    for index, level in enumerate(raw["levels"]):
        colour_name, _, line, _, marker, _ = GROUP_STYLES[index]
        assert level in texts
        assert f"{level} ({colour_name}, {line} line, {marker})" in fig.caption
    tested = [name for name, entry in raw["outcomes"].items() if entry["tested"]]
    panels = [t for t in texts if re.match(r"^[A-Z]  ", t)]
    assert len(panels) == len(tested) == 6
    assert panels[0] == "A  CMAS"
    assert "Median with Q1–Q3 bars per week by JAK inhibitor" in fig.caption
