"""Figures say what their captions say: legends from the dictionary's labels, captions
written from what was drawn, whole scales, no raw code."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_codes import raw_codes_in

from jdmtrack.report import figures
from jdmtrack.report.context import Context
from jdmtrack.report.figures_dose import dose_figure
from jdmtrack.report.tables_response import response_table


def svg_texts(svg: str) -> list[str]:
    """The texts of a matplotlib SVG (glyphs are paths; each text keeps a comment)."""
    return [html.unescape(t).strip() for t in re.findall(r"<!-- (.*?) -->", svg)]


def test_dose_caption_names_every_line_band_and_marker(results: dict[str, Any]) -> None:
    """Fixture bands: baricitinib reference = maximum (dashed line only), tofacitinib 5 to
    15 mg/day (dashed, dotted, shaded); P02 below the reference (circled, labelled)."""
    figure, notes = dose_figure(Context.of(results))
    assert figure is not None and notes == []
    legend = svg_texts(figure.svg)
    for entry in ("Baricitinib", "Tofacitinib", "Baricitinib: reference dose",
                  "Tofacitinib: reference dose", "Tofacitinib: maximum dose",
                  "Below the reference dose", "P02"):
        assert entry in legend
    assert "Baricitinib: maximum dose" not in legend  # not drawn: equal to the reference
    assert raw_codes_in(legend) == []
    for words in ("Dashed line", "dotted line", "shaded", "Circled",
                  "labelled with their identifier"):
        assert words in figure.caption


def test_dose_caption_drops_what_is_not_drawn(results: dict[str, Any]) -> None:
    results = copy.deepcopy(results)
    results["dosing"]["below_reference"] = []
    results["dosing"]["reference_bands"] = [b for b in results["dosing"]["reference_bands"]
                                            if b["drug"] == "baricitinib"]
    figure, _ = dose_figure(Context.of(results))
    assert figure is not None
    legend = svg_texts(figure.svg)
    assert "Below the reference dose" not in legend
    assert not any("maximum dose" in t for t in legend)
    assert "Circled" not in figure.caption and "dotted" not in figure.caption
    assert "which is also its maximum dose" in figure.caption


def test_response_and_tis_legends_match_the_tables(results: dict[str, Any]) -> None:
    """Legends use the tables' labels: the response categories' words, and the TIS
    categories with the thresholds of the population analysed (JDM: 30/45/70)."""
    results = copy.deepcopy(results)
    ctx = Context.of(results)
    response = figures.response_figure(ctx)
    assert response is not None
    header = response_table(ctx).header  # type: ignore[union-attr]
    for label in ("Complete response (CR)", "Partial response (PR)", "No response (NR)"):
        assert label in svg_texts(response.svg)
        assert f"{label}, n (%)" in header
    results["settings"]["tis_population"] = "jdm"
    tis = figures.tis_figure(Context.of(results))
    assert tis is not None
    for label in ("None (< 30)", "Minimal (30 to < 45)", "Moderate (45 to < 70)",
                  "Major (≥ 70)"):
        assert label in svg_texts(tis.svg)


def test_trajectory_panels_show_the_whole_scale(results: dict[str, Any],
                                                visits: pd.DataFrame) -> None:
    """CMAS values in the fixture run 29 to 52; the panel's axis still starts at 0 (the
    scale is 0-52 in the field dictionary), where autoscaling started it near 30."""
    figure, _ = figures.trajectories_figure(Context.of(results), visits)
    assert figure is not None
    texts = svg_texts(figure.svg)
    panel_b = texts[texts.index("A  Skin-DAS") + 1: texts.index("B  CMAS")]
    assert "0" in panel_b and "50" in panel_b
    assert figures.scale_range("mmt8_total") == (0, 80)
    assert figures.scale_range("weight_kg") == (None, None)  # a plausibility limit


def test_km_panels_carry_numbers_at_risk(results: dict[str, Any]) -> None:
    figure = figures.km_figure(Context.of(results))
    assert figure is not None
    texts = svg_texts(figure.svg)
    assert texts.count("At risk") == 2
    assert "Numbers at risk" in figure.caption


@pytest.mark.parametrize("name", ["baricitinib", "tofacitinib-ruxolitinib"])
def test_demo_figures_show_no_raw_code_and_come_as_png_and_svg(
        demo_reports: dict[str, Path], name: str) -> None:
    folder = demo_reports[name] / "figures"
    svgs = sorted(folder.glob("*.svg"))
    assert svgs and [p.with_suffix(".png").is_file() for p in svgs] == [True] * len(svgs)
    for svg in svgs:
        assert raw_codes_in(svg_texts(svg.read_text(encoding="utf-8"))) == [], svg.name
        png = svg.with_suffix(".png").read_bytes()
        assert b"pHYs" in png  # the PNG records its resolution
        ppm = int.from_bytes(png[png.index(b"pHYs") + 4: png.index(b"pHYs") + 8], "big")
        assert round(ppm * 0.0254) == 300
