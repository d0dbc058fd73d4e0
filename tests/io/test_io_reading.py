"""Reading valid cohorts: what the reader accepts beyond the exact documented form.

CSV cohorts are written into ``tmp_path`` from text; workbooks are built with openpyxl
with the cell types Excel would store (text, number, TRUE/FALSE, date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.errors import InputError
from jdmtrack.io import read_raw
from jdmtrack.pipeline import example_path, load_cohort
from jdmtrack.validate import validate_cohort

PATIENTS = ("patient_id,sex,jaki_start_date,followup_weeks\n"
            "007,F,2020-01-15,24\n010,M,2020-02-03,24\n")
VISITS = "patient_id,week,visit_date\n007,0,2020-01-15\n007,4,2020-02-12\n010,0,2020-02-03\n"


def _folder(tmp_path: Path, patients: str = PATIENTS, visits: str = VISITS,
            **other: str) -> Path:
    files = {"patients.csv": patients, "visits.csv": visits,
             **{f"{name}.csv": text for name, text in other.items()}}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


XLSX_PATIENTS: list[list[object]] = [
    ["patient_id", "sex", "jaki_start_date", "ild", "mas", "followup_weeks", "x_code"],
    ["007", "F", dt.datetime(2020, 1, 15), True, "No", 24, "007"],
    ["010", "M", dt.date(2020, 2, 3), False, None, 24, "a;b"],
]
XLSX_VISITS: list[list[object]] = [
    ["patient_id", "week", "visit_date", "rash"],
    ["007", 0, dt.datetime(2020, 1, 15), "YES"],
    ["010", 0, "2020-02-03", False],
]


# --- identifiers ---------------------------------------------------------------------------


def test_csv_ids_keep_leading_zeros(tmp_path: Path) -> None:
    cohort = load_cohort(_folder(tmp_path))
    assert cohort.patients["patient_id"].tolist() == ["007", "010"]
    assert cohort.visits["patient_id"].tolist() == ["007", "007", "010"]


def test_xlsx_text_cell_ids_keep_leading_zeros(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cohort.xlsx",
                     {"patients": XLSX_PATIENTS, "visits": XLSX_VISITS})
    cohort = load_cohort(path)
    assert cohort.patients["patient_id"].tolist() == ["007", "010"]
    assert cohort.visits["patient_id"].tolist() == ["007", "010"]


# --- dates ---------------------------------------------------------------------------------


def test_csv_iso_dates(tmp_path: Path) -> None:
    cohort = load_cohort(_folder(tmp_path))
    assert cohort.visits["visit_date"].tolist() == [
        pd.Timestamp("2020-01-15"), pd.Timestamp("2020-02-12"), pd.Timestamp("2020-02-03")]
    assert str(cohort.patients["jaki_start_date"].dtype) == "datetime64[ns]"


def test_xlsx_date_cells_and_iso_text(tmp_path: Path) -> None:
    """A datetime cell at midnight, a date cell and ISO text all read as the same kind."""
    path = _workbook(tmp_path / "cohort.xlsx",
                     {"patients": XLSX_PATIENTS, "visits": XLSX_VISITS})
    cohort = load_cohort(path)
    assert cohort.patients["jaki_start_date"].tolist() == [
        pd.Timestamp("2020-01-15"), pd.Timestamp("2020-02-03")]
    assert cohort.visits["visit_date"].tolist() == [
        pd.Timestamp("2020-01-15"), pd.Timestamp("2020-02-03")]


def test_xlsx_date_column_with_empty_cells(tmp_path: Path) -> None:
    visits = [XLSX_VISITS[0], ["007", 0, dt.datetime(2020, 1, 15), "yes"],
              ["010", 0, None, "no"]]
    cohort = load_cohort(_workbook(tmp_path / "cohort.xlsx",
                                   {"patients": XLSX_PATIENTS, "visits": visits}))
    assert cohort.visits["visit_date"].isna().tolist() == [False, True]


# --- yes/no and lists ----------------------------------------------------------------------


def test_csv_yes_no_in_any_letter_case(tmp_path: Path) -> None:
    patients = ("patient_id,ild,mas,calcinosis\n"
                "007,Yes,NO,yes\n010, no ,YES,\n")
    cohort = load_cohort(_folder(tmp_path, patients=patients))
    p = cohort.patients
    assert p["ild"].tolist() == [True, False]
    assert p["mas"].tolist() == [False, True]
    assert bool(p["calcinosis"].iloc[0]) is True
    assert pd.isna(p["calcinosis"].iloc[1])


def test_xlsx_true_false_cells_and_yes_no_text(tmp_path: Path) -> None:
    cohort = load_cohort(_workbook(tmp_path / "cohort.xlsx",
                                   {"patients": XLSX_PATIENTS, "visits": XLSX_VISITS}))
    assert cohort.patients["ild"].tolist() == [True, False]
    assert bool(cohort.patients["mas"].iloc[0]) is False
    assert pd.isna(cohort.patients["mas"].iloc[1])
    assert cohort.visits["rash"].tolist() == [True, False]


def test_lists_with_spaces_around_codes(tmp_path: Path) -> None:
    patients = ("patient_id,msa,baseline_agents\n"
                "007, nxp2 ,methotrexate ; ivig\n010,mda5;ro52,methotrexate;\n")
    cohort = load_cohort(_folder(tmp_path, patients=patients))
    assert cohort.patients["msa"].tolist() == [("nxp2",), ("mda5", "ro52")]
    assert cohort.patients["baseline_agents"].tolist() == [
        ("methotrexate", "ivig"), ("methotrexate",)]


# --- extras ----------------------------------------------------------------------------------


def test_csv_extra_columns_are_carried_through_untouched(tmp_path: Path) -> None:
    patients = ('patient_id,x_code,x_note,x_number\n'
                '007,007,a;b,1.50\n010,0010," spaced ",1e3\n')
    cohort = load_cohort(_folder(tmp_path, patients=patients))
    p = cohort.patients
    assert p["x_code"].tolist() == ["007", "0010"]
    assert p["x_note"].tolist() == ["a;b", " spaced "]
    assert p["x_number"].tolist() == ["1.50", "1e3"]


def test_xlsx_extra_text_columns_are_carried_through_untouched(tmp_path: Path) -> None:
    cohort = load_cohort(_workbook(tmp_path / "cohort.xlsx",
                                   {"patients": XLSX_PATIENTS, "visits": XLSX_VISITS}))
    assert cohort.patients["x_code"].tolist() == ["007", "a;b"]


# --- encoding and layout ---------------------------------------------------------------------


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "patients.csv").write_bytes(b"\xef\xbb\xbf" + PATIENTS.encode("utf-8"))
    (folder / "visits.csv").write_text(VISITS, encoding="utf-8-sig")
    cohort = load_cohort(folder)
    assert cohort.patients["patient_id"].tolist() == ["007", "010"]
    assert "patient_id" in cohort.visits.columns


def test_utf8_non_ascii_text_is_read(tmp_path: Path) -> None:
    patients = "patient_id,site\n007,Zürich\n010,São Paulo\n"
    cohort = load_cohort(_folder(tmp_path, patients=patients))
    assert cohort.patients["site"].tolist() == ["Zürich", "São Paulo"]


def test_crlf_line_endings(tmp_path: Path) -> None:
    cohort = load_cohort(_folder(tmp_path, visits=VISITS.replace("\n", "\r\n")))
    assert cohort.visits.index.tolist() == [2, 3, 4]


def test_blank_rows_are_skipped_and_keep_row_numbers(tmp_path: Path) -> None:
    visits = ("patient_id,week,visit_date\n"
              "007,0,2020-01-15\n"
              "\n"
              ",,\n"
              "007,4,2020-02-12\n"
              "  , ,\n"
              "010,0,2020-02-03\n")
    cohort = load_cohort(_folder(tmp_path, visits=visits))
    assert cohort.visits.index.tolist() == [2, 5, 7]
    bad = visits + "\n010,4,soon\n"
    with pytest.raises(InputError) as info:
        load_cohort(_folder(tmp_path, visits=bad))
    [problem] = info.value.problems
    assert (Path(problem.file).name, problem.row, problem.column) == ("visits.csv", 9, "visit_date")


def test_xlsx_blank_rows_keep_row_numbers(tmp_path: Path) -> None:
    visits = [XLSX_VISITS[0], XLSX_VISITS[1], [None, None], ["  "], XLSX_VISITS[2]]
    cohort = load_cohort(_workbook(tmp_path / "cohort.xlsx",
                                   {"patients": XLSX_PATIENTS, "visits": visits}))
    assert cohort.visits.index.tolist() == [2, 5]


def test_numbers_with_spaces_and_exponent(tmp_path: Path) -> None:
    visits = "patient_id,week,ck_u_l\n007,0, 420 \n007,4,1.2e3\n010,0,\n"
    cohort = load_cohort(_folder(tmp_path, visits=visits))
    assert cohort.visits["ck_u_l"].tolist()[:2] == [420.0, 1200.0]
    assert pd.isna(cohort.visits["ck_u_l"].iloc[2])


def test_a_bad_number_after_the_parsers_first_chunk(tmp_path: Path) -> None:
    """The CSV parser types a long file chunk by chunk: a column whose bad cell comes late
    reaches validation as numbers mixed with text. The cell is still reported at its row,
    the good cells are still numbers, and no parser warning reaches the user."""
    n_patients = 75_000  # 300,000 visits: well past the parser's first chunk
    patients = "patient_id,followup_weeks\n" + "".join(f"P{i},24\n" for i in range(n_patients))
    lines = [f"P{i},{week},{20 + i % 7}.5\n" for i in range(n_patients) for week in (0, 4, 12, 24)]
    lines[-1] = f'P{n_patients - 1},24,"1,5"\n'
    raw = read_raw(_folder(tmp_path, patients=patients,
                           visits="patient_id,week,weight_kg\n" + "".join(lines)))
    with pytest.raises(InputError) as caught:
        validate_cohort(raw)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (len(lines) + 1, "weight_kg", "1,5")
    assert "decimal point" in problem.expected
    assert raw.tables["visits"].frame["weight_kg"].iloc[0] == 20.5


def test_decimal_numbers_are_read_exactly(tmp_path: Path) -> None:
    """Every number is the double nearest its decimal text, as Python's float() gives it:
    nothing is changed in the last digit by a fast parser (pandas >= 3 parses exactly)."""
    texts = ["0.1", "2.675", "1.0000000000000002", "9007199254740993", "4.35", "0.3",
             "123456.789", "1e-7", "5e-324", "1.7976931348623157e308", "70.30000000000001",
             "12.345678901234567"]
    visits = "patient_id,week,ck_u_l\n" + "".join(f"007,{i},{t}\n" for i, t in enumerate(texts))
    raw = read_raw(_folder(tmp_path, visits=visits))
    assert raw.tables["visits"].frame["ck_u_l"].tolist() == [float(t) for t in texts]


def test_validation_leaves_the_raw_tables_as_read(tmp_path: Path) -> None:
    """A rejected cell is not blanked in the raw table (pandas may hand back a view)."""
    raw = read_raw(_folder(tmp_path, patients=PATIENTS.replace("010,", "010 ,")))
    with pytest.raises(InputError):
        validate_cohort(raw)
    assert raw.tables["patients"].frame["patient_id"].tolist() == ["007", "010 "]


# --- the bundled example ---------------------------------------------------------------------


def test_example_cohort_loads() -> None:
    cohort = load_cohort(example_path())
    assert (len(cohort.patients), len(cohort.visits), len(cohort.events),
            len(cohort.adverse_events)) == (4, 15, 4, 3)
    assert cohort.patients["x_note"].eq("synthetic example patient").all()


def test_example_cohort_validates_on_the_command_line() -> None:
    result = CliRunner().invoke(main, ["validate", str(example_path())])
    assert result.exit_code == 0, result.output
    assert "valid. 4 patients, 15 visits" in result.output
