"""The report as a document: sections of paragraphs, tables, figures and a flow diagram.

One document is built from the results (:mod:`jdmtrack.report.build`); the HTML, Word and
Excel writers only lay it out, so all three show the same numbers in the same words.
Cells hold the printed text and, for Excel, the full-precision value behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Block",
    "Cell",
    "Document",
    "FigureOut",
    "Flow",
    "Paragraph",
    "Section",
    "Table",
]


@dataclass(frozen=True)
class Cell:
    """One table cell: the text printed, and the unrounded value for the spreadsheet.

    ``number_format`` is the Excel format that shows ``value`` at the printed rounding.
    ``level`` indents a row label (1 = a level under a variable). ``code`` is the
    dictionary code behind a label (a column name, a warning code), printed after it in
    small type where a data manager needs it to find the row.
    """

    text: str
    value: float | int | str | None = None
    number_format: str | None = None
    level: int = 0
    code: str | None = None


@dataclass
class Table:
    """A numbered table. ``key`` names its Excel sheet and HTML anchor.

    A table with more rows than ``inline_limit`` is shown in full only in ``tables.xlsx``;
    the HTML and Word reports print a note saying so. An ``excel_only`` table (full-precision
    listings) appears only in ``tables.xlsx`` and is not numbered.
    """

    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    number: int = 0
    inline_limit: int | None = None
    excel_only: bool = False

    @property
    def inline(self) -> bool:
        return self.inline_limit is None or len(self.rows) <= self.inline_limit

    @property
    def label(self) -> str:
        return f"Table {self.number}" if self.number else ""


@dataclass
class FigureOut:
    """A drawn figure: its file stem, caption and both renderings."""

    key: str
    title: str
    caption: str
    svg: str
    png: bytes
    number: int = 0

    @property
    def label(self) -> str:
        return f"Figure {self.number}" if self.number else ""


@dataclass(frozen=True)
class Paragraph:
    """Text. ``kind``: ``text``, ``note`` (small print) or ``alert`` (a caveat to notice)."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Flow:
    """A flow diagram: boxes left to right, each a heading and a count line."""

    steps: tuple[tuple[str, str], ...]
    caption: str = ""


Block = Paragraph | Table | FigureOut | Flow


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """The whole report. ``banner`` is the synthetic-data warning (empty for real data)."""

    title: str
    subtitle: str
    banner: str
    sections: list[Section]
    facts: list[tuple[str, str]] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[FigureOut]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureOut)]

    def number(self) -> None:
        """Number tables and figures in order of appearance."""
        shown = [t for t in self.tables() if not t.excel_only]
        for count, table in enumerate(shown, start=1):
            table.number = count
        for count, figure in enumerate(self.figures(), start=1):
            figure.number = count
