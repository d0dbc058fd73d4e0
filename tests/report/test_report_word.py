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
