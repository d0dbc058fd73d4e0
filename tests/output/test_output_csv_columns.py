"""The column-at-a-time CSV writer gives pandas' ``to_csv`` bytes exactly (issue 16).

The reference is pandas itself (``to_csv(index=False, lineterminator="\\n")``, which hands
numpy's text of each number to Python's csv module): every frame below is written both
ways and compared byte for byte.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.io.csv_columns import csv_lines
from jdmtrack.io.write import csv_frame, write_csv


def _pandas(frame: pd.DataFrame, quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    frame.to_csv(out, index=False, lineterminator="\n", quoting=quoting)
    return out.getvalue()


def _mine(frame: pd.DataFrame) -> str:
    lines = csv_lines(frame)
    assert lines is not None
    return "".join(lines)


# Floats where numpy's and Python's shortest text could part: the switch to exponent
# form (1e16, 1e-4 / 1e-5), subnormals, the largest double, signed zeros, non-finite.
EDGE_FLOATS = [0.0, -0.0, 0.1, -0.1, 1e15, 1e16, 9999999999999998.0, 1e-4, 1e-5, 0.0001234,
               5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.5e300, 1 / 3,
               2.0**53, 2.0**53 + 2, 123456789.125, float("inf"), float("-inf"), np.nan]
TEXTS = ["", "plain", "a,b", 'say "hi"', "two\nlines", '"', ",", "ünïcødé ✓", " lead", "tail ",
         "'quoted'", "\x00nul"]


def test_edge_values_of_every_kind_written_as_pandas_writes_them() -> None:
    n = len(EDGE_FLOATS)
    frame = pd.DataFrame({
        "x": EDGE_FLOATS,
        "neg_zero_first": [-0.0, 0.0] * (n // 2) + [0.0] * (n % 2),
        "i": np.arange(n, dtype=np.int64) * -7919,
        "u": np.arange(n, dtype=np.uint64) * np.uint64(2**60),
        "n": pd.array([None if k % 3 == 0 else k - 5 for k in range(n)], dtype="Int64"),
        "t": (TEXTS * 2)[:n],
        "s": pd.array((TEXTS * 2)[:n], dtype="string"),
        "a,b": ["x"] * n,  # a header that needs quotes
    })
    assert _mine(frame) == _pandas(frame)
    assert _mine(frame.iloc[:0]) == _pandas(frame.iloc[:0])  # header only


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.floats(allow_nan=True, allow_infinity=True),
                          st.one_of(st.none(), st.integers(-2**62, 2**62)),
                          st.text(alphabet='a,"\n é0-=', max_size=5)),
                max_size=30))
def test_any_frame_of_numbers_and_text_matches_pandas(rows: list[tuple[float, int | None,
                                                                         str]]) -> None:
    frame = pd.DataFrame({
        "f": pd.Series([r[0] for r in rows], dtype="float64"),
        "n": pd.array([r[1] for r in rows], dtype="Int64"),
        "t": pd.Series([r[2] for r in rows], dtype=object),
    })
    assert _mine(frame) == _pandas(frame)


def test_kinds_it_does_not_write_are_left_to_pandas() -> None:
    two = {"id": ["a", "b"]}
    for other in ([True, False], pd.to_datetime(["2024-01-01", None]),
                  np.array([1.5, 2.5], dtype=np.float32), pd.Categorical(["x", "y"]),
                  ["x", None], ["car\rriage", "x"]):
        assert csv_lines(pd.DataFrame(two | {"other": other})) is None
    assert csv_lines(pd.DataFrame(two)) is None  # one column: pandas writes "" for empty


def test_write_csv_bytes_as_before_with_and_without_a_carriage_return(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["=x", "b,c", None], "x": [0.5, np.nan, -0.0],
                          "n": pd.array([1, None, 3], dtype="Int64")})
    written = write_csv(frame, tmp_path / "a.csv").read_bytes()
    assert written == _pandas(csv_frame(frame)).encode()
    assert written == b"""id,x,n\n'=x,0.5,1\n"b,c",,\n,-0.0,3\n"""
    frame.loc[2, "id"] = "car\rriage"  # every text cell quoted (csv.QUOTE_NONNUMERIC)
    written = write_csv(frame, tmp_path / "b.csv").read_bytes()
    assert written == _pandas(csv_frame(frame), csv.QUOTE_NONNUMERIC).encode()
