"""The report as one self-contained HTML file: CSS and SVG figures inline, nothing fetched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

from .model import Block, Cell, Document, FigureOut, Flow, Paragraph, Section, Table

__all__ = ["inline_svg", "render_html"]

_PROLOGUE = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')
_ID = re.compile(r'\bid="([^"]+)"')
_WRAP_ABOVE = 32  # cells longer than this may wrap; shorter ones (numbers) never do
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


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
        blocks=_blocks,
        cell_attrs=lambda cell, first: Markup(_cell_attrs(cell, first)),
        svg=lambda figure: Markup(inline_svg(figure.svg, f"fig{figure.number}")),
    )
