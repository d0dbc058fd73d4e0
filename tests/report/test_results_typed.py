"""The typed results the report renders from equal the results file they were read from.

Each section of the results file that the report's cohort, baseline, patients, outcomes,
response, methods and provenance sections print is read once into frozen dataclasses
(``jdmtrack.results``); these tests read each bundled demo's results and check every
typed value against the dict it came from, field by field (a field the dict lacks must
read as None or empty), so a reader that drops, renames or converts a value fails here.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from jdmtrack.results import Results
from jdmtrack.results.settings import setting

#: Each demo's patients and visits (the bundled CSV files: 20 x 4 visits; 25 patients
#: with 124 visits) and the number of its input files.
SIZES = {"baricitinib": (20, 80, 4), "tofacitinib-ruxolitinib": (25, 124, 4)}


@pytest.fixture(scope="module", params=sorted(SIZES))
def demo(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Results]:
    """A demo analysed (1000 resamples: the values read are the same kind), as a JSON
    dict and read back from it; ``data["demo"]`` names the demo."""
    from jdmtrack import analyze
    from jdmtrack.demo import path as demo_path

    data = json.loads(analyze(Path(str(demo_path(request.param))), resamples=1000).to_json())
    typed = Results.from_dict(data)
    data["demo"] = request.param  # after reading: not a section the readers look at
    return data, typed


def plain(value: Any) -> Any:
    """A typed value as JSON would hold it: tuples as lists, mappings as dicts."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def same(typed: Any, entry: dict[str, Any], *, at_least: int) -> None:
    """Every field of the dataclass ``typed`` that names a key of ``entry`` holds that
    key's value (JSON-equal; a key the entry lacks reads as None); at least ``at_least``
    fields are compared, so that a renamed field cannot pass unseen."""
    compared = 0
    for field in dataclasses.fields(typed):
        value = getattr(typed, field.name)
        inner = value.values() if isinstance(value, Mapping) else (
            value if isinstance(value, tuple) else ())
        nested = dataclasses.is_dataclass(value) or any(dataclasses.is_dataclass(v)
                                                        for v in inner)
        if nested or field.name not in entry:  # nested records are compared one by one
            continue
        expected = entry[field.name]
        if isinstance(expected, dict) and "reason" in expected:  # {not_run: {reason}}
            expected = expected["reason"]
        assert plain(value) == expected, (field.name, value, expected)
        compared += 1
    assert compared >= at_least, (type(typed).__name__, compared)


def test_provenance_and_methods(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    p = typed.provenance
    assert (p.schema_version, p.software_name, p.software_version, p.generated,
            p.input_sha256) == (data["schema_version"], data["software"]["name"],
                                data["software"]["version"], data["generated"],
                                data["input"]["sha256"])
    assert len(p.files) == len(data["input"]["files"]) == SIZES[data["demo"]][2]
    for file, entry in zip(p.files, data["input"]["files"], strict=True):
        same(file, entry, at_least=4)
    assert list(typed.methods) == data["methods"] and len(typed.methods) > 5


def test_settings(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    s = typed.recorded_settings
    assert (s.alpha, s.quantile_method, s.tis_population) == (0.05, 6, "jdm")
    assert (s.alpha, s.quantile_method, s.tis_population) == tuple(
        data["settings"][k] for k in ("alpha", "quantile_method", "tis_population"))
    assert plain(s.recorded) == data["settings"]
    assert list(s.recorded) == list(data["settings"])  # the file's order, for the table


def test_cohort(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    cohort, entry = typed.cohort, data["cohort"]
    assert cohort is not None
    same(cohort, entry, at_least=6)
    assert (cohort.n_patients, cohort.n_visits) == SIZES[data["demo"]][:2]
    same(cohort.followup_weeks, entry["followup_weeks"], at_least=9)
    windows = cohort.visit_windows
    assert windows is not None
    same(windows, entry["visit_windows"], at_least=6)
    assert set(windows.per_week) == set(entry["visit_windows"]["per_week"]) == {
        "0", "4", "12", "24"}
    for week, w in windows.per_week.items():
        same(w, entry["visit_windows"]["per_week"][week], at_least=6)


def test_baseline(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    assert list(typed.baseline) == list(data["baseline"])
    kinds = set()
    for name, c in typed.baseline.items():
        entry = data["baseline"][name]
        kinds.add(entry["type"])
        assert c.categorical == (entry["type"] == "categorical")
        assert c.label == entry.get("label") and c.unit == entry.get("unit")
        same(c.summary, entry, at_least=2)
        if c.categorical:
            assert (plain(c.counts), plain(c.percent)) == (entry["counts"], entry["percent"])
            assert list(c.counts) == list(entry["counts"])  # the levels in the file's order
        else:
            same(c.summary, entry, at_least=9)
    assert kinds == {"categorical", "continuous"}


def test_outcomes(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    assert list(typed.outcomes) == list(data["outcomes"])
    for measure, outcome in typed.outcomes.items():
        entry = data["outcomes"][measure]
        assert (outcome.label, outcome.unit) == (entry["label"], entry["unit"])
        assert [w.week for w in outcome.by_week] == list(entry["by_week"])
        for w in outcome.by_week:
            same(w, entry["by_week"][w.week], at_least=8)
        assert [c.week for c in outcome.vs_baseline] == list(entry["vs_baseline"])
        for c in outcome.vs_baseline:
            same(c, entry["vs_baseline"][c.week], at_least=14)
        if isinstance(entry["friedman"], dict):
            assert outcome.friedman is not None
            same(outcome.friedman, entry["friedman"], at_least=7)
        if entry["mixed_model"]:
            mixed = outcome.mixed_model
            assert mixed is not None
            same(mixed, entry["mixed_model"], at_least=2)
            for week, e in mixed.estimates.items():
                same(e, entry["mixed_model"]["estimates"][week], at_least=2)
        if isinstance(entry["skillings_mack"], dict):
            assert outcome.skillings_mack is not None
            same(outcome.skillings_mack, entry["skillings_mack"], at_least=3)
    cmas = typed.outcomes["cmas_total"]
    assert cmas.friedman is not None and cmas.mixed_model is not None
    # Skillings-Mack runs only when a visit is missing: in the second demo, not the first.
    assert (cmas.skillings_mack is None) == (data["demo"] == "baricitinib")
    assert cmas.friedman_p == data["outcomes"]["cmas_total"]["friedman"]["p_value_exact"]


def test_covariates(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    assert list(typed.covariates) == list(data["covariates"]) and typed.covariates
    for name, c in typed.covariates.items():
        entry = data["covariates"][name]
        assert (c.label, c.unit) == (entry["label"], entry["unit"])
        for week, s in c.by_week.items():
            same(s, entry["by_week"][week], at_least=8)
        assert list(c.by_week) == list(entry["by_week"])


def test_criteria_and_response(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    criteria = data["criteria"]
    assert set(typed.criteria.met) == set(criteria) - {"tis"} == {
        "printo_cid", "skin_inactive", "rash_improved"}
    for name, weeks in typed.criteria.met.items():
        assert list(weeks) == list(criteria[name])
        for week, s in weeks.items():
            same(s, criteria[name][week], at_least=4)
    for week, t in typed.criteria.tis.items():
        entry = criteria["tis"][week]
        same(t, entry, at_least=4)
        assert plain(t.categories) == {k: entry[k] for k in ("none", "minimal", "moderate",
                                                              "major")}
    assert list(typed.response) == list(data["response"])
    for week, r in typed.response.items():
        entry = data["response"][week]
        same(r, entry, at_least=3)
        assert plain(r.counts) == {k: entry[k] for k in ("CR", "PR", "NR")}
        assert (plain(r.percent), plain(r.ci95)) == (entry["percent"], entry["ci95"])


def test_patients_and_listing(demo: tuple[dict[str, Any], Results]) -> None:
    data, typed = demo
    assert len(typed.patients) == len(data["patients"]) == SIZES[data["demo"]][0]
    for p, entry in zip(typed.patients, data["patients"], strict=True):
        same(p, entry, at_least=10)
    listing = typed.listing
    assert listing is not None
    assert list(listing.measures) == data["listing"]["measures"]
    assert plain(listing.patients) == data["listing"]["patients"]
    assert set(listing.rises) == set(data["listing"]["rises"])
    for measure, weeks in listing.rises.items():
        for week, rise in weeks.items():
            entry = data["listing"]["rises"][measure][week]
            assert (rise.n, rise.n_pairs) == (entry["n"], entry["n_pairs"])
            assert [dataclasses.asdict(r) for r in rise.patients] == entry["patients"]


def test_counts_stay_whole_and_numbers_stay_as_given(
        demo: tuple[dict[str, Any], Results]) -> None:
    """A count read is an int and a number keeps its kind, so the spreadsheet's
    full-precision cells show ``20``, not ``20.0`` (repr of what the file holds)."""
    data, typed = demo
    c = typed.outcomes["cmas_total"].comparison("4")
    assert c is not None
    entry = data["outcomes"]["cmas_total"]["vs_baseline"]["4"]
    assert (type(c.n_pairs), type(c.df), type(c.t)) == (int, type(entry["df"]), float)
    assert repr(c.n_pairs) == repr(entry["n_pairs"]) == str(entry["n_pairs"])


def test_setting_reads_json_values() -> None:
    assert plain(setting({"a": [1, 2.5, None], "b": True, "c": "x\x01y"})) == {
        "a": [1, 2.5, None], "b": True, "c": "x y"}
