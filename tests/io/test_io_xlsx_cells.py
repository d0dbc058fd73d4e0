"""io/xlsx.py: a sheet's rows (built through a per-sheet cache of cell texts) are the
elements :func:`cell_xml` writes one cell at a time, for values that compare equal but are
written differently (1, 1.0, True; 0.0 and -0.0), repeated values in other styles, and
missing or non-finite values."""

from __future__ import annotations

import math

from jdmtrack.io.xlsx import Sheet, Styled, Styles, Value, cell_xml, column_letters

ROWS: list[list[Value | Styled]] = [
    [1, 1.0, True, 0.0, -0.0, "1", 1],
    [-0.0, 0.0, 1.0, 1, False, 0, "x"],
    [Styled(1.5, number_format="0.00"), 1.5, Styled(1.5, bold=True), 1.5, Styled(2, indent=1)],
    ["a", " a", "a\nb", "a&b<c>", "", None, math.nan, math.inf, "a"],
    [None, None],
    [],
    [Styled(None, bold=True), Styled("", number_format="0"), Styled(math.nan, bold=True)],
    [1, 1.0, True, 0.0, -0.0, "1", Styled(1, bold=True)],
]


def expected_row(styles: Styles, number: int, values: list[Value | Styled]) -> str:
    cells = []
    for j, value in enumerate(values):
        ref = f"{column_letters(j)}{number}"
        if isinstance(value, Styled):
            cells.append(cell_xml(ref, value.value, styles.index(value)))
        else:
            cells.append(cell_xml(ref, value, 0))
    return f'<row r="{number}">{"".join(cells)}</row>' if cells else ""


def test_rows_as_cell_xml_writes_them() -> None:
    sheet, styles = Sheet("s", Styles()), Styles()
    for row in ROWS:
        sheet.append(row)
    xml = sheet.xml()
    expected = "".join(expected_row(styles, n, row) for n, row in enumerate(ROWS, start=1))
    assert f"<sheetData>{expected}</sheetData>" in xml
    # The cases the cache must keep apart, spelt out.
    assert '<c r="A1"><v>1</v></c><c r="B1"><v>1.0</v></c><c r="C1" t="b"><v>1</v></c>' in xml
    assert '<c r="D1"><v>0.0</v></c><c r="E1"><v>-0.0</v></c>' in xml
    assert '<c r="A2"><v>-0.0</v></c><c r="B2"><v>0.0</v></c>' in xml
    assert '<row r="5"></row>' in xml  # a row of missing values is still a row
    assert '<c r="G8" s="' in xml and '<c r="G1"><v>1</v></c>' in xml


def test_append_styled_takes_style_indices() -> None:
    styles = Styles()
    bold = styles.index(Styled(None, bold=True))
    sheet = Sheet("s", styles)
    sheet.append_styled([("a", bold), (2.5, 0), (None, bold), (None, 0)])
    assert (f'<row r="1"><c r="A1" s="{bold}" t="inlineStr"><is><t>a</t></is></c>'
            f'<c r="B1"><v>2.5</v></c><c r="C1" s="{bold}"/></row>') in sheet.xml()


def test_frame_rows_float_column_as_cell_xml() -> None:
    """A float column is turned to text a distinct value at a time: repeated values, 0.0
    and -0.0 (equal, written apart), missing and infinite values (no cell), tiny and huge."""
    import pandas as pd

    from jdmtrack.io.xlsx import frame_rows

    values = [0.0, -0.0, 1.5, 1.5, math.nan, math.inf, -0.0, 1e16, 1e-07, 0.1 + 0.2, 5e-324,
              0.0, -math.inf, 1.5]
    rows = frame_rows(pd.DataFrame({"a": values}), 3)
    assert rows == [f'<row r="{n}">{cell_xml(f"A{n}", v, 0)}</row>'
                    for n, v in enumerate(values, start=3)]
    assert rows[1] == '<row r="4"><c r="A4"><v>-0.0</v></c></row>'
