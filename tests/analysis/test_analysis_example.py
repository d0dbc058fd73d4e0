"""The analysis of the bundled example cohort: schema, hand-checked numbers, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from jdmtrack.analysis import AnalysisSettings, analyze, load_settings
from jdmtrack.cli import main
from jdmtrack.errors import SettingsError
from jdmtrack.pipeline import example_path, load_cohort, score_cohort

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "results.schema.json")
                    .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results():
    scored = score_cohort(load_cohort(example_path()))
    return analyze(scored, AnalysisSettings())


def test_results_match_the_schema(results):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(results, SCHEMA)
    json.dumps(results, allow_nan=False)  # no NaN anywhere


def test_cmas_week0_quartiles_by_hand(results):
    """CMAS at week 0: 40, 48, 32, 22 (items summed in the example file).
    Sorted 22, 32, 40, 48. Median = (32 + 40) / 2 = 36. Type 6: Q1 at rank (n + 1)/4 = 1.25,
    22 + 0.25 x 10 = 24.5; Q3 at rank 3.75, 40 + 0.75 x 8 = 46."""
    week0 = results["outcomes"]["cmas_total"]["by_week"]["0"]
    assert (week0["n"], week0["median"], week0["q1"], week0["q3"]) == (4, 36.0, 24.5, 46.0)
    assert week0["mean"] == (40 + 48 + 32 + 22) / 4


def test_cmas_week24_wilcoxon_by_hand(results):
    """Week 24 vs 0 (SYN-003 stopped at 12): 52-40 = 12, 52-48 = 4, 40-22 = 18. All three
    positive, no ties: exact two-sided p = 2 / 2^3 = 0.25, V = 1 + 2 + 3 = 6."""
    week24 = results["outcomes"]["cmas_total"]["vs_baseline"]["24"]
    assert week24["n_pairs"] == 3
    assert week24["wilcoxon_v"] == 6
    assert week24["p_value_exact"] == 0.25
    assert week24["median_difference"] == 12.0


def test_holm_across_weeks(results):
    """Holm over the three post-baseline exact p-values of one measure, written out."""
    vs = results["outcomes"]["cmas_total"]["vs_baseline"]
    raw = [vs[w]["p_value_exact"] for w in ("4", "12", "24")]
    order = sorted(range(3), key=lambda i: raw[i])
    expected = [0.0] * 3
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (3 - rank) * raw[i]))
        expected[i] = running
    assert [vs[w]["p_adjusted"] for w in ("4", "12", "24")] == pytest.approx(expected, rel=1e-12)


def test_response_counts_add_up(results):
    for week, entry in results["response"].items():
        assert entry["CR"] + entry["PR"] + entry["NR"] == entry["n_evaluable"], week


def test_safety_rate_by_hand(results):
    """3 adverse events; follow-up 24 + 24 + 12 + 24 = 84 weeks = 84 / (365.25 / 7) years."""
    safety = results["safety"]
    patient_years = 84 / (365.25 / 7)
    assert safety["n_events"] == 3
    assert safety["patient_years"] == pytest.approx(patient_years, rel=1e-12)
    assert safety["rate_per_100py"] == pytest.approx(300 / patient_years, rel=1e-12)
    assert safety["n_patients"] == 3
    assert safety["by_category"]["infection"] == {"events": 2, "patients": 2}


def test_settings_are_echoed_and_checked(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('quantile_method = 7\nweeks = [0, 12, 24]\ntis_core_set = "printo"\n',
                    encoding="utf-8")
    settings = load_settings(path, alpha=0.01)
    assert settings.as_dict()["quantile_method"] == 7
    assert settings.as_dict()["weeks"] == [0.0, 12.0, 24.0]
    assert settings.as_dict()["tis_core_set"] == "printo"
    assert settings.alpha == 0.01
    path.write_text("quantile = 7\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings(path)


def test_analyze_cli_writes_valid_json(tmp_path):
    out = tmp_path / "results.json"
    result = CliRunner().invoke(main, ["analyze", str(example_path()), "--json", str(out),
                                       "--quantile-method", "7"])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(written, SCHEMA)
    assert written["settings"]["quantile_method"] == 7
    # type 7 on 22, 32, 40, 48: Q1 at 1 + 0.75 x 3 = 1.75 -> 22 + 0.75 x 10 = 29.5
    assert written["outcomes"]["cmas_total"]["by_week"]["0"]["q1"] == 29.5


def test_sections_limit_the_analysis_to_what_is_asked(results):
    scored = score_cohort(load_cohort(example_path()))
    part = analyze(scored, sections={"outcomes"})
    assert set(part) == {"schema_version", "software", "generated", "input", "settings", "outcomes"}
    # The same numbers as the full analysis ("generated" is a timestamp).
    assert part["outcomes"] == results["outcomes"]
    assert part["input"] == results["input"]
    with pytest.raises(ValueError, match="unknown results sections: outcome"):
        analyze(scored, sections={"outcome"})
