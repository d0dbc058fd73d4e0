"""Degenerate but valid cohorts: ``analyze`` and ``report`` exit 0, say why a test did not run.

Each shape is a small CSV folder written by a fixture. Every statistic that cannot be
computed on it carries ``not_run: {"reason": ...}``; the results file is strict JSON (a
``parse_constant`` hook rejects NaN and Infinity); the report renders and its footnotes
carry the reasons.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from analysis_cohorts import write_cohort
from click.testing import CliRunner

from jdmtrack.cli import main

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "results.schema.json")
                    .read_text(encoding="utf-8"))
WEEKS = (0, 4, 12, 24)


def _reject(token: str) -> Any:
    raise ValueError(f"non-strict JSON constant {token} in the results file")


def _grid(ids: list[str], value: Any, weeks: tuple[float, ...] = WEEKS,
          **extra: Any) -> list[dict[str, Any]]:
    return [{"patient_id": p, "week": w, "cmas_total": value(i, w), **extra}
            for i, p in enumerate(ids) for w in weeks]


# name -> (visits, options, [(dotted path to a not_run, words of its reason)])
SHAPES: dict[str, tuple[list[dict[str, Any]], dict[str, Any], list[tuple[str, str]]]] = {
    "one_patient": (_grid(["P1"], lambda i, w: 20 + w // 2), {}, [
        ("outcomes.cmas_total.friedman", "needs at least two"),
        ("outcomes.cmas_total.vs_baseline.4.t_not_run", "two pairs"),
        ("outcomes.cmas_total.mixed_model", "no residual degrees of freedom")]),
    "two_identical_trajectories": (_grid(["P1", "P2"], lambda i, w: 20 + w), {}, [
        ("outcomes.cmas_total.mixed_model", "residual variance is zero"),
        ("outcomes.cmas_total.vs_baseline.12.t_not_run", "the same")]),
    "constant_measure": (_grid(["P1", "P2", "P3"], lambda i, w: 40), {}, [
        ("outcomes.cmas_total.friedman", "all tied"),
        ("outcomes.cmas_total.vs_baseline.4", "every paired difference is zero"),
        ("outcomes.cmas_total.mixed_model", "every value is the same")]),
    "all_ties_after_baseline": (_grid(["P1", "P2", "P3", "P4"],
                                      lambda i, w: 40 if w == 0 else 42), {}, [
        ("outcomes.cmas_total.mixed_model", "perfect fit"),
        ("outcomes.cmas_total.vs_baseline.24.t_not_run", "the same")]),
    "missing_after_baseline": (
        [{"patient_id": p, "week": w, "cmas_total": 30 + i if w == 0 else "", "phga_cm": 2}
         for i, p in enumerate(["P1", "P2", "P3"]) for w in WEEKS], {}, [
            ("outcomes.cmas_total.friedman", "no patient has a value after week 0"),
            ("outcomes.cmas_total.vs_baseline.24", "no patient has a value after week 0"),
            ("outcomes.phga_cm.friedman", "all tied")]),
    "baseline_only": (_grid(["P1", "P2", "P3"], lambda i, w: 30 + i, weeks=(0,)), {}, [
        ("outcomes.cmas_total.skillings_mack", "no patient has a value after week 0"),
        ("outcomes.cmas_total.vs_baseline.4", "no patient has a value after week 0"),
        ("criteria.skin_inactive.0", "no patient evaluable"),
        ("safety", "no exposure")]),
    "nobody_at_later_weeks": (_grid(["P1", "P2", "P3"], lambda i, w: 30 + i + w,
                                    weeks=(0, 4)), {}, [
        ("outcomes.cmas_total.vs_baseline.12", "no patient assessed at week 12"),
        ("outcomes.cmas_total.vs_baseline.24", "no patient assessed at week 24")]),
    "no_baseline_visit": (_grid(["P1", "P2"], lambda i, w: 30 + i + w, weeks=(4, 12)), {}, [
        ("outcomes.cmas_total.friedman", "no patient has a value at week 0"),
        ("outcomes.cmas_total.vs_baseline.4", "no patient has a value at week 0")]),
    "two_patients_one_pair": (
        [{"patient_id": "P1", "week": 0, "cmas_total": 30},
         {"patient_id": "P1", "week": 4, "cmas_total": 35},
         {"patient_id": "P2", "week": 12, "cmas_total": 40}], {}, [
            ("outcomes.cmas_total.friedman", "needs at least two"),
            ("outcomes.cmas_total.vs_baseline.12", "no patient has values at both"),
            ("outcomes.cmas_total.skillings_mack", "")]),
    "zero_patients_at_risk": (
        _grid(["P1", "P2"], lambda i, w: 20 + 2 * i + w // 2, rash="no", das_skin=0),
        {"events": [("P1", "rash_improvement", 6.0), ("P2", "relapse", 6.0)]}, [
            ("time_to_event.rash_improvement", "no patient at risk")]),
}


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("degenerate")
    return {name: write_cohort(root / name, visits, **options)
            for name, (visits, options, _) in SHAPES.items()}


def _at(results: dict[str, Any], path: str) -> Any:
    node: Any = results
    for part in path.split("."):
        node = node[part]
    return node


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_analyze_and_report_run_and_say_why(shape: str, cohorts: dict[str, Path],
                                            tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "results.json"
    done = runner.invoke(main, ["analyze", str(cohorts[shape]), "--json", str(out)])
    assert done.exit_code == 0, done.output
    results = json.loads(out.read_text(encoding="utf-8"), parse_constant=_reject)
    jsonschema.validate(results, SCHEMA)
    for path, words in SHAPES[shape][2]:
        entry = _at(results, path)
        reason = (entry.get("not_run") or {}).get("reason") if "not_run" in entry else None
        if path.endswith("t_not_run"):
            reason = (entry or {}).get("reason")
        if words == "" and entry is None:
            continue  # not applicable (no missing visit): null, as the schema says
        assert reason and words in reason, (path, entry)
    report = tmp_path / "report"
    done = runner.invoke(main, ["report", str(cohorts[shape]), "-o", str(report)])
    assert done.exit_code == 0, done.output
    html = (report / "report.html").read_text(encoding="utf-8")
    json.loads((report / "results.json").read_text(encoding="utf-8"), parse_constant=_reject)
    for path, words in SHAPES[shape][2]:
        if words and "t_not_run" not in path:  # the t-test's reason is in the week's note
            assert "not run (" in html and words in html, (shape, path)


def test_strict_json_hook_rejects_nan() -> None:
    """The hook used above does reject a NaN token (so the checks above can fail)."""
    with pytest.raises(ValueError, match="NaN"):
        json.loads('{"a": NaN}', parse_constant=_reject)
