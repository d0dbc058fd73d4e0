"""No x_ column, row or value changes between the input and ``jdmtrack score``'s output.

The user's own columns are carried as text, exactly: leading zeros, a formula-looking
text, spaces at the edges, unicode, quotes and line breaks inside a cell, and a note
longer than the csv module's 131,072-character field limit.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.io.csvtext import lifted_field_limit
from jdmtrack.io.formula import original_text
from jdmtrack.pipeline import example_path, load_cohort

EXTRAS = [
    "007", "  spaced  ", "naïve – 血液 🧪", 'say "hi", twice', "line\nbreak",
    "0.10", "1e3", "TRUE", "n" * 200_000, "", "'quoted'", "0",
]
# Text a spreadsheet would run as a formula; kept apart because the CSV writer prefixes it
# (OWASP CSV injection, io/formula.py), which changes the bytes the user gave.
FORMULA_LIKE = ["=1+1", "-", "+44 20", "@home", "-3.5", "=HYPERLINK(\"x\")"]


def _cohort_with_extras(folder: Path, extras: list[str] = EXTRAS) -> list[str]:
    """The example cohort with visits columns x_note and x_code; the x_note values."""
    shutil.copytree(example_path(), folder)
    path = folder / "visits.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    notes = [extras[i % len(extras)] for i in range(len(rows) - 1)]
    rows[0] += ["x_note", "x_code"]
    for i, row in enumerate(rows[1:]):
        row += [notes[i], f"{i:04d}"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return notes


def _columns(text: str, names: list[str]) -> dict[str, list[str]]:
    with lifted_field_limit():
        rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    return {n: [r[header.index(n)] for r in rows[1:]] for n in names}


def test_extra_columns_reach_the_score_output_unchanged(tmp_path: Path) -> None:
    notes = _cohort_with_extras(tmp_path / "cohort")
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(main, ["score", str(tmp_path / "cohort"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = _columns(out.read_text(encoding="utf-8"), ["x_note", "x_code"])
    given = _columns((tmp_path / "cohort" / "visits.csv").read_text(encoding="utf-8"),
                     ["x_note", "x_code"])
    assert written == given
    assert written["x_note"] == notes
    assert written["x_code"][:3] == ["0000", "0001", "0002"]


def test_formula_like_extras_change_only_by_the_documented_csv_prefix(tmp_path: Path) -> None:
    """Issue 12 item 3 (io/formula.py, docs/output.md) writes text a spreadsheet would run
    with a leading quote in CSV output: the one change to an x_ value, and undone exactly by
    ``original_text``. Plain numbers such as -3.5 are left as they are."""
    _cohort_with_extras(tmp_path / "cohort", FORMULA_LIKE)
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(main, ["score", str(tmp_path / "cohort"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = _columns(out.read_text(encoding="utf-8"), ["x_note"])["x_note"]
    given = [FORMULA_LIKE[i % len(FORMULA_LIKE)] for i in range(len(written))]
    assert written == ["'" + g if g not in ("-3.5",) else g for g in given]
    assert [original_text(w) for w in written] == given


def test_the_library_carries_extra_columns_as_the_text_read(tmp_path: Path) -> None:
    notes = _cohort_with_extras(tmp_path / "cohort")
    visits = load_cohort(tmp_path / "cohort").visits
    assert [("" if v is None or v != v else v) for v in visits["x_note"]] == notes
    assert len(visits["x_note"].iloc[EXTRAS.index("n" * 200_000)]) == 200_000


def test_a_carriage_return_inside_a_note_survives_score(tmp_path: Path) -> None:
    _cohort_with_extras(tmp_path / "cohort", ["carriage\rreturn", "plain"])
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(main, ["score", str(tmp_path / "cohort"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # newline="": read the bytes' line endings as written (read_text would turn the
    # quoted carriage return into a line feed before the csv module sees it).
    with out.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert _columns(text, ["x_note"])["x_note"][:2] == [
        "carriage\rreturn", "plain"]
