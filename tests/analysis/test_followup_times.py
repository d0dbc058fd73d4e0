"""Time to event from the per-patient arrays (analysis.event_times), against hand counts.

The cohort below is small enough to work every patient out by hand (baseline week 0):

====  =====  ========  ===========================  ================================
id    site   followup  week-0 visit                 events (week)
====  =====  ========  ===========================  ================================
P1    A      24        rash yes, DAS 3, CS 1.0      rash_improvement 8, cs_disc. 20
P2    A      -         rash no, DAS 0, CS 0.5       cs_discontinuation 10, relapse 18
P3    A      -         (no visit)                   -
P4    B      12        rash yes, DAS 2, CS 0        rash_improvement 4, relapse 6
P5    B      30        rash -, DAS -, CS -          rash_improvement 20
P6    C      20        rash no, DAS 0, CS 0         cs_discontinuation 3
====  =====  ========  ===========================  ================================

Later visits: P1 weeks 4 and 12 meet the rash improvement criterion, P2 weeks 8 (not met)
and 16, P4 week 4 (met: the same week as its event), P5 week 12 (met). End of follow-up:
the followup_weeks given, else the last visit or event: P2 18 (relapse after the week-16
visit); P3 has none (no follow-up time: left out of every estimate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jdmtrack.analysis import AnalysisSettings
from jdmtrack.analysis.event_times import event_times
from jdmtrack.analysis.followup import summarise_time_to_event, time_to_event
from jdmtrack.analysis.groups import _logrank

NA = pd.NA
SETTINGS = AnalysisSettings()


def _cohort() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    patients = pd.DataFrame({
        "patient_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "site": ["A", "A", "A", "B", "B", "C"],
        "followup_weeks": [24.0, np.nan, np.nan, 12.0, 30.0, 20.0]})
    rows = [  # patient, week, rash, das_skin, cs_mg_kg_day, rash_improved
        ("P1", 0.0, True, 3.0, 1.0, NA), ("P1", 4.0, NA, np.nan, np.nan, True),
        ("P1", 12.0, NA, np.nan, np.nan, True),
        ("P2", 0.0, False, 0.0, 0.5, NA), ("P2", 8.0, NA, np.nan, np.nan, False),
        ("P2", 16.0, NA, np.nan, np.nan, NA),
        ("P4", 0.0, True, 2.0, 0.0, NA), ("P4", 4.0, NA, np.nan, np.nan, True),
        ("P5", 0.0, NA, np.nan, np.nan, NA), ("P5", 12.0, NA, np.nan, np.nan, True),
        ("P6", 0.0, False, 0.0, 0.0, NA)]
    visits = pd.DataFrame(rows, columns=["patient_id", "week", "rash", "das_skin",
                                         "cs_mg_kg_day", "rash_improved"])
    visits = visits.astype({"rash": "boolean", "rash_improved": "boolean"})
    events = pd.DataFrame(
        [("P1", "rash_improvement", 8.0), ("P1", "cs_discontinuation", 20.0),
         ("P2", "cs_discontinuation", 10.0), ("P2", "relapse", 18.0),
         ("P4", "rash_improvement", 4.0), ("P4", "relapse", 6.0),
         ("P5", "rash_improvement", 20.0), ("P6", "cs_discontinuation", 3.0)],
        columns=["patient_id", "event", "week"])
    return patients, visits, events


def _counts(entry: dict) -> tuple:
    curve = entry["curve"]
    return entry["n"], entry["events"], curve["time"], curve["n_event"], curve["n_censor"]


def test_whole_cohort_by_hand():
    """rash_improvement: at risk P1, P4 (rash at week 0); P1 first met at the week-4 visit
    (before its event at 8: from visits), P4 at week 4 (its event and a visit meeting the
    criterion the same week: counted from the events table): times 4, 4.
    cs_discontinuation: at risk P1, P2 (dose > 0): events at 20 and 10. relapse: everyone
    but P3 (no follow-up): P2 18 and P4 6 events, P1 24, P5 30, P6 20 censored. No other
    event is recorded, so none is estimated."""
    tte = summarise_time_to_event(*_cohort(), SETTINGS)
    assert list(tte) == ["rash_improvement", "cs_discontinuation", "relapse"]
    rash = tte["rash_improvement"]
    assert _counts(rash) == (2, 2, [4.0], [2], [0])
    assert (rash["events_from_visits"], rash["events_from_events_table"]) == (1, 1)
    assert rash["population"] == "patients with rash at week 0"
    assert _counts(tte["cs_discontinuation"]) == (2, 2, [10.0, 20.0], [1, 1], [0, 0])
    assert tte["cs_discontinuation"]["population"] == "patients on corticosteroids at week 0"
    assert _counts(tte["relapse"]) == (5, 2, [6.0, 18.0, 20.0, 24.0, 30.0],
                                       [1, 1, 0, 0, 0], [0, 0, 1, 1, 1])
    assert tte["relapse"]["population"] == "all patients"


def test_groups_by_hand_and_as_their_own_rows():
    """Site A: rash P1 (4); CS P1, P2; relapse P1 censored 24, P2 event 18, P3 without
    follow-up left out. Site B: no CS discontinuation recorded there (absent); rash P4 (4).
    Site C: P6's CS discontinuation is recorded but P6 had no steroid at week 0, so nobody
    is at risk (not run, with the reason). Each group equals the summary of its own rows."""
    patients, visits, events = _cohort()
    times = event_times(patients, visits, events, SETTINGS.baseline_week)
    site = patients.set_index("patient_id")["site"].reindex(times.ids).to_numpy(dtype=object)
    groups = {lv: time_to_event(times, site == lv) for lv in ("A", "B", "C")}
    assert _counts(groups["A"]["rash_improvement"]) == (1, 1, [4.0], [1], [0])
    assert _counts(groups["A"]["cs_discontinuation"]) == (2, 2, [10.0, 20.0], [1, 1], [0, 0])
    assert _counts(groups["A"]["relapse"]) == (2, 1, [18.0, 24.0], [1, 0], [0, 1])
    assert list(groups["B"]) == ["rash_improvement", "relapse"]
    assert _counts(groups["B"]["rash_improvement"]) == (1, 1, [4.0], [1], [0])
    assert groups["B"]["rash_improvement"]["events_from_events_table"] == 1
    assert list(groups["C"]) == ["cs_discontinuation"]
    assert groups["C"]["cs_discontinuation"]["n"] == 0
    assert groups["C"]["cs_discontinuation"]["not_run"] == {
        "reason": "no patient at risk (patients on corticosteroids at week 0) has a "
                  "follow-up time"}
    for lv, result in groups.items():
        ids = patients.loc[patients["site"] == lv, "patient_id"]
        alone = summarise_time_to_event(patients[patients["patient_id"].isin(ids)],
                                        visits[visits["patient_id"].isin(ids)],
                                        events[events["patient_id"].isin(ids)], SETTINGS)
        assert result == alone


def _by_patient(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                event: str) -> tuple[str, list[tuple[str, float, bool]], int]:
    """The straightforward computation: each patient in turn, by the written rules (and how
    many rash improvements were first seen at a visit, strictly before any recorded one)."""
    first = visits[visits["week"] == 0.0].drop_duplicates("patient_id").set_index("patient_id")
    risk, population = sorted(patients["patient_id"]), "all patients"
    if event.startswith("rash") and (first["rash"].notna() | first["das_skin"].notna()).any():
        population = "patients with rash at week 0"
        risk = sorted(p for p, row in first.iterrows()
                      if row["rash"] is True or row["das_skin"] > 0)
    if event == "cs_discontinuation" and first["cs_mg_kg_day"].notna().any():
        population = "patients on corticosteroids at week 0"
        risk = sorted(p for p, row in first.iterrows() if row["cs_mg_kg_day"] > 0)
    rows, from_visits = [], 0
    for p in risk:
        own = events[(events["patient_id"] == p) & (events["event"] == event)]
        logged = own["week"].min() if len(own) else None
        if event == "rash_improvement":
            met = visits[(visits["patient_id"] == p) & (visits["rash_improved"] == True)]  # noqa: E712
            seen = met["week"].min() if len(met) else None
            from_visits += seen is not None and (logged is None or seen < logged)
            logged = min(w for w in (logged, seen) if w is not None) if (
                logged is not None or seen is not None) else None
        given = patients.loc[patients["patient_id"] == p, "followup_weeks"]
        last = max([*visits.loc[visits["patient_id"] == p, "week"],
                    *events.loc[events["patient_id"] == p, "week"]], default=np.nan)
        end = float(given.iloc[0]) if len(given) and not np.isnan(given.iloc[0]) else last
        time, happened = (logged, True) if logged is not None else (end, False)
        if not np.isnan(time):
            rows.append((p, float(time), happened))
    return population, rows, from_visits


def _random_cohort(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 40
    ids = [f"R{i:02d}" for i in range(n)]
    patients = pd.DataFrame({
        "patient_id": ids, "site": rng.choice(["X", "Y", "Z"], n),
        "followup_weeks": np.where(rng.random(n) < 0.3, np.nan,
                                   rng.integers(4, 40, n).astype(float))})
    rows = []
    for p in ids:
        if rng.random() < 0.15:
            continue  # no visit at all
        for week in sorted({0.0, *rng.choice([4.0, 8.0, 12.0, 24.0], rng.integers(0, 4))}):
            rows.append((p, week, NA if rng.random() < 0.3 else bool(rng.random() < 0.5),
                         np.nan if rng.random() < 0.3 else float(rng.integers(0, 3)),
                         np.nan if rng.random() < 0.3 else float(rng.choice([0.0, 0.5, 1.0])),
                         NA if week == 0.0 else bool(rng.random() < 0.3)))
    visits = pd.DataFrame(rows, columns=["patient_id", "week", "rash", "das_skin",
                                         "cs_mg_kg_day", "rash_improved"])
    visits = visits.astype({"rash": "boolean", "rash_improved": "boolean"})
    kinds = ["rash_improvement", "cs_discontinuation", "relapse"]
    events = pd.DataFrame(
        [(p, str(rng.choice(kinds)), float(rng.integers(1, 40)))
         for p in ids for _ in range(rng.integers(0, 3))],
        columns=["patient_id", "event", "week"])
    return patients, visits, events


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_matches_the_per_patient_computation(seed):
    """Random cohorts (fixed seeds): every estimate, whole cohort and per site, is the
    Kaplan-Meier curve of the times worked out patient by patient."""
    patients, visits, events = _random_cohort(seed)
    times = event_times(patients, visits, events, SETTINGS.baseline_week)
    site = patients.set_index("patient_id")["site"].reindex(times.ids).to_numpy(dtype=object)
    for lv in (None, "X", "Y", "Z"):
        keep = patients["patient_id"] if lv is None else (
            patients.loc[patients["site"] == lv, "patient_id"])
        own = [frame[frame["patient_id"].isin(keep)] for frame in (patients, visits, events)]
        result = time_to_event(times, None if lv is None else site == lv)
        for event, entry in result.items():
            population, rows, from_visits = _by_patient(*own, event)
            assert entry["population"] == population
            if event == "rash_improvement":
                assert entry["events_from_visits"] == from_visits
            assert entry["n"] == len(rows)
            assert entry["events"] == sum(h for _, _, h in rows)
            if rows:
                assert entry["curve"]["time"] == sorted({t for _, t, _ in rows})
                assert sum(entry["curve"]["n_censor"]) == sum(not h for _, _, h in rows)


def test_logrank_takes_the_times_of_the_kaplan_meier_curves(monkeypatch):
    """The log-rank test of relapse by site gets, in patient order, P1 24 censored (A),
    P2 18 event (A), P4 6 event (B), P5 30 censored (B), P6 20 censored (C); P3 (no
    follow-up) is left out. Rash improvement, as the curves count it: P1 at week 4 (its
    week-4 visit meets the criterion before the event recorded at week 8) and P4 at week 4
    (event and visit the same week); P5 and P2, P6 are not at risk (no rash at week 0)."""
    import jdmtrack.stats.logrank as logrank

    seen: list[tuple[list, list, list]] = []
    real = logrank.logrank_test

    def spy(times, happened, groups, **kwargs):
        seen.append((list(times), list(happened), list(groups)))
        return real(times, happened, groups, **kwargs)

    monkeypatch.setattr(logrank, "logrank_test", spy)
    patients, visits, events = _cohort()
    times = event_times(patients, visits, events, SETTINGS.baseline_week)
    site = patients.set_index("patient_id")["site"].reindex(times.ids).to_numpy(dtype=object)
    assert _logrank("relapse", times, site, SETTINGS)["n"] == 5
    assert seen[-1] == ([24.0, 18.0, 6.0, 30.0, 20.0], [False, True, True, False, False],
                        ["A", "A", "B", "B", "C"])
    _logrank("rash_improvement", times, site, SETTINGS)
    assert seen[-1] == ([4.0, 4.0], [True, True], ["A", "B"])
    curves = time_to_event(times, site == "A")["rash_improvement"]["curve"]
    assert curves["time"] == [4.0] and curves["n_event"] == [1]  # the curve the test compares
