"""generate_synthetic: deterministic for a seed, in cohort format v1, realistic in shape."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from jdmtrack.demo import generate_synthetic
from jdmtrack.errors import SettingsError
from jdmtrack.fields import fields_of

TABLES = ("patients", "visits", "events", "adverse_events")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = generate_synthetic(300, seed=11, out_dir=tmp_path_factory.mktemp("syn"))
    return folder, {name: pd.read_csv(folder / f"{name}.csv", dtype=str,
                                      keep_default_na=False, na_values=[""])
                    for name in TABLES}


def test_same_seed_same_bytes_other_seed_other_cohort(tmp_path):
    a = generate_synthetic(120, seed=3, out_dir=tmp_path / "a")
    b = generate_synthetic(120, seed=3, out_dir=tmp_path / "b")
    c = generate_synthetic(120, seed=4, out_dir=tmp_path / "c")
    for name in (*TABLES, "README"):
        filename = f"{name}.csv" if name != "README" else "README.txt"
        assert (a / filename).read_bytes() == (b / filename).read_bytes(), filename
    assert (a / "visits.csv").read_bytes() != (c / "visits.csv").read_bytes()


def test_every_patient_and_site_is_marked_synthetic(cohort):
    folder, t = cohort
    assert t["patients"]["site"].str.startswith("SYNTHETIC-").all()
    assert t["patients"]["patient_id"].is_unique
    assert (folder / "README.txt").read_text(encoding="utf-8").startswith("SYNTHETIC COHORT")


def test_values_keep_to_the_field_dictionary(cohort):
    """Column names, choices and ranges as jdmtrack.fields declares them (checked here
    independently of jdmtrack.validate)."""
    _, t = cohort
    for table, frame in t.items():
        specs = {f.name: f for f in fields_of(table)}
        assert set(frame.columns) <= set(specs), table
        for name in frame.columns:
            spec, cells = specs[name], frame[name].dropna()
            if spec.kind in ("integer", "number"):
                values = pd.to_numeric(cells).to_numpy()
                if spec.kind == "integer":
                    assert (values == np.round(values)).all(), name
                if spec.minimum is not None:
                    assert (values > spec.minimum if spec.minimum_exclusive
                            else values >= spec.minimum).all(), name
                if spec.maximum is not None:
                    assert (values <= spec.maximum).all(), name
            elif spec.kind == "bool":
                assert set(cells) <= {"yes", "no"}, name
            elif spec.kind == "choice":
                assert set(cells) <= set(spec.choices), name
            elif spec.kind == "list":
                codes = {c for cell in cells for c in cell.split(";")}
                assert codes <= set(spec.choices), name
        for spec in specs.values():
            if spec.required:
                assert spec.name in frame.columns and frame[spec.name].notna().all()


def test_cohort_is_realistic(cohort):
    _, t = cohort
    p, v = t["patients"], t["visits"]
    week = pd.to_numeric(v["week"])
    assert set(v.loc[week == 0, "patient_id"]) == set(p["patient_id"])
    per_patient = v.groupby("patient_id").size()
    assert per_patient.min() >= 1 and per_patient.max() >= 5  # missed and extra visits
    assert not v.duplicated(["patient_id", "week"]).any()
    end = pd.to_numeric(p.set_index("patient_id")["followup_weeks"])
    assert (week.to_numpy() <= end.reindex(v["patient_id"]).to_numpy()).all()
    items = v[[f"cmas_{i:02d}" for i in range(1, 15)]]
    assert items.notna().all(axis=1).mean() > 0.7 and v["cmas_total"].notna().any()
    assert set(t["events"]["event"]) >= {"rash_improvement", "rash_resolution",
                                         "cs_discontinuation", "jaki_discontinuation"}
    assert len(t["adverse_events"]) > 0
    das = pd.to_numeric(v["das_skin"])
    assert das[week == 24].mean() < das[week == 0].mean()  # activity falls on treatment


def test_two_thousand_patients_in_a_few_seconds(tmp_path):
    start = time.perf_counter()
    generate_synthetic(2000, seed=5, out_dir=tmp_path)
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize(("n", "seed"), [(0, 1), (-3, 1), (2.5, 1), (True, 1), (5, -1)])
def test_bad_arguments(n, seed, tmp_path):
    with pytest.raises(SettingsError):
        generate_synthetic(n, seed, tmp_path)
