"""template -> filled in through openpyxl -> validate passes -> score gives the expected totals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from jdmtrack.cli import main
from jdmtrack.fields import TABLES, fields_of


def fill(sheet, rows: list[dict[str, object]]) -> None:
    header = [c.value for c in sheet[1]]
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=r, column=header.index(name) + 1, value=value)


def test_template_round_trip(tmp_path):
    runner = CliRunner()
    book_path = tmp_path / "cohort.xlsx"
    result = runner.invoke(main, ["template", "-o", str(book_path)])
    assert result.exit_code == 0, result.output

    book = load_workbook(book_path)
    assert book.sheetnames == [t.name for t in TABLES] + ["dictionary"]
    for t in TABLES:
        assert [c.value for c in book[t.name][1]] == [f.name for f in fields_of(t.name)]
    assert book["patients"].data_validations.dataValidation, "drop-downs and range checks"

    fill(book["patients"], [
        {"patient_id": "007", "sex": "F", "birth_date": dt.datetime(2012, 5, 1),
         "jaki_start_date": dt.datetime(2020, 1, 6), "jaki_drug": "baricitinib",
         "ild": "no", "msa": "nxp2", "baseline_agents": "methotrexate; ivig"},
    ])
    cmas_week0 = {f"cmas_{i:02d}": v for i, v in
                  enumerate([4, 1, 4, 2, 5, 2, 2, 3, 2, 3, 3, 3, 3, 3], start=1)}   # = 40
    mmt8_week0 = dict.fromkeys([f.name for f in fields_of("visits")
                                if f.group == "mmt8" and f.name != "mmt8_total"], 9)  # = 72
    fill(book["visits"], [
        {"patient_id": "007", "week": 0, "weight_kg": 30, "cs_mg_day": 15, "rash": "yes",
         **cmas_week0, **mmt8_week0, "das_skin": 6, "das_muscle": 3},
        {"patient_id": "007", "week": 4, "weight_kg": 30.5, "cmas_total": 46, "mmt8_total": 78,
         "das_skin": 2, "das_muscle": 1, "rash": "no"},
    ])
    book.save(book_path)

    result = runner.invoke(main, ["validate", str(book_path)])
    assert result.exit_code == 0, result.output
    assert "1 patients, 2 visits" in result.output

    out = tmp_path / "scored.csv"
    result = runner.invoke(main, ["score", str(book_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, dtype={"patient_id": str})
    assert scored["patient_id"].tolist() == ["007", "007"]
    assert scored["cmas_total"].tolist() == [40, 46]
    assert scored["mmt8_total"].tolist() == [72, 78]
    assert scored["das_total"].tolist() == [9, 3]
    assert scored["cs_mg_kg_day"].iloc[0] == 0.5        # 15 mg / 30 kg
