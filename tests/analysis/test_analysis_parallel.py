"""The by-group and per-site sections computed in a second process give the same results.

``analysis.PARALLEL_FROM_PATIENTS`` is lowered so that a small synthetic cohort (100
patients in two sites) takes the two-process path; the same analysis in one process
(``JDMTRACK_PARALLEL=0``) must give the same dict, key order included.
"""

from __future__ import annotations

import json
import os

import pytest

import jdmtrack
import jdmtrack.analysis as analysis
from jdmtrack.analysis import load_settings
from jdmtrack.demo import generate_synthetic
from jdmtrack.parallel import ENVIRONMENT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.mark.parametrize("by", [None, "site"])
def test_two_processes_give_the_one_process_results(tmp_path, monkeypatch, by):
    generate_synthetic(100, 5, tmp_path)  # 100 patients: 2 sites
    scored = jdmtrack.score(tmp_path)
    settings = load_settings(None, resamples=1000, by=by, measures=("cmas_total", "das_skin"))
    monkeypatch.setattr(analysis, "PARALLEL_FROM_PATIENTS", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    runs = {}
    for value in ("1", "0"):
        monkeypatch.setenv(ENVIRONMENT, value)
        data = jdmtrack.analyze(scored, settings=settings).to_dict()
        data.pop("generated")
        runs[value] = json.dumps(data)  # the text: same values and the same key order
    assert runs["1"] == runs["0"]
    parsed = json.loads(runs["1"])
    assert parsed["sites"] is not None and ("by" in parsed) == (by is not None)
    assert "site" in " ".join(parsed["methods"]).lower()  # the methods text saw the sites
