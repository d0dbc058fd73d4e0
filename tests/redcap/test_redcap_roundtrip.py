"""cohort -> REDCap records (export_records) -> import -> the same cohort.

Both sides are compared as ``load_cohort`` types them: same columns holding a value, same
values, same dtypes; row order aside. Two conventions are part of the contract and are
normalised here: a column with no value at all is not written, and list codes come back
in the field dictionary's order.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from jdmtrack.cohort import Cohort
from jdmtrack.errors import DataWarning
from jdmtrack.fields import TABLES, fields_of
from jdmtrack.pipeline import example_path, load_cohort
from jdmtrack.redcap import (
    data_dictionary_csv,
    export_records,
    extra_columns,
    parse_dictionary,
    records_to_cohort,
    write_cohort,
)

_KEYS = ("patient_id", "week", "event", "term")


def _normal(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.loc[:, [c for c in frame.columns if frame[c].notna().any()]].copy()
    for f in fields_of(table):
        if f.kind == "list" and f.name in frame.columns:
            frame[f.name] = frame[f.name].map(
                lambda v, f=f: v if v is None else tuple(c for c in f.choices if c in v))
    keys = [k for k in _KEYS if k in frame.columns]
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return frame[sorted(frame.columns)]


def assert_same_cohort(left: Cohort, right: Cohort) -> None:
    for t in TABLES:
        pd.testing.assert_frame_equal(_normal(left.table(t.name), t.name),
                                      _normal(right.table(t.name), t.name), check_exact=True)


def round_trip(cohort: Cohort, tmp_path: Path, *,
               with_dictionary: bool) -> tuple[Cohort, list[DataWarning]]:
    text = export_records(cohort)
    dictionary = (parse_dictionary(data_dictionary_csv(extra_columns(cohort)))
                  if with_dictionary else None)
    result = records_to_cohort(text, dictionary=dictionary)
    write_cohort(result, tmp_path / "back")
    return load_cohort(tmp_path / "back"), result.warnings


def test_example_cohort_round_trip_with_the_project_dictionary(tmp_path: Path) -> None:
    original = load_cohort(example_path())
    back, warnings = round_trip(original, tmp_path, with_dictionary=True)
    assert_same_cohort(original, back)
    assert warnings == []
    assert "x_note" in back.patients.columns


def test_example_cohort_round_trip_without_a_dictionary_drops_user_columns(tmp_path: Path) -> None:
    original = load_cohort(example_path())
    back, warnings = round_trip(original, tmp_path, with_dictionary=False)
    assert "x_note" not in back.patients.columns
    original.patients = original.patients.drop(columns=["x_note"])
    assert_same_cohort(original, back)
    assert [w.code for w in warnings] == ["redcap_unknown_column"]


EDGE_PATIENTS = '''\
patient_id,site,sex,birth_date,jaki_start_date,msa,baseline_agents,ild,jaki_drug,followup_weeks,age_start_years,x_note
007,Hospital A,F,2012-05-01,2021-03-01,mda5;tif1g,,yes,tofacitinib,,8.25,"comma, ""quoted"" text"
0010,Hospital B,M,,2021-04-01,negative,ivig;methotrexate,no,baricitinib,30,,
'''
EDGE_VISITS = '''\
patient_id,week,visit_date,phga_cm,cmas_01,cmas_01_seconds,creatinine_umol_l,rash,x_visit_note
007,0,2021-03-01,3.5,4,,0.00001,yes,
007,2.5,,2,,,,,"two
lines"
007,4,,,,,,,
007,36,,1,,,,no,
0010,4,,2,,12,,,
0010,12,,0,0,,,,
'''
EDGE_EVENTS = '''\
patient_id,event,week
0010,relapse,20.5
007,rash_resolution,3
'''
EDGE_AES = '''\
patient_id,week,term,category,ctcae_grade,serious
007,1.25,"Rash, ""itchy""",other,1,no
007,0,Headache,,,
'''


def test_edge_cases_round_trip(tmp_path: Path) -> None:
    """Leading zeros, fractional and unscheduled weeks, a visit holding nothing but its week,
    codes out of dictionary order, tiny numbers, quotes, commas and line breaks in text."""
    folder = tmp_path / "edge"
    folder.mkdir()
    for name, text in (("patients", EDGE_PATIENTS), ("visits", EDGE_VISITS),
                       ("events", EDGE_EVENTS), ("adverse_events", EDGE_AES)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    original = load_cohort(folder)
    back, warnings = round_trip(original, tmp_path, with_dictionary=True)
    assert_same_cohort(original, back)
    assert warnings == []
    assert back.patients["patient_id"].tolist() == ["007", "0010"]
    assert back.patients.set_index("patient_id").at["007", "msa"] == ("tif1g", "mda5")


def test_export_layout_puts_other_weeks_in_unscheduled_instances() -> None:
    original = load_cohort(example_path())
    lines = export_records(original, weeks=(0, 4)).splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    syn1 = [(r["redcap_event_name"], r["redcap_repeat_instance"], r["visit_week"])
            for r in rows if r["record_id"] == "SYN-001"]
    assert syn1[:4] == [("baseline_arm_1", "", ""), ("week_4_arm_1", "", ""),
                        ("unscheduled_visit_arm_1", "1", "12"),
                        ("unscheduled_visit_arm_1", "2", "24")]


def _demo_cohorts() -> list[Path]:
    """Each bundled demo cohort: the folders under jdmtrack/data/demo, and whatever
    ``jdmtrack.demo.available()`` lists when that module offers a path for each."""
    root = Path(str(resources.files("jdmtrack") / "data" / "demo"))
    paths = sorted(p for p in root.glob("*") if (p / "patients.csv").is_file())
    try:
        demo = importlib.import_module("jdmtrack.demo")
    except ImportError:
        return paths
    available = getattr(demo, "available", None)
    locate = getattr(demo, "path", None) or getattr(demo, "demo_path", None)
    if callable(available) and callable(locate):
        for name in available():
            path = Path(locate(name))
            if path not in paths:
                paths.append(path)
    return paths


@pytest.mark.parametrize("path", _demo_cohorts(), ids=lambda p: p.name)
def test_demo_cohorts_round_trip(path: Path, tmp_path: Path) -> None:
    original = load_cohort(path)
    back, warnings = round_trip(original, tmp_path, with_dictionary=True)
    assert_same_cohort(original, back)
    assert warnings == []
