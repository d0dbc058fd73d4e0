"""The demo cohorts and the generator's output pass jdmtrack's own validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from jdmtrack import demo
from jdmtrack.io import read_raw
from jdmtrack.validate import validate_cohort


@pytest.mark.parametrize("name", demo.available())
def test_bundled_demo_cohort_validates_without_warnings(name):
    cohort = validate_cohort(read_raw(Path(str(demo.path(name)))))
    assert cohort.warnings == []
    sizes = {"baricitinib": (20, 80, 26), "tofacitinib-ruxolitinib": (25, 124, 0)}[name]
    assert (len(cohort.patients), len(cohort.visits), len(cohort.adverse_events)) == sizes


def test_written_demo_cohort_validates(tmp_path):
    folder = demo.write("baricitinib", tmp_path / "b")
    assert len(validate_cohort(read_raw(folder)).patients) == 20


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_cohort_validates(seed, tmp_path):
    folder = demo.generate_synthetic(400, seed=seed, out_dir=tmp_path)
    cohort = validate_cohort(read_raw(folder))
    assert len(cohort.patients) == 400 and len(cohort.visits) > 1200
