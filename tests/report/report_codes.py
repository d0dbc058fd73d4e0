"""The raw codes of the field dictionary, and the table cells of a page, for the report tests."""

from __future__ import annotations

from html.parser import HTMLParser

from jdmtrack.fields import DERIVED_FIELDS, FIELDS

CHOICE_FIELDS = [f for f in (*FIELDS, *DERIVED_FIELDS) if f.kind in ("choice", "list")]


def _raw_forms() -> dict[str, str]:
    """Every code of every choice field, as written and in the underscore-free form a
    careless renderer makes of it (``gc_ineffective``, ``gc ineffective``), -> its field."""
    forms: dict[str, str] = {}
    for spec in CHOICE_FIELDS:
        for code in spec.choices:
            for form in {code, code.replace("_", " ")}:
                forms.setdefault(form, f"{spec.table}.{spec.name}")
    return forms


class _Cells(HTMLParser):
    """The whole text of every table cell (td and th)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._current is not None:
            self.cells.append("".join(self._current).strip())
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def cells_of(html: str) -> list[str]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def raw_codes_in(cells: list[str]) -> list[tuple[str, str]]:
    forms = _raw_forms()
    return sorted({(c, forms[c]) for c in cells if c in forms})
