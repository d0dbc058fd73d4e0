"""The adverse-event table by term and CTCAE grade, as printed (HTML, Word, Excel)."""

from __future__ import annotations

from typing import Any

import pytest
from scipy import stats

from jdmtrack.report.build import build_document


def _table(results: dict[str, Any], visits: Any) -> Any:
    document = build_document(results, visits)
    return next(t for t in document.tables() if t.key == "ae_by_term")


def test_ae_term_table_prints_counts_rates_and_exact_cis(results: dict[str, Any],
                                                        visits: Any) -> None:
    """The fixture: 132 weeks of exposure = 132 / (365.25 / 7) = 2.5298 patient-years;
    URTI 2 events in P01 (grade 1): 100 x 2 / 2.5298 = 79.06 -> 79.1, exact CI
    chi2(0.025; 4) / 2 = 0.2422 and chi2(0.975; 6) / 2 = 7.2247 per 2.5298 years,
    i.e. 9.6 to 285.6; 1 of the 6 exposed = 17%."""
    table = _table(results, visits)
    rows = [[c.text for c in row] for row in table.rows]
    years = 132 / (365.25 / 7)
    low, high = stats.chi2.ppf(0.025, 4) / 2, stats.chi2.ppf(0.975, 6) / 2
    assert f"{100 * low / years:.1f}" == "9.6" and f"{100 * high / years:.1f}" == "285.6"
    assert rows[0] == ["Upper respiratory tract infection", "2", "1 (17%)", "79.1",
                       "9.6 to 285.6"]
    assert rows[1] == ["Grade 1", "2", "1 (17%)", "79.1", "9.6 to 285.6"]
    assert table.rows[1][0].level == 1
    assert [r[0] for r in rows] == ["Upper respiratory tract infection", "Grade 1",
                                    "Alanine aminotransferase increased", "Grade 1",
                                    "Herpes zoster", "Grade 2"]
    assert table.rows[0][3].value == pytest.approx(200 / years, rel=1e-12)  # Excel: unrounded
    assert "2.5 patient-years" in table.notes[0]


def test_ae_term_table_in_every_output(rendered: tuple[dict[str, Any], Any]) -> None:
    import zipfile

    import docx

    _results, files = rendered
    html = files.html.read_text(encoding="utf-8")
    assert 'id="table-ae_by_term"' in html and "Adverse events by term and CTCAE grade" in html
    headers = [[c.text for c in t.rows[0].cells] for t in docx.Document(str(files.docx)).tables]
    assert ["Term and CTCAE grade", "Events", "Patients with ≥ 1, n (%)",
            "Events per 100 patient-years", "95% CI"] in headers
    with zipfile.ZipFile(files.xlsx) as book:
        assert 'name="ae_by_term"' in book.read("xl/workbook.xml").decode("utf-8")


def test_no_table_without_terms(results: dict[str, Any], visits: Any) -> None:
    results["safety"]["by_term"] = []
    document = build_document(results, visits)
    assert "ae_by_term" not in [t.key for t in document.tables()]
