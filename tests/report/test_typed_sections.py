"""The typed sections of ``Results`` (issue 14: the report renders from ``Results``) hold
exactly what the results file holds: each is compared value by value with the dict it was
read from, for a demo analysed with ``--by jaki_drug``. And a hostile results dict (sections
missing, null or of the wrong kind) reads and renders without a traceback."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jdmtrack
from jdmtrack.demo import path
from jdmtrack.report import figures, figures_dose, figures_groups
from jdmtrack.report import tables_ae as ae
from jdmtrack.report import tables_course as tc
from jdmtrack.report import tables_groups as tg
from jdmtrack.report import tables_quality as q
from jdmtrack.report import tables_safety_tests as ts
from jdmtrack.report.build import build_document
from jdmtrack.report.context import Context
from jdmtrack.results import Results

# The results-file sections this half of the typed results reads (docs/results.schema.json).
SECTIONS = ("by", "sites", "time_to_event", "safety", "dosing", "exposure", "at_start",
            "skin_course", "steroids", "organs", "response_percent", "aesi", "paper_tests",
            "warnings", "demo")


@pytest.fixture(scope="module")
def analysed() -> tuple[Results, dict[str, Any]]:
    results = jdmtrack.analyze(path("tofacitinib-ruxolitinib"), by="jaki_drug")
    return results, results.to_dict()


def _same(typed: object, raw: object) -> bool:
    """A typed number equals the file's (ints and floats alike); None for null."""
    if raw is None:
        return typed is None
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return isinstance(typed, float | int) and math.isclose(typed, raw, rel_tol=0, abs_tol=0)
    return typed == raw


def test_time_to_event_and_the_curves(analysed: tuple[Results, dict[str, Any]]) -> None:
    typed, raw = analysed
    assert list(typed.time_to_event) == list(raw["time_to_event"])
    for event, entry in raw["time_to_event"].items():
        t = typed.time_to_event[event]
        for name in ("n", "events", "median_weeks", "q1_weeks", "q3_weeks"):
            assert _same(getattr(t, name), entry[name]), (event, name)
        assert t.ci95 == (None if entry["ci95"] is None else tuple(entry["ci95"]))
        assert t.curve is not None
        assert list(t.curve.time) == entry["curve"]["time"]
        assert list(t.curve.survival) == entry["curve"]["survival"]
        assert list(t.curve.n_risk) == entry["curve"]["n_risk"]
        assert t.definition == entry.get("definition")
        assert t.events_from_events_table == entry.get("events_from_events_table")
        assert t.events_from_visits == entry.get("events_from_visits")
        assert t.not_run == ((entry.get("not_run") or {}).get("reason") or None)
    assert typed.time_to_event["rash_improvement"].events_from_events_table == 24


def test_groups(analysed: tuple[Results, dict[str, Any]]) -> None:
    typed, raw = analysed
    by, rb = typed.by, raw["by"]
    assert by.present and by.field == rb["field"] == "jaki_drug" and by.label == rb["label"]
    assert list(by.levels) == rb["levels"] and dict(by.n) == rb["n"]
    assert by.n_missing == rb["n_missing"]
    assert [c.name for c in by.baseline] == list(rb["baseline"])
    for c in by.baseline:
        entry = rb["baseline"][c.name]
        assert c.label == entry["label"]
        assert _same(c.test.p_value if c.test else None, (entry.get("test") or {}).get("p_value"))
        for level, value in c.groups.items():
            g = entry["groups"][level]
            assert value.categorical == (g["type"] == "categorical")
            if value.categorical:
                assert dict(value.counts) == g["counts"] and dict(value.percent) == g["percent"]
            else:
                assert (value.median, value.q1, value.q3) == (g["median"], g["q1"], g["q3"])
    assert [o.name for o in by.outcomes] == list(rb["outcomes"])
    for o in by.outcomes:
        entry = rb["outcomes"][o.name]
        assert o.tested == entry["tested"]
        for week in o.weeks:
            for level, s in week.groups.items():
                g = entry["by_week"][week.week][level]
                assert (s.n, s.median, s.q1, s.q3, s.min, s.max) == (
                    g["n"], g["median"], g["q1"], g["q3"], g["min"], g["max"])
            tests = (entry.get("tests") or {}).get(week.week) or {}
            assert _same(week.value_test.p_value if week.value_test else None,
                         (tests.get("value") or {}).get("p_value"))
    assert [e.event for e in by.time_to_event] == list(rb["time_to_event"])
    for e in by.time_to_event:
        entry = rb["time_to_event"][e.event]
        assert e.test is not None and e.test.p_value == entry["test"]["p_value"]
        assert set(e.groups) == {lv for lv, g in entry["groups"].items() if g is not None}
        for level, estimate in e.groups.items():
            curve = entry["groups"][level]["curve"]
            assert estimate.curve is not None and list(estimate.curve.time) == curve["time"]
            assert list(estimate.curve.n_risk) == curve["n_risk"]
    assert not typed.sites.present and not typed.sites.completeness  # one site


def test_safety_aesi_and_dosing(analysed: tuple[Results, dict[str, Any]]) -> None:
    typed, raw = analysed
    s, rs = typed.safety, raw["safety"]
    for name in ("n_events", "n_patients", "n_exposed", "serious", "patient_years",
                 "rate_per_100py"):
        assert _same(getattr(s, name), rs[name]), name
    assert s.rate_ci95 == tuple(rs["rate_ci95"]) and s.by_term == () == tuple(rs["by_term"])
    a, ra = typed.aesi, raw["aesi"]
    assert [(t.key, t.n_events, t.n_patients) for t in a.special_interest] == [
        (k, v["n_events"], v["n_patients"]) for k, v in ra["special_interest"].items()]
    assert {k: (t.n_events, t.n_patients) for k, t in a.actions.items()} == {
        k: (v["n_events"], v["n_patients"]) for k, v in ra["actions"].items()}
    d, rd = typed.dosing, raw["dosing"]
    assert d.reference == rd["reference"] and list(d.below_reference) == rd["below_reference"]
    assert list(d.above_maximum) == rd["above_maximum"]
    assert d.bands is not None and len(d.bands) == len(rd["reference_bands"])
    for band, rb in zip(d.bands, rd["reference_bands"], strict=True):
        assert (band.drug, band.weight_min_kg, band.weight_max_kg, band.reference_mg_day,
                band.maximum_mg_day) == (rb["drug"], rb["weight_min_kg"], rb["weight_max_kg"],
                                         rb["reference_mg_day"], rb["maximum_mg_day"])
    assert d.mg_kg_day is not None and d.mg_kg_day.median == rd["jaki_mg_kg_day"]["median"]
    assert dict(d.by_drug) == rd["by_drug"]
    points = [(p["patient_id"], p["weight_kg"], p["jaki_mg_kg_day"]) for p in raw["patients"]
              if p["weight_kg"] is not None and p["jaki_mg_kg_day"] is not None]
    assert [(p.patient_id, p.weight_kg, p.mg_kg_day) for p in d.points] == points


def test_treatment_course(analysed: tuple[Results, dict[str, Any]]) -> None:
    typed, raw = analysed
    e, re_ = typed.exposure, raw["exposure"]
    assert e.n_patients == re_["n_patients"]
    assert e.duration_weeks is not None and e.duration_weeks.median == re_["duration_weeks"][
        "median"] and e.duration_weeks.max == re_["duration_weeks"]["max"]
    assert [(b.label, b.n, b.n_band_dose) for b in e.weight_bands] == [
        (re_["start_weight_bands"][k]["label"], re_["start_weight_bands"][k]["n"],
         re_["start_weight_bands"][k]["n_band_dose"]) for k in ("under_25_kg", "from_25_kg")]
    assert e.highest_mg_per_dose == re_["highest_mg_per_dose"]["value"]
    assert dict(e.stopped_before_last_week) == re_["stopped_before_last_week"]
    s, rs = typed.at_start, raw["at_start"]
    assert s.rash is not None and (s.rash.n, s.rash.of, s.rash.percent) == (
        rs["rash"]["n"], rs["rash"]["of"], rs["rash"]["percent"])
    assert dict(s.cmas_course) == rs["cmas_course"]
    assert dict(s.cmas_not_scorable_reasons) == rs["cmas_not_scorable"]["reasons"]
    k, rk = typed.skin_course, raw["skin_course"]
    assert k.n_relapses == rk["n_relapses"] == len(k.relapses)
    assert [(r.patient_id, r.relapse_week) for r in k.relapses] == [
        (r["patient_id"], r["relapse_week"]) for r in rk["relapses"]]
    g, rg = typed.steroids, raw["steroids"]
    assert [(w.week, w.median, w.median_fall_percent) for w in g.by_week] == [
        (w, v["median"], v["median_fall_percent"]) for w, v in rg["by_week"].items()]
    assert [(o.organ, o.n_involved, dict(o.outcomes)) for o in typed.organs] == [
        (name, v["n_involved"], v["outcomes"]) for name, v in raw["organs"].items()]
    for week in typed.response_percent:
        entry = raw["response_percent"][week.week]
        assert week.n_evaluable == entry["n_evaluable"]
        for level, share in week.levels.items():
            assert share is not None
            assert (share.n, share.percent) == (entry[level]["n"], entry[level]["percent"])


def test_paper_tests_warnings_and_demo(analysed: tuple[Results, dict[str, Any]]) -> None:
    typed, raw = analysed
    tests = raw["paper_tests"]
    assert typed.paper_tests.adjust == tests["adjust"]
    expected = []
    for m, entry in tests["measures"].items():
        expected += [(m, f"week {w} vs 0", r["n_pairs"], r["p_value_exact"],
                      r["t_test"]["p_value_t"]) for w, r in entry["vs_baseline"].items()]
        expected += [(m, name.replace("_vs_", " vs "), c["n_pairs"], c["p_value_exact"], None)
                     for name, c in entry["pairwise"]["pairs"].items() if c["week_a"] != "0"]
    assert [(r.measure, r.comparison, r.n_pairs, r.p_value_exact, r.p_value_t)
            for r in typed.paper_tests.rows] == expected
    assert [(w.code, w.table, w.column, w.message, w.count, w.kind) for w in typed.warnings] \
        == [(w["code"], w["table"], w["column"], w["message"], w["count"], w["kind"])
            for w in raw["warnings"]]
    assert typed.warnings[0].examples[0].patient_id == raw["warnings"][0]["examples"][0][
        "patient_id"]
    assert not typed.demo.present and raw.get("demo") is None
    from jdmtrack.analysis.published import attach_published

    results = jdmtrack.analyze(path("baricitinib"))
    raw = attach_published(results.to_dict(), "baricitinib", results.scored, results.settings,
                           folder=path("baricitinib"))
    typed_demo = Results.from_dict(raw).demo
    demo = raw["demo"]
    assert typed_demo.present and typed_demo.name == demo["name"] == "baricitinib"
    assert len(demo["published"]) > 5
    assert [(p.label, p.printed, p.match, p.reproducible) for p in typed_demo.published] == [
        (p["label"], p["printed"], p["match"], p.get("reproducible"))
        for p in demo["published"]]
    assert typed_demo.citation == (demo.get("source") or {}).get("citation")


# --- hostile results: every value of these sections may be replaced by anything ---------

# What a hand-edited or truncated file may hold where a value was expected.
_JUNK: tuple[object, ...] = (None, True, False, -1, 0, 3.5, 10**9, math.nan, math.inf, "",
                             "x", "\x0b<b>", [], [None], [1, "a", None], {}, {"x": None},
                             {"n": "many"}, [{"n": None}])


def _paths(value: Any, prefix: tuple[Any, ...], depth: int) -> list[tuple[Any, ...]]:
    found = [prefix]
    if depth == 0:
        return found
    if isinstance(value, dict):
        for key in list(value)[:6]:
            found += _paths(value[key], (*prefix, key), depth - 1)
    elif isinstance(value, list):
        for index in range(min(len(value), 2)):
            found += _paths(value[index], (*prefix, index), depth - 1)
    return found


def _replace(data: dict[str, Any], where: tuple[Any, ...], junk: object) -> None:
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = junk


def _render_tables(ctx: Context) -> None:
    for build in (ae.ae_term_table, tc.exposure_table, tc.at_start_table, tc.skin_course_table,
                  tc.steroids_table, tc.organs_table, tc.response_percent_table,
                  ts.aesi_table, ts.serious_table, ts.paper_tests_table, q.quality_table,
                  q.undecided_table, tg.by_baseline_table, tg.by_outcomes_table,
                  tg.site_completeness_table):
        build(ctx)


@pytest.fixture(scope="module")
def base(analysed: tuple[Results, dict[str, Any]]) -> tuple[dict[str, Any], list[Any]]:
    raw = copy.deepcopy(analysed[1])
    raw["sites"] = {"field": "site", "levels": ["A", "B"], "n": {"A": 1, "B": 2},
                    "completeness": {"A": {"0": {"seen": 1, "in_followup": 1}},
                                     "B": {"0": {"seen": 2, "in_followup": 2}}}}
    raw["demo"] = {"name": "x", "synthetic": True, "published": [{"label": "n", "printed": "3",
                                                                  "reproduced": 3,
                                                                  "match": True}]}
    paths = [p for s in SECTIONS for p in _paths(raw.get(s), (s,), 4)]
    return raw, paths


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hostile_results_dict_reads_and_renders(base: tuple[dict[str, Any], list[Any]],
                                                  data: st.DataObject) -> None:
    raw, paths = base
    hostile = copy.deepcopy(raw)
    # One draw of every change (indices), so that what is drawn never depends on the test.
    changes = data.draw(st.lists(st.tuples(st.integers(0, len(paths) - 1),
                                           st.integers(0, len(_JUNK) - 1)),
                                 min_size=1, max_size=6))
    for where, junk in changes:
        try:
            _replace(hostile, paths[where], copy.deepcopy(_JUNK[junk]))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed the path
    typed = Results.from_dict(hostile)  # reads without raising
    ctx = Context.of(typed)
    _render_tables(ctx)
    assert isinstance(typed.check(), list)


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("junk", [None, 3, "text", [None, 1], {"x": None}])
def test_each_section_missing_null_or_of_the_wrong_kind(
        base: tuple[dict[str, Any], list[Any]], section: str, junk: object) -> None:
    hostile = copy.deepcopy(base[0])
    hostile[section] = junk
    ctx = Context.of(Results.from_dict(hostile))
    _render_tables(ctx)
    if section == "by":  # the figures are drawn only from what the typed section holds
        assert figures_groups.group_km_figure(ctx) is None
        assert figures_groups.group_outcomes_figure(ctx) is None
    if section == "time_to_event":
        assert figures.km_figure(ctx) is None
    if section == "dosing":
        assert figures_dose.dose_figure(ctx)[1]  # drawn with a note, or not drawn


def test_a_document_from_an_almost_empty_results_dict() -> None:
    """Every section absent: the whole document builds, saying what is not in the results."""
    import pandas as pd

    document = build_document({"schema_version": 1, "by": None, "warnings": "x"},
                              pd.DataFrame())
    assert [s.id for s in document.sections][:2] == ["cohort", "baseline"]
    assert not document.figures()
