"""The visits sheet of tables.xlsx (io/xlsx.py ``frame_rows``): built a column at a time,
each distinct value turned into its cell once, the rows joined from shared pieces. Every row
must be the cells :func:`cell_xml` writes one at a time (the reference writer): numbers as
numbers, booleans as booleans, everything else as its text, no cell for a missing value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.io.xlsx import cell_xml, column_letters, frame_rows

TEXTS = ["a", " a", "a ", "a\nb", "a&b", "<x>", "c\rd", "e\x01f", "", "é", "=1+1", "a\tb", "1",
         "nan", "x\x7f", None, math.nan]
FLOATS = [0.0, -0.0, 1.5, math.nan, math.inf, -math.inf, 1e16, 1e-7, 0.1 + 0.2, 5e-324, 2.675]
WHEN = [pd.Timestamp("2024-01-02 03:04:05"), pd.Timestamp("1999-12-31"), pd.NaT]
MIXED = ["x", 1, 1.0, True, None, math.nan, "a&b", 2.5]


def _expected_value(column: pd.Series, value: Any) -> Any:
    """What ``cell_xml`` is given for a cell: None when missing; a date as its text; text
    columns (object dtype) as the text of the value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) != "boolean":
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def expected_rows(frame: pd.DataFrame, first: int) -> list[str]:
    if frame.shape[1] == 0:
        return []
    rows = []
    for i in range(len(frame)):
        number = first + i
        cells = [cell_xml(f"{column_letters(j)}{number}",
                          _expected_value(frame[name], frame[name].iloc[i]), 0)
                 for j, name in enumerate(frame.columns)]
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    return rows


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(TEXTS), min_size=n, max_size=n),
    st.lists(st.sampled_from(FLOATS), min_size=n, max_size=n),
    st.lists(st.sampled_from(WHEN), min_size=n, max_size=n),
    st.lists(st.sampled_from(MIXED), min_size=n, max_size=n),
    st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n),
    st.lists(st.sampled_from([3, -7, 10**12, None]), min_size=n, max_size=n),
    st.integers(1, 5000))))
def test_frame_rows_are_the_cells_written_one_at_a_time(columns: tuple[Any, ...]) -> None:
    text, floats, when, mixed, flags, counts, first = columns
    frame = pd.DataFrame({
        "patient_id": pd.Series(text, dtype=object),
        "score": pd.Series(floats, dtype="float64"),
        "visit_date": pd.to_datetime(pd.Series(when, dtype=object)),
        "mixed": pd.Series(mixed, dtype=object),
        "flag": pd.array(flags, dtype="boolean"),
        "count": pd.array(counts, dtype="Int64"),
        "site": pd.array([t if isinstance(t, str) else None for t in text], dtype="string"),
        "none": pd.Series([None] * len(text), dtype=object),
    })
    assert frame_rows(frame, first) == expected_rows(frame, first)
    for name in frame.columns:  # one column alone (a column of one kind throughout)
        assert frame_rows(frame[[name]], first) == expected_rows(frame[[name]], first)


def test_by_hand() -> None:
    """Repeated text is one cell text reused; a leading space is kept (xml:space); & is
    escaped in the whole column; an empty text, a missing value and NaT make no cell."""
    frame = pd.DataFrame({
        "id": ["P1", "P1", " P2", "", None],
        "date": pd.to_datetime(pd.Series(["2024-05-06", None, "2024-05-06 07:08:09", None, None],
                                          dtype=object), format="ISO8601"),
        "note": ["a&b", "a&b", "plain", None, "plain"],
    })
    inline = '" t="inlineStr"><is><t'
    assert frame_rows(frame, 2) == [
        f'<row r="2"><c r="A2{inline}>P1</t></is></c><c r="B2{inline}>2024-05-06T00:00:00'
        f'</t></is></c><c r="C2{inline}>a&amp;b</t></is></c></row>',
        f'<row r="3"><c r="A3{inline}>P1</t></is></c><c r="C3{inline}>a&amp;b</t></is></c></row>',
        f'<row r="4"><c r="A4{inline} xml:space="preserve"> P2</t></is></c><c r="B4{inline}>'
        f'2024-05-06T07:08:09</t></is></c><c r="C4{inline}>plain</t></is></c></row>',
        '<row r="5"></row>',
        f'<row r="6"><c r="C6{inline}>plain</t></is></c></row>',
    ]
    assert frame_rows(frame.iloc[:0], 2) == [] and frame_rows(frame[[]], 2) == []


def test_timezone_dates_print_their_local_time() -> None:
    dates = pd.to_datetime(pd.Series(["2024-07-01 12:00", None])).dt.tz_localize("Europe/London")
    assert frame_rows(pd.DataFrame({"d": dates}), 1) == [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>2024-07-01T12:00:00</t></is></c></row>',
        '<row r="2"></row>']
