"""The report as one self-contained HTML file: CSS and SVG figures inline, nothing fetched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

from .model import Block, Cell, Document, FigureOut, Flow, Paragraph, Section, Table

__all__ = ["inline_svg", "is_wide", "print_width", "render_html", "starts_wide", "table_classes"]

_PROLOGUE = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')
_ID = re.compile(r'\bid="([^"]+)"')
_WRAP_ABOVE = 32  # cells longer than this may wrap; shorter ones (numbers) never do
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
# Print layout. A table wider than this many characters (columns that never wrap at their
# longest text, wrapping ones at _WRAPPED, plus 3 per column for padding) does not fit the
# 180 mm of an A4 portrait page at 8 pt: it goes on a landscape page. One of at most
# _SHORT_ROWS rows is kept on one page.
_WIDE_ABOVE = 125
_WIDE_COLUMNS = 10  # and any table of this many columns (a series of them stays alike)
_WRAPPED = 18
_SHORT_ROWS = 25


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG file's text made fit to sit inside HTML.

    Drops the XML prologue and doctype (which names a URL), the namespace declarations
    (HTML knows SVG), and the fixed size (CSS scales it); and prefixes every id, so that
    several figures' clip paths and glyphs never collide in one page.

    >>> inline_svg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    ...            'width="10pt" height="5pt" viewBox="0 0 10 5"><path id="a"/>'
    ...            '<use href="#a" clip-path="url(#a)"/></svg>', "f1")
    '<svg viewBox="0 0 10 5" role="img"><path id="f1-a"/><use href="#f1-a" clip-path="url(#f1-a)"/></svg>'
    """
    text = _PROLOGUE.sub("", svg, count=1)
    head_end = text.index(">")
    head = _SIZE.sub("", _NAMESPACES.sub("", text[:head_end]))
    text = head + ' role="img"' + text[head_end:]
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)


def _blocks(section: Section) -> Iterator[tuple[str, Block]]:
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield "paragraph", block
        elif isinstance(block, Flow):
            yield "flow", block
        elif isinstance(block, Table):
            if not block.excel_only:
                yield "table", block
        elif isinstance(block, FigureOut):
            yield "figure", block


def _cell_attrs(cell: Cell, first: bool) -> str:
    classes = []
    if cell.number_format is not None and not first:
        classes.append("num")
    if cell.level:
        classes.append(f"lvl{cell.level}")
    if len(cell.text) > _WRAP_ABOVE:
        classes.append("wrap")
    return f' class="{" ".join(classes)}"' if classes else ""


def print_width(table: Table) -> int:
    """The table's width in characters as printed (see ``_WIDE_ABOVE``).

    >>> from .model import Cell
    >>> print_width(Table("t", "T", ["Week", "n"], [[Cell("Week 4"), Cell("12")]]))
    14
    """
    width = 0
    for j, head in enumerate(table.header):
        body = max((len(row[j].text) for row in table.rows if j < len(row)), default=0)
        wraps = j == 0 or body > _WRAP_ABOVE
        longest_word = max((len(word) for word in head.split()), default=0)
        width += max(longest_word, min(body, _WRAPPED) if wraps else body) + 3
    return width


def is_wide(table: Table) -> bool:
    """Too wide for a portrait page: printed (HTML, Word) on landscape pages."""
    return table.inline and not table.excel_only and (
        len(table.header) >= _WIDE_COLUMNS or print_width(table) > _WIDE_ABOVE)


def table_classes(table: Table) -> str:
    """``table`` plus ``wide`` (printed on a landscape page) and ``short`` (never split)."""
    classes = ["table"]
    if is_wide(table):
        classes.append("wide")
    if len(table.rows) <= _SHORT_ROWS:
        classes.append("short")
    return " ".join(classes)


def starts_wide(section: Section) -> bool:
    """True when the section opens with a wide table: its heading goes to that landscape
    page too, not alone at the foot of the portrait page before it."""
    shown = [block for _kind, block in _blocks(section)]
    return bool(shown) and isinstance(shown[0], Table) and is_wide(shown[0])


def _template_text(name: str) -> str:
    return resources.files("jdmtrack.report").joinpath("templates", name).read_text("utf-8")


def render_html(document: Document, generator: str) -> str:
    """The report page. ``generator`` names the software for the ``<meta>`` tag."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    template = env.from_string(_template_text("report.html.j2"))
    return template.render(
        doc=document, generator=generator, css=Markup(_template_text("report.css")),
        blocks=_blocks, table_classes=table_classes, starts_wide=starts_wide,
        cell_attrs=lambda cell, first: Markup(_cell_attrs(cell, first)),
        svg=lambda figure: Markup(inline_svg(figure.svg, f"fig{figure.number}")),
    )
