"""Vectorised output writes what the per-cell formatter wrote (tests/output/output_oracle.py).

The score CSV of both bundled demos is compared byte for byte with the oracle's; random
frames (hypothesis) of every column kind the cohort format has are compared the same way,
on text that no spreadsheet would run as a formula (that rule is tested in
test_output_formula.py). The workbook holds the same values (numbers at full precision).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from output_oracle import old_csv_text, old_format_for_output

from jdmtrack.cli import main
from jdmtrack.cli.commands_data import _derived_bools
from jdmtrack.demo import path as demo_path
from jdmtrack.io.formula import FORMULA_STARTS
from jdmtrack.io.write import write_table
from jdmtrack.pipeline import load_cohort, score_cohort

DEMOS = ["baricitinib", "tofacitinib-ruxolitinib"]


def _score(name: str, out: Path) -> pd.DataFrame:
    """Run ``jdmtrack score`` on demo ``name`` into ``out``; the scored visits."""
    result = CliRunner().invoke(main, ["score", str(demo_path(name)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return score_cohort(load_cohort(demo_path(name))).visits


@pytest.mark.parametrize("name", DEMOS)
def test_score_csv_of_the_demos_is_what_the_old_formatter_wrote(name: str, tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    visits = _score(name, out)
    expected = old_csv_text(visits, _derived_bools(visits))
    assert out.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("name", DEMOS)
def test_score_xlsx_of_the_demos_holds_the_csv_values(name: str, tmp_path: Path) -> None:
    out = tmp_path / "scored.xlsx"
    visits = _score(name, out)
    expected = old_format_for_output(visits, _derived_bools(visits))
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(expected.columns)
    assert len(rows) == len(expected) + 1
    for j, name_ in enumerate(expected.columns):
        column = expected[name_]
        got = [row[j] for row in rows[1:]]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            # text (object or pandas' str dtype): empty text is no cell
            assert [v if v is not None else "" for v in got] == column.tolist(), name_
        else:  # numbers as numbers, at full precision
            want = [None if pd.isna(v) else v for v in column.tolist()]
            assert got == want, name_


# Text with no formula start (nor quote): the formula rule leaves it alone.
_TEXT = st.text(alphabet=st.characters(codec="utf-8",
                                       exclude_characters="".join(FORMULA_STARTS) + "'"),
                max_size=6)


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 6))
    floats = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64),
                       st.integers(-10**6, 10**6).map(float))
    columns = {
        "patient_id": draw(st.lists(_TEXT, min_size=n, max_size=n)),
        "x_note": draw(st.lists(st.one_of(st.none(), _TEXT), min_size=n, max_size=n)),
        "score": pd.array(draw(st.lists(floats, min_size=n, max_size=n)), dtype="Float64")
        .astype("float64"),
        "flag": pd.array(draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n,
                                       max_size=n)), dtype="boolean"),
        "when": pd.to_datetime(draw(st.lists(st.one_of(st.none(), st.dates()), min_size=n,
                                             max_size=n))),
        "codes": draw(st.lists(st.one_of(st.none(), st.tuples(_TEXT, _TEXT)), min_size=n,
                               max_size=n)),
    }
    frame = pd.DataFrame(columns)
    frame["codes"] = frame["codes"].astype(object)
    frame["x_note"] = frame["x_note"].astype(object)
    return frame


@settings(max_examples=80, deadline=None, derandomize=True)
@given(frame=_frames())
def test_random_frames_write_the_same_csv(frame: pd.DataFrame) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = write_table(frame, Path(folder) / "t.csv", derived_bools={"flag"})
        assert path.read_text(encoding="utf-8") == old_csv_text(frame, {"flag"})

