"""Each --by group's column is the whole-cohort summary of that group's rows alone.

summarise_by cuts the tables once (the week-0 visits for the baseline, a consolidated
copy of the visits used, per-patient event times) instead of handing every group its full
tables; these tests hold it to the straightforward computation: each summary called on the
group's own patients, recorded visits, visits used and events.
"""

from __future__ import annotations

import pytest

from jdmtrack.analysis import AnalysisSettings
from jdmtrack.analysis.baseline import summarise_baseline
from jdmtrack.analysis.classified import summarise_criteria, summarise_response
from jdmtrack.analysis.followup import summarise_time_to_event
from jdmtrack.analysis.groups import group_labels, summarise_by
from jdmtrack.demo import generate_synthetic
from jdmtrack.pipeline import load_cohort, score_cohort


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A synthetic cohort of 120 patients (seed 5), several sites."""
    folder = tmp_path_factory.mktemp("split")
    generate_synthetic(120, 5, folder)
    scored = score_cohort(load_cohort(folder))
    settings = AnalysisSettings()
    at_weeks, _ = settings.windows.assign(scored.visits)
    return scored.patients, scored.visits, scored.events, at_weeks, settings


@pytest.mark.parametrize("name", ["site", "jaki_drug", "sex"])
def test_every_group_is_its_own_rows_summarised(cohort, name):
    patients, visits, events, at_weeks, settings = cohort
    by = summarise_by(patients, visits, events, settings, name, at_weeks)
    levels, labels, _ = group_labels(patients, name)
    assert len(levels) >= 2
    for lv in levels:
        ids = patients.loc[[v == lv for v in labels], "patient_id"]
        own = patients[patients["patient_id"].isin(ids)]
        vis = visits[visits["patient_id"].isin(ids)]
        used = at_weeks[at_weeks["patient_id"].isin(ids)]
        evs = events[events["patient_id"].isin(ids)]
        baseline = summarise_baseline(own, vis, settings)
        assert {v: e["groups"][lv] for v, e in by["baseline"].items()
                if e["groups"][lv] is not None} == baseline
        criteria = summarise_criteria(used, settings)
        for criterion, weeks in by["criteria"].items():
            for key, entry in weeks.items():
                assert entry["groups"][lv] == criteria.get(criterion, {}).get(key)
        response = summarise_response(used, settings)
        assert {k: e["groups"][lv] for k, e in by["response"].items()} == response
        tte = summarise_time_to_event(own, vis, evs, settings)
        assert {e: t["groups"][lv] for e, t in by["time_to_event"].items()
                if t["groups"][lv] is not None} == tte
