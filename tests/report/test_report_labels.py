"""Codes are shown by their labels (jdmtrack.fields), never as codes, in every output."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from report_codes import CHOICE_FIELDS, cells_of, raw_codes_in

from jdmtrack.fields import code_label
from jdmtrack.redcap.dictionary import choice_label


def test_every_code_has_a_label_that_is_not_the_code() -> None:
    """The dictionary gives each code of each choice field words of its own: a label that
    is neither the code nor the code with spaces for underscores (``CR`` is not a label;
    ``Complete response`` is)."""
    bare = [(spec.name, code) for spec in CHOICE_FIELDS for code in spec.choices
            if code_label(code) in (code, code.replace("_", " "))]
    assert bare == []


def test_redcap_and_report_share_one_label() -> None:
    """REDCap's choice labels are the dictionary's (one place for a code's words)."""
    for spec in CHOICE_FIELDS:
        for code in spec.choices:
            assert choice_label(code) == code_label(code)
    assert code_label("tif1g") == "Anti-TIF1-gamma"
    assert code_label("gc_ineffective") == "Glucocorticoid-ineffective"


def test_the_scan_catches_a_raw_code() -> None:
    """The check below can fail: a page with a code as a cell's whole text is caught, a
    label or a code inside a longer text is not."""
    html = ("<table><tr><th>Week</th><td>gc_ineffective</td><td>tif1g</td><td>gc ineffective"
            "</td><td>Female</td><td>Anti-TIF1-gamma and tif1g</td></tr></table>")
    assert [c for c, _ in raw_codes_in(cells_of(html))] == ["gc ineffective", "gc_ineffective",
                                                            "tif1g"]


@pytest.mark.parametrize("name", ["baricitinib", "tofacitinib-ruxolitinib"])
def test_demo_report_html_shows_no_raw_code(demo_reports: dict[str, Path], name: str) -> None:
    """No cell of the demo report is a raw code of any choice field (the demos hold
    refractory types, autoantibodies, agents, drugs, AE categories and responses)."""
    html = (demo_reports[name] / "report.html").read_text(encoding="utf-8")
    cells = cells_of(html)
    assert len(cells) > 500
    assert raw_codes_in(cells) == []


def _docx_cells(path: Path) -> list[str]:
    import docx

    document = docx.Document(str(path))
    return [cell.text.strip() for table in document.tables for row in table.rows
            for cell in row.cells]


def _xlsx_strings(path: Path) -> list[str]:
    """Every shared or inline string of every sheet but the scored visits (data, not a
    table of the report: it keeps the codes as the user typed them)."""
    import re

    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        sheets = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
        texts: list[str] = []
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            shared = re.findall(r"<t[^>]*>([^<]*)</t>",
                                book.read("xl/sharedStrings.xml").decode("utf-8"))
        for index, sheet in enumerate(sheets, start=1):
            if sheet == "visits":
                continue
            xml = book.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")
            texts += re.findall(r"<is><t[^>]*>([^<]*)</t></is>", xml)
            texts += [shared[int(i)] for i in
                      re.findall(r'<c [^>]*t="s"[^>]*><v>(\d+)</v>', xml)]
        return [t.strip() for t in texts]


@pytest.mark.parametrize("name", ["baricitinib", "tofacitinib-ruxolitinib"])
def test_demo_word_and_excel_show_no_raw_code(demo_reports: dict[str, Path], name: str) -> None:
    folder = demo_reports[name]
    word = _docx_cells(folder / "report.docx")
    assert "Glucocorticoid-ineffective" in word or "Female" in word
    assert raw_codes_in(word) == []
    excel = _xlsx_strings(folder / "tables.xlsx")
    assert "Female" in excel
    assert raw_codes_in(excel) == []
