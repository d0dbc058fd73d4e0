"""Issue 19: the data-quality and provenance pages show the field dictionary's labels, not
raw codes; the code follows in small type where a data manager needs it to find the row
(the warning code, which --warnings-file lists, and the column name)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from report_codes import cells_of

from jdmtrack.report.context import Context
from jdmtrack.report.tables import files_table, settings_table
from jdmtrack.report.tables_quality import column_label, quality_table, undecided_table


def test_quality_rows_by_label_with_the_code_in_small_type(results: dict[str, Any]) -> None:
    table = quality_table(Context.of(results))
    assert table is not None and table.header[:3] == ["Warning", "Table", "Column"]
    rows = {row[0].code: row for row in table.rows}
    item = rows["item_missing"]
    assert item[0].text == "Item missing"
    assert (item[1].text, item[1].code) == ("Visits", None)
    assert (item[2].text, item[2].code) == ("CMAS 4: Supine to prone", "cmas_04")
    dose = rows["dose_underivable"]
    assert (dose[2].text, dose[2].code) == ("Weight", "weight_kg")
    short = rows["followup_short"]
    assert (short[2].text, short[2].code) == ("–", None)  # no column: nothing to find


def test_undecided_inputs_by_label(results: dict[str, Any]) -> None:
    table = undecided_table(Context.of(results))
    assert table is not None
    [row] = table.rows
    assert (row[0].text, row[0].code) == ("Total Improvement Score: a core-set measure missing",
                                          "tis_measure_missing")
    assert (row[2].text, row[2].code) == (
        "Patient/parent global disease activity, 10-cm VAS (5)", "ptga_cm")


def test_provenance_tables_by_label(results: dict[str, Any]) -> None:
    results["settings"]["by"] = "jaki_drug"
    results["settings"]["measures"] = ["cmas_total", "ck_u_l"]
    ctx = Context.of(results)
    files = files_table(ctx)
    assert files is not None and {row[0].text for row in files.rows} <= {
        "Patients", "Visits", "Events", "Adverse events"}
    settings = settings_table(ctx)
    assert settings is not None
    rows = {row[0].text: row[1] for row in settings.rows}
    assert (rows["by"].text, rows["by"].code) == ("JAK inhibitor", "jaki_drug")
    assert rows["measures"].code == "cmas_total, ck_u_l"
    assert rows["measures"].text == f"{column_label(None, 'cmas_total')}, Creatine kinase (CK)"


def test_the_code_is_small_type_in_html_word_and_excel(rendered: tuple[Any, Any]) -> None:
    _, files = rendered
    page = files.html.read_text(encoding="utf-8")
    assert '<small class="code">tis_measure_missing</small>' in page
    assert "Total Improvement Score: a core-set measure missing" in " ".join(cells_of(page))
    with zipfile.ZipFile(Path(files.docx)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert '<w:sz w:val="14"/></w:rPr><w:t xml:space="preserve"> tis_measure_missing' in body
    with zipfile.ZipFile(Path(files.xlsx)) as xlsx:
        strings = " ".join(xlsx.read(n).decode("utf-8") for n in xlsx.namelist()
                           if n.endswith(".xml"))
    assert "Total Improvement Score: a core-set measure missing [tis_measure_missing]" in strings
