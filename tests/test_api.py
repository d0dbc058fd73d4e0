"""The Python front door: docs/api.md runs as written; __all__ complete, sorted, lazy."""

from __future__ import annotations

import doctest
import subprocess
import sys
import types
from pathlib import Path

import pytest

import jdmtrack

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_api_page_runs_as_written():
    result = doctest.testfile(str(DOCS / "api.md"), module_relative=False, verbose=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 25
    assert result.failed == 0


def test_all_is_sorted_and_complete():
    """As httpx checks its own: every public object jdmtrack defines at the top is
    exported, and everything exported exists."""
    assert jdmtrack.__all__ == sorted(jdmtrack.__all__)
    for name in jdmtrack.__all__:
        assert getattr(jdmtrack, name) is not None, name
    public = {name for name in dir(jdmtrack) if not name.startswith("_")
              and not isinstance(getattr(jdmtrack, name), types.ModuleType)
              and str(getattr(getattr(jdmtrack, name), "__module__", "")).startswith("jdmtrack")}
    assert public <= set(jdmtrack.__all__)
    assert {"read_cohort", "validate", "score", "analyze", "report", "Results"} <= public
    for name in ("read_cohort", "validate", "score", "analyze", "report"):
        assert callable(getattr(jdmtrack, name)) and getattr(jdmtrack, name).__doc__


def test_import_is_cheap_and_lazy():
    code = ("import sys, jdmtrack; heavy = [m for m in ('pandas', 'numpy', 'scipy', "
            "'matplotlib', 'docx', 'jdmtrack.api') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_subpackages_do_not_shadow_the_functions():
    import jdmtrack.report
    import jdmtrack.validate
    from jdmtrack.report import render_report

    assert callable(render_report)
    assert jdmtrack.report.__module__ == "jdmtrack.api"
    assert jdmtrack.validate.__module__ == "jdmtrack.api"


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        jdmtrack.nothing  # noqa: B018


@pytest.fixture(scope="module")
def results():
    from jdmtrack.demo import path

    return jdmtrack.analyze(path("tofacitinib-ruxolitinib"))


def test_results_round_trip_and_frames(results, tmp_path):
    """to_dict is the results file; every section gives a DataFrame; frames agree with it."""
    from jdmtrack.results import SECTIONS, Results

    data = results.to_dict()
    assert data == results.to_dict() and data is not results.to_dict()
    data["cohort"]["n_patients"] = -1  # a copy: the Results is not changed
    assert results.to_dict()["cohort"]["n_patients"] == results.n_patients == 25
    for section in SECTIONS:
        frame = results.to_frame(section)
        assert frame.shape[0] == 0 or frame.shape[1] > 0, section
    by_week = results.to_frame("by_week").set_index(["measure", "week"])
    for measure, outcome in results.outcomes.items():
        for week in outcome.by_week:
            assert by_week.loc[(measure, week.week), "median"] == pytest.approx(
                results.to_dict()["outcomes"][measure]["by_week"][week.week]["median"],
                nan_ok=True)
    baseline = results.to_frame("baseline").set_index(["variable", "level"])
    assert baseline.loc[("muscle_involvement", "yes"), "count"] == 10
    results.to_json(tmp_path / "r.json")
    assert Results.from_json(tmp_path / "r.json") == results
    with pytest.raises(jdmtrack.SettingsError, match="no results table 'nope'"):
        results.to_frame("nope")


def test_analyze_options_and_settings(results):
    from jdmtrack.analysis import AnalysisSettings
    from jdmtrack.demo import path

    scored = jdmtrack.score(path("tofacitinib-ruxolitinib"))
    again = jdmtrack.analyze(scored, settings=AnalysisSettings(alpha=0.01),
                             where=["jaki_drug=ruxolitinib", "sex=F"])
    assert again.to_dict()["settings"]["alpha"] == 0.01
    assert again.population.where == ("jaki_drug=ruxolitinib", "sex=F")
    assert again.n_patients == again.population.n_patients < 25
    with pytest.raises(jdmtrack.SettingsError, match="not a code of sex"):
        jdmtrack.analyze(scored, where="sex=female")
