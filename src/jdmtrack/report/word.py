"""The report as an editable Word document (python-docx): headings, tables, PNG figures."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from .html import is_wide, starts_wide
from .model import Document, FigureOut, Flow, Paragraph, Table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = ["write_docx"]

_TABLE_FONT_PT = 8
# Styles are set by id: python-docx's lookup by name scans every style each time.
_CELL_STYLE = ("Table Cell", "TableCell")
_NOTE_STYLE = ("Table Note", "TableNote")
_GRID_STYLE_ID = "TableGrid"  # "Table Grid" of python-docx's default template
_CAPTION_STYLE_ID = "Caption"  # Word's built-in caption style (in python-docx's template)
_FIGURE_WIDTH_CM = 16.5


def _generated(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def write_docx(document: Document, path: Path, *, generated: object = None) -> None:
    """Write ``document`` to ``path`` as .docx (A4, 2 cm margins)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10)
    cell_style = doc.styles.add_style(_CELL_STYLE[0], WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = doc.styles["Normal"]
    cell_style.font.size = Pt(_TABLE_FONT_PT)
    cell_style.paragraph_format.space_after = Pt(0)
    note_style = doc.styles.add_style(_NOTE_STYLE[0], WD_STYLE_TYPE.PARAGRAPH)
    note_style.base_style = doc.styles["Normal"]
    note_style.font.size = Pt(7.5)
    note_style.font.color.rgb = RGBColor(0x57, 0x60, 0x6A)
    note_style.paragraph_format.space_after = Pt(0)

    core = doc.core_properties
    core.title = document.title
    core.author = "jdmtrack"
    when = _generated(generated)
    if when is not None:
        core.created = core.modified = when

    doc.add_heading(document.title, level=0)
    if document.banner:
        banner = doc.add_paragraph()
        run = banner.add_run(f"SYNTHETIC DATA. {document.banner}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xA6, 0x3C, 0x00)
    doc.add_paragraph(document.subtitle)
    doc.add_paragraph("  ·  ".join(f"{k}: {v}" for k, v in document.facts))
    landscape = False
    for number, sec in enumerate(document.sections, start=1):
        if starts_wide(sec) != landscape:  # the heading goes with the section's first page
            landscape = _turn(doc, not landscape)
        doc.add_heading(f"{number}. {sec.title}", level=1)
        for block in sec.blocks:
            if isinstance(block, Table) and block.excel_only:
                continue  # only in tables.xlsx
            wide = isinstance(block, Table) and is_wide(block)
            if wide != landscape:
                landscape = _turn(doc, wide)
            if isinstance(block, Paragraph):
                p = doc.add_paragraph(block.text)
                if block.kind != "text":
                    _style(p, _NOTE_STYLE)
            elif isinstance(block, Flow):
                _flow(doc, block)
            elif isinstance(block, Table):
                _table(doc, block, _LANDSCAPE_TWIPS if landscape else _TEXT_WIDTH_TWIPS)
            elif isinstance(block, FigureOut):
                _figure(doc, block, Cm(_FIGURE_WIDTH_CM))
    doc.save(str(path))


def _caption(doc: DocxDocument, kind: str, number: int, title: str, *,
             keep_with_next: bool) -> None:
    """A caption in Word's own "Caption" style, numbered by a ``SEQ`` field.

    Word numbers ``SEQ Table`` and ``SEQ Figure`` fields itself (Update Field, F9), so an
    editor who moves, adds or deletes a table gets the numbers right again, and Insert >
    Cross-reference and a List of Tables find every caption. The number written inside the
    field is the report's own, shown until the fields are updated.
    """
    from docx.oxml import parse_xml

    keep = "<w:keepNext/>" if keep_with_next else ""
    xml = (f'<w:p {_W}><w:pPr><w:pStyle w:val="{_CAPTION_STYLE_ID}"/>{keep}</w:pPr>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{kind} </w:t></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:instrText xml:space="preserve"> SEQ {kind} '
           f'\\* ARABIC </w:instrText></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:t>{number}</w:t></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
           f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">. </w:t></w:r>'
           f'<w:r><w:t xml:space="preserve">{escape(title)}</w:t></w:r></w:p>')
    _append(doc, parse_xml(xml))


def _append(doc: DocxDocument, element: Any) -> None:
    """Add a block element at the end of the body (before the section properties)."""
    body = doc.element.body
    if body.sectPr is not None:
        body.sectPr.addprevious(element)
    else:
        body.append(element)


def _turn(doc: DocxDocument, landscape: bool) -> bool:
    """Start a new section (on a new page), A4 landscape or portrait: tables too wide for a
    portrait page are printed across a landscape one, as in the HTML's print layout."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = ((long_side, short_side) if landscape
                                               else (short_side, long_side))
    return landscape


def _table(doc: DocxDocument, table: Table, text_width: int) -> None:
    _caption(doc, "Table", table.number, table.title, keep_with_next=True)
    if not table.inline:
        doc.add_paragraph(f"{len(table.rows)} rows: too many to print here. The full table is "
                          f"sheet “{table.key}” of tables.xlsx.")
    else:
        _append_table(doc, [[(h, True, 0, "") for h in table.header]]
                      + [[(c.text, False, c.level, c.code or "") for c in row]
                         for row in table.rows],
                      header=True, text_width=text_width)
    for note in table.notes:
        if note:
            _style(doc.add_paragraph(note), _NOTE_STYLE)
    doc.add_paragraph()


def _style(paragraph: Any, style: tuple[str, str]) -> None:
    paragraph._p.get_or_add_pPr().style = style[1]


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TEXT_WIDTH_TWIPS = 9638  # 17 cm between 2 cm margins on A4
_LANDSCAPE_TWIPS = 14570  # 25.7 cm between 2 cm margins on A4 landscape


def _cell_xml(text: str, bold: bool, level: int, width: int, code: str = "") -> str:
    indent = f'<w:ind w:left="{160 * level}"/>' if level else ""
    run_pr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    # A dictionary code after its label, in small grey type (7 pt).
    small = (f'<w:r><w:rPr><w:color w:val="5A6470"/><w:sz w:val="14"/></w:rPr>'
             f'<w:t xml:space="preserve"> {escape(code)}</w:t></w:r>' if code else "")
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{_CELL_STYLE[1]}"/>{indent}</w:pPr>'
            f'<w:r>{run_pr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>{small}</w:p></w:tc>')


def _append_table(doc: DocxDocument, rows: list[list[tuple[str, bool, int, str]]], *,
                  header: bool, text_width: int = _TEXT_WIDTH_TWIPS) -> None:
    """Append a table written as WordprocessingML in one piece.

    Building it through python-docx's object model costs several element look-ups per
    cell (seconds for a long listing); one parse of the finished XML does not.
    """
    from docx.oxml import parse_xml

    columns = max(len(r) for r in rows)
    # Columns as wide as their longest text (capped), scaled to the page's text width.
    longest = [4 + max(5, min(40, max((len(r[j][0]) for r in rows[:200] if j < len(r)),
                                      default=0)))
               for j in range(columns)]
    widths = [text_width * n // sum(longest) for n in longest]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = []
    for i, row in enumerate(rows):
        # No row splits over two pages; the header row repeats on every page the table
        # runs on to (Word's "Repeat as header row").
        repeat = "<w:tblHeader/>" if header and i == 0 else ""
        row_pr = f"<w:trPr><w:cantSplit/>{repeat}</w:trPr>"
        cells = "".join(_cell_xml(text, bold, level, widths[j], code)
                        for j, (text, bold, level, code) in enumerate(row))
        body.append(f"<w:tr>{row_pr}{cells}</w:tr>")
    xml = (f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="{_GRID_STYLE_ID}"/>'
           '<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" '
           'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
           f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(body)}</w:tbl>')
    _append(doc, parse_xml(xml))


def _flow(doc: DocxDocument, flow: Flow) -> None:
    _append_table(doc, [[(("→ " if j else "") + head, True, 0, "")
                         for j, (head, _line) in enumerate(flow.steps)],
                        [(line, False, 0, "") for _head, line in flow.steps]], header=False)
    if flow.caption:
        _style(doc.add_paragraph(flow.caption), _NOTE_STYLE)
    doc.add_paragraph()


def _figure(doc: DocxDocument, figure: FigureOut, width: Any) -> None:
    picture = doc.add_paragraph()
    picture.paragraph_format.keep_with_next = True  # the picture stays with its caption
    picture.add_run().add_picture(io.BytesIO(figure.png), width=width)
    _caption(doc, "Figure", figure.number, f"{figure.title}. {figure.caption}",
             keep_with_next=False)
