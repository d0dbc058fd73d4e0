"""The files of a report: Word, Excel, figures, results.json; determinism; odd inputs."""

from __future__ import annotations

import gc
import json
import math
import struct
import zlib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pytest

from jdmtrack.errors import JdmtrackError
from jdmtrack.report import ReportFiles, render_report

FIGURES = ("trajectories", "response", "tis", "kaplan_meier", "dose_weight")
SHEETS = [
    "contents", "visits_per_week", "baseline", "missing", "patients", "patients_all", "outcomes",
    "outcome_das_skin", "outcome_cmas_total", "outcome_mmt8_total", "outcome_das_total",
    "outcome_cs_mg_kg_day", "vs_baseline", "response", "criteria", "tis", "cs_taper",
    "time_to_event", "safety", "ae_by_term", "safety_grade", "ae_listing", "dosing", "published",
    "data_quality", "completeness", "undecided", "input_files", "settings", "visits",
]


def test_docx_opens_and_holds_the_tables_and_figures(rendered: tuple[Any, ReportFiles]) -> None:
    """(c) Word: every printed table (plus the flow diagram), a header cell, the figures."""
    import docx

    files = rendered[1]
    document = docx.Document(str(files.docx))
    html = files.html.read_text(encoding="utf-8")
    assert len(document.tables) == html.count("<table>") + 1  # + the cohort flow diagram
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Characteristic", "n", "Median (Q1, Q3) or n (%)", "Mean ± SD", "Range",
            "Missing"] in headers
    assert any(h[:3] == ["Week", "Evaluable", "Complete response (CR), n (%)"] for h in headers)
    assert len(document.inline_shapes) == len(FIGURES)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "SYNTHETIC DATA." in text
    assert "Table 1. Visits per week" in text
    assert rendered[0]["methods"][0] in text


def test_xlsx_has_a_sheet_per_table_and_full_precision(rendered: tuple[Any, ReportFiles]) -> None:
    """(c) Excel: the expected sheets; numbers kept unrounded and shown rounded."""
    import openpyxl

    results, files = rendered
    book = openpyxl.load_workbook(files.xlsx)
    assert book.sheetnames == SHEETS
    patients = book["patients"]
    assert [c.value for c in patients[2]][:4] == ["Patient", "JAKi", "mg/day", "mg/kg/day"]
    cell = patients.cell(row=3, column=4)
    assert cell.value == results["patients"][0]["jaki_mg_kg_day"] == 4.0 / 32.0
    assert cell.number_format == "0.00"
    visits = book["visits"]
    assert [c.value for c in visits[1]][:3] == ["patient_id", "week", "cmas_total"]
    assert visits.max_row == 1 + 23
    assert visits.cell(row=19, column=3).value is None  # P05 week 4 CMAS: missing -> empty
    contents = [row[0] for row in book["contents"].iter_rows(values_only=True)]
    assert "data_quality" in contents and "visits" in contents


def _png_dpi(data: bytes) -> float:
    """Pixels per inch from the PNG pHYs chunk (PIL not needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[position + 8 + length:
                                                                    position + 12 + length])[0]
        if kind == b"pHYs":
            x, _y, unit = struct.unpack(">IIB", body)
            assert unit == 1  # per metre
            return float(x) * 0.0254
        position += 12 + length
    raise AssertionError("no pHYs chunk")


def test_figures_are_png_at_300_dpi_and_svg(rendered: tuple[Any, ReportFiles]) -> None:
    """(d) Each figure as PNG (300 dpi) and well-formed SVG, numbered in report order."""
    files = rendered[1]
    names = sorted(p.name for p in files.figures)
    expected = sorted(f"figure_{i}_{key}.{ext}" for i, key in enumerate(FIGURES, start=1)
                      for ext in ("png", "svg"))
    assert names == expected
    for path in files.figures:
        assert path.parent == files.out_dir / "figures"
        if path.suffix == ".png":
            data = path.read_bytes()
            assert round(_png_dpi(data)) == 300
            try:
                from PIL import Image
            except ImportError:
                continue
            with Image.open(path) as image:
                assert round(image.info["dpi"][0]) == 300
                assert image.size[0] == 6.5 * 300
        else:
            root = ElementTree.fromstring(path.read_bytes())
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            text = path.read_text(encoding="utf-8")
            assert "<dc:date>" not in text and "Matplotlib v" not in text


def test_rendering_is_byte_stable(tmp_path: Path, results: dict[str, Any],
                                  visits: pd.DataFrame, rendered: tuple[Any, ReportFiles]) -> None:
    again = render_report(results, visits, tmp_path)
    first = rendered[1]
    for a, b in zip(first.figures, again.figures, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first.html.read_bytes() == again.html.read_bytes()
    assert first.xlsx.read_bytes() == again.xlsx.read_bytes()
    assert first.json.read_bytes() == again.json.read_bytes()


def test_rendering_leaves_the_garbage_collector_as_it_found_it(
        tmp_path: Path, results: dict[str, Any], visits: pd.DataFrame) -> None:
    """render_report sets older objects aside from the collector only while it works, and
    leaves alone a caller that froze objects itself."""
    assert gc.get_freeze_count() == 0
    render_report(results, visits, tmp_path / "plain")
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        render_report(results, visits, tmp_path / "frozen")
        assert gc.get_freeze_count() > 0  # still frozen (some may have been freed since)
    finally:
        gc.unfreeze()


def test_results_json_is_the_dict_as_given(rendered: tuple[Any, ReportFiles]) -> None:
    results, files = rendered
    assert json.loads(files.json.read_text(encoding="utf-8")) == results
    bad = dict(results, extra=math.nan)
    with pytest.raises(JdmtrackError, match="cannot be written as JSON"):
        render_report(bad, pd.DataFrame(), files.out_dir / "nan")


def test_progress_hears_each_stage(tmp_path: Path, results: dict[str, Any],
                                   visits: pd.DataFrame) -> None:
    stages: list[str] = []
    render_report(results, visits, tmp_path, progress=stages.append)
    assert stages == ["results.json", "tables", "tables.xlsx", "figures", "report.html",
                      "report.docx", "done"]


def test_absent_visit_columns_skip_their_panel_with_a_note(tmp_path: Path,
                                                           results: dict[str, Any],
                                                           visits: pd.DataFrame) -> None:
    files = render_report(results, visits.drop(columns=["mmt8_total", "cs_mg_kg_day"]), tmp_path)
    html = files.html.read_text(encoding="utf-8")
    assert "MMT-8 (0–80): not drawn (no mmt8_total column in the visits table)." in html
    assert (tmp_path / "figures" / "figure_1_trajectories.png").exists()
    bare = render_report(results, pd.DataFrame({"patient_id": ["P01"]}), tmp_path / "bare")
    assert "figure_1_response.png" in [p.name for p in bare.figures]


def test_a_nearly_empty_results_dict_still_renders(tmp_path: Path) -> None:
    files = render_report({"schema_version": 1}, pd.DataFrame(), tmp_path)
    html = files.html.read_text(encoding="utf-8")
    assert html.count("Not in the results.") >= 5
    assert files.figures == ()
    assert files.docx.exists() and files.xlsx.exists()


def test_large_cohort_listings_go_to_the_spreadsheet(tmp_path: Path, results: dict[str, Any],
                                                     visits: pd.DataFrame) -> None:
    """360 patients: the per-patient table is only in tables.xlsx; lines are rasterised."""
    copies = 60
    results["patients"] = [dict(p, patient_id=f"{p['patient_id']}-{i}")
                           for i in range(copies) for p in results["patients"]]
    results["cohort"]["n_patients"] = len(results["patients"])
    many = pd.concat([visits.assign(patient_id=visits["patient_id"] + f"-{i}")
                      for i in range(copies)], ignore_index=True)
    files = render_report(results, many, tmp_path)
    html = files.html.read_text(encoding="utf-8")
    assert "360 rows: too many to print here" in html
    assert "<image" in (tmp_path / "figures" / "figure_1_trajectories.svg").read_text()
    import openpyxl

    book = openpyxl.load_workbook(files.xlsx, read_only=True)
    assert sum(1 for _row in book["patients"].iter_rows()) >= 2 + 360


def test_control_characters_in_the_data_do_not_break_word_or_excel(
        tmp_path: Path, results: dict[str, Any], visits: pd.DataFrame) -> None:
    """XML cannot hold most control characters; a stray one in a message or a visit cell
    must not stop the report."""
    import docx
    import openpyxl

    results["warnings"][0]["message"] = "bad\x0bvalue from a spreadsheet"
    visits["response"] = visits["response"].astype(object)
    visits.loc[0, "response"] = "CR\x01"
    files = render_report(results, visits, tmp_path)
    assert "bad value from a spreadsheet" in files.html.read_text(encoding="utf-8")
    document = docx.Document(str(files.docx))
    assert any("bad value" in c.text for t in document.tables for c in t.columns[-1].cells)
    book = openpyxl.load_workbook(files.xlsx)
    header = [c.value for c in book["visits"][1]]
    assert book["visits"].cell(row=2, column=header.index("response") + 1).value == "CR "


def test_report_files_lists_what_it_wrote(rendered: tuple[Any, ReportFiles]) -> None:
    files = rendered[1]
    assert files.names() == ["report.html", "report.docx", "tables.xlsx",
                             "figures/ (10 files)", "results.json"]
    assert all(path.exists() for path in files.all())
