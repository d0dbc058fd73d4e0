"""report.docx as an editor gets it: Word captions with SEQ fields, repeating header rows."""

from __future__ import annotations

import re
import zipfile
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document_xml(files: Any) -> str:
    with zipfile.ZipFile(files.docx) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_captions_use_word_caption_style_and_seq_fields(rendered: tuple[Any, Any]) -> None:
    """Every table and figure caption is a paragraph in the "Caption" style holding a
    ``SEQ Table`` / ``SEQ Figure`` field, numbered 1, 2, 3... in order, as the HTML."""
    _results, files = rendered
    xml = _document_xml(files)
    html = files.html.read_text(encoding="utf-8")
    captions = re.findall(r"<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val=\"Caption\"/>.*?</w:p>", xml,
                          flags=re.DOTALL)
    fields = [re.search(r'fldCharType="begin"/>.*?<w:instrText[^>]*> SEQ (\w+) \\\* ARABIC '
                        r'</w:instrText>.*?fldCharType="separate"/>.*?<w:t>(\d+)</w:t>.*?'
                        r'fldCharType="end"/>', c, flags=re.DOTALL) for c in captions]
    assert all(fields)
    tables = [int(m.group(2)) for m in fields if m and m.group(1) == "Table"]
    figures = [int(m.group(2)) for m in fields if m and m.group(1) == "Figure"]
    assert tables == list(range(1, len(tables) + 1))
    assert figures == list(range(1, len(figures) + 1))
    assert len(tables) == html.count('class="label">Table ') > 20
    assert len(figures) == html.count('class="label">Figure ') >= 4
    # Caption text: "Table " + field + ". " + title, as the HTML's caption.
    first = re.sub(r"<[^>]+>", "", re.sub(r"<w:instrText.*?</w:instrText>", "", captions[0]))
    assert first.startswith("Table 1. ")


def test_every_table_repeats_its_header_row_and_no_row_splits(
        rendered: tuple[Any, Any]) -> None:
    import docx

    _results, files = rendered
    document = docx.Document(str(files.docx))
    tables = document.tables[1:]  # the first is the cohort flow diagram (no header)
    assert len(tables) > 20
    for table in tables:
        rows = table._tbl.findall(f"{W}tr")
        first = rows[0].find(f"{W}trPr")
        assert first is not None and first.find(f"{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])


def _tables_by_orientation(body: Any) -> list[tuple[str, bool]]:
    """(first header cell + second, landscape?) for every table, in order. A section's
    properties sit at its end (in its last paragraph, or the body's last element)."""
    pending: list[str] = []
    out: list[tuple[str, bool]] = []

    def close(sect_pr: Any) -> None:
        size = sect_pr.find(f"{W}pgSz")
        landscape = size is not None and size.get(f"{W}orient") == "landscape"
        out.extend((key, landscape) for key in pending)
        pending.clear()

    for child in body:
        if child.tag == f"{W}tbl":
            cells = child.findall(f"{W}tr")[0].findall(f"{W}tc")
            pending.append(" | ".join("".join(t.text or "" for t in c.iter(f"{W}t"))
                                      for c in cells[:4]))
        elif child.tag == f"{W}p" and child.find(f"{W}pPr/{W}sectPr") is not None:
            close(child.find(f"{W}pPr/{W}sectPr"))
        elif child.tag == f"{W}sectPr":
            close(child)
    return out


def test_wide_tables_are_on_landscape_pages(rendered: tuple[Any, Any]) -> None:
    """As in the HTML's print layout: the per-measure outcome tables (11 columns) on A4
    landscape sections; Table 1 (baseline) and the flow diagram on portrait ones."""
    import docx

    _results, files = rendered
    document = docx.Document(str(files.docx))
    placed = _tables_by_orientation(document.element.body)
    outcome = [landscape for key, landscape in placed
               if key == "Week | n | Median (Q1, Q3) | Mean ± SD"]
    assert len(outcome) == 5 and all(outcome)
    assert ("Characteristic | n | Median (Q1, Q3) or n (%) | Mean ± SD", False) in placed
    assert placed[0][1] is False
    assert any(landscape for _key, landscape in placed)
    assert not all(landscape for _key, landscape in placed)
