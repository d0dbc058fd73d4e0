"""The file writers jdmtrack writes itself: the workbook (SpreadsheetML) and the PNG.

Both are read back with the libraries a user's tools rely on (openpyxl, Pillow), so the
tests check what a spreadsheet program or an image viewer would see.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest

from jdmtrack.report.excel import write_xlsx
from jdmtrack.report.figures import PNG_DPI
from jdmtrack.report.model import Cell, Document, Section, Table
from jdmtrack.report.png import rgb_png


def _document() -> Document:
    table = Table(
        key="odd[name]", title="Edge cases & <markup>", header=["Label", "Value", "Text"],
        rows=[
            [Cell("Sex"), Cell("6", 6, "0"), Cell("")],
            [Cell("female", level=1), Cell("0.13", 0.125, "0.00"), Cell("  padded ")],
            [Cell("ratio"), Cell("0.1", 1 / 3, "0.0"), Cell("a\x0bb")],
            [Cell("not finite"), Cell("–", math.inf, "0.0"), Cell("line\nbreak")],
            [Cell("numpy"), Cell("7", cast(Any, np.int64(7)), "0"),
             Cell("0.5", np.float64(0.5), "0.0")],
        ],
        notes=["A note with \"quotes\" & an ampersand."])
    document = Document(title="Workbook test", subtitle="Generated for a test", banner="",
                        sections=[Section("one", "One", [table])], facts=[])
    document.number()
    return document


@pytest.fixture
def book(tmp_path: Path) -> Any:
    import openpyxl

    visits = pd.DataFrame({
        "patient_id": ["P01", "P02", "P03"],
        "week": [0.0, 4.0, float("nan")],
        "flag": pd.array([True, False, None], dtype="boolean"),
        "count": pd.array([1, None, 3], dtype="Int64"),
        "seen": pd.to_datetime(["2024-01-02", None, "2024-03-04"]),
    })
    path = tmp_path / "tables.xlsx"
    write_xlsx(_document(), visits, path, generated="2025-01-31T10:00:00+00:00")
    again = tmp_path / "again.xlsx"
    write_xlsx(_document(), visits, again, generated="2025-01-31T10:00:00+00:00")
    assert path.read_bytes() == again.read_bytes()  # deterministic
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"
    return openpyxl.load_workbook(path)


def test_workbook_sheets_styles_and_views(book: Any) -> None:
    assert book.sheetnames == ["contents", "odd_name_", "visits"]
    assert book.properties.creator == "jdmtrack"
    assert book.properties.created.isoformat() == "2025-01-31T10:00:00"
    contents = book["contents"]
    assert contents["A1"].value == "Workbook test" and contents["A1"].font.b
    assert [c.value for c in contents[4]] == ["Sheet", "Table", "Notes"]
    assert all(c.font.b for c in contents[4])
    assert contents.column_dimensions["B"].width == 60
    assert [c.value for c in contents[5]] == ["odd_name_", "Table 1. Edge cases & <markup>",
                                              "A note with \"quotes\" & an ampersand."]
    sheet = book["odd_name_"]
    assert sheet.freeze_panes == "A3"
    assert sheet["A1"].value == "Table 1. Edge cases & <markup>" and sheet["A1"].font.b
    assert sheet["A4"].alignment.indent == 1 and not sheet["A3"].alignment.indent
    assert sheet.column_dimensions["A"].width == 12  # longest text + 2
    assert book["visits"].freeze_panes == "C2"


def test_workbook_numbers_are_unrounded_and_shown_rounded(book: Any) -> None:
    sheet = book["odd_name_"]
    assert (sheet["B3"].value, sheet["B3"].number_format) == (6, "0")
    assert (sheet["B4"].value, sheet["B4"].number_format) == (0.125, "0.00")
    assert sheet["B5"].value == 1 / 3  # every digit, not openpyxl's 16
    assert sheet["B5"].number_format == "0.0"  # a format of our own (id 164 on)
    assert sheet["B6"].value is None  # infinity has no spreadsheet value
    assert (sheet["B7"].value, sheet["C7"].value) == (7, 0.5)  # numpy scalars unwrapped
    assert type(sheet["B7"].value) is int


def test_workbook_text_is_kept_as_written(book: Any) -> None:
    sheet = book["odd_name_"]
    assert sheet["C3"].value is None  # an empty cell, not an empty string
    assert sheet["C4"].value == "  padded "
    assert sheet["C5"].value == "a b"  # XML cannot hold the control character
    assert sheet["C6"].value == "line\nbreak"
    assert sheet["A9"].value == "A note with \"quotes\" & an ampersand."


def test_workbook_visits_keep_their_types(book: Any) -> None:
    rows = [[c.value for c in row] for row in book["visits"].iter_rows()]
    assert rows[0] == ["patient_id", "week", "flag", "count", "seen"]
    assert rows[1] == ["P01", 0, True, 1, "2024-01-02T00:00:00"]
    assert rows[2] == ["P02", 4, False, None, None]
    assert rows[3] == ["P03", None, None, 3, "2024-03-04T00:00:00"]
    assert isinstance(rows[1][2], bool)


def test_workbook_of_an_empty_report_opens(tmp_path: Path) -> None:
    import openpyxl

    empty = Document(title="t", subtitle="s", banner="", sections=[], facts=[])
    write_xlsx(empty, pd.DataFrame(), tmp_path / "empty.xlsx", generated=None)
    book = openpyxl.load_workbook(tmp_path / "empty.xlsx")
    assert book.sheetnames == ["contents", "visits"]
    assert book.properties.creator == "jdmtrack"


def test_png_holds_the_canvas_pixels_at_300_dpi() -> None:
    from PIL import Image

    rng = np.random.default_rng(1)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    rgba[:, :, 3] = 255
    data = rgb_png(memoryview(rgba), PNG_DPI)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGB" and image.size == (5, 7)
        assert round(image.info["dpi"][0]) == PNG_DPI == 300
        assert np.array_equal(np.asarray(image), rgba[:, :, :3])


def test_every_stacked_segment_is_labelled_with_its_count() -> None:
    """A segment too thin to hold its count (1 of 20 is 5 %) has it beside the bar."""
    from matplotlib.figure import Figure

    from jdmtrack.report.figures import _stacked_bars

    ax = Figure().add_subplot()
    style = {"cr": ("#0072B2", ""), "nr": ("#E69F00", "xx")}
    _stacked_bars(ax, ["4", "12"], [20, 20], {"cr": [1, 10], "nr": [19, 10]}, style,
                  {"cr": "CR", "nr": "NR"})
    labels = sorted(t.get_text() for t in ax.texts)
    # Four segment counts (1 beside its bar) and the two "n = 20" headers.
    assert labels == ["1", "10", "10", "19", "n = 20", "n = 20"]
    beside = next(t for t in ax.texts if t.get_text() == "1")
    assert beside.get_position()[0] > 0 + 0.62 / 2  # right of the first bar's edge
