"""Visit windows, chosen outcome measures, and one definition of rash improvement."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from analysis_cohorts import write_cohort
from click.testing import CliRunner

from jdmtrack.analysis import AnalysisSettings, analyze, load_settings
from jdmtrack.analysis.windows import VisitWindows
from jdmtrack.cli import main
from jdmtrack.errors import SettingsError
from jdmtrack.pipeline import example_path, load_cohort, score_cohort

# Hand-built visits: (patient, recorded week).
VISITS = [("P1", 0), ("P1", 1), ("P1", 3), ("P1", 5), ("P1", 13), ("P1", 26), ("P1", 30),
          ("P2", 0), ("P2", 4), ("P2", 6), ("P2", 22),
          ("P3", 0), ("P3", 2), ("P3", 6), ("P3", 8)]


@pytest.fixture(scope="module")
def windowed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = write_cohort(tmp_path_factory.mktemp("windows") / "cohort",
                          [{"patient_id": p, "week": w, "cmas_total": 20 + w} for p, w in VISITS])
    return analyze(score_cohort(load_cohort(folder)), AnalysisSettings())


def test_default_windows() -> None:
    """Half the gap to the nearest analysis week, at most 4: 0-4-12-24 gives 4 +- 2 (gap 4),
    12 +- 4 (gap 8), 24 +- 4 (gap 12, capped)."""
    windows = VisitWindows.parse(None, (0.0, 4.0, 12.0, 24.0))
    assert windows.half_widths == {4.0: 2.0, 12.0: 4.0, 24.0: 4.0}
    assert windows.as_dict() == {"0": [0.0, 0.0], "4": [2.0, 6.0], "12": [8.0, 16.0],
                                 "24": [20.0, 28.0]}


def test_every_visit_counted_by_hand(windowed: dict) -> None:
    """Windows 0: [0, 0], 4: [2, 6], 12: [8, 16], 24: [20, 28].
    P1: 0 -> 0; 1 outside (nearest 0); 3 and 5 both 1 week from 4: the later, 5, is used;
        13 -> 12; 26 -> 24; 30 outside (nearest 24).
    P2: 0 -> 0; 4 used at 4 (6 is farther, not used); 22 -> 24.
    P3: 0 -> 0; 2 and 6 both 2 weeks from 4: 6 used; 8 -> 12 (4 weeks, edge included).
    15 visits: 13 in a window, 10 used, 3 not used, 2 outside."""
    counts = windowed["cohort"]["visit_windows"]
    assert (counts["n_visits"], counts["n_mapped"], counts["n_used"], counts["n_not_used"],
            counts["n_outside"]) == (15, 13, 10, 3, 2)
    assert counts["outside_weeks"] == [1.0, 30.0]
    per_week = {w: (e["mapped"], e["used"], e["not_used"], e["off_target"], e["outside_nearest"])
                for w, e in counts["per_week"].items()}
    assert per_week == {"0": (3, 3, 0, 0, 1), "4": (6, 3, 3, 2, 0), "12": (2, 2, 0, 2, 0),
                        "24": (2, 2, 0, 2, 1)}


def test_outcomes_use_the_chosen_visit(windowed: dict) -> None:
    """CMAS = 20 + recorded week. Week 4 uses P1 at 5 (25), P2 at 4 (24), P3 at 6 (26):
    median 25. Week 24 uses P1 at 26 (46) and P2 at 22 (42). P2 is followed past week 12
    (last visit 22) but has no visit in 8-16: one patient without a visit at week 12."""
    by_week = windowed["outcomes"]["cmas_total"]["by_week"]
    assert (by_week["4"]["n"], by_week["4"]["median"]) == (3, 25.0)
    assert (by_week["24"]["min"], by_week["24"]["max"]) == (42.0, 46.0)
    assert windowed["cohort"]["no_visit_per_week"]["12"] == 1
    assert windowed["cohort"]["missing"]["cmas_total"]["12"] == 1
    assert windowed["cohort"]["no_visit_per_week"]["4"] == 0


def test_overlapping_windows_go_to_the_nearer_week_then_the_later() -> None:
    """Week 4 +- 6 overlaps week 12 +- 4 on [8, 10]: 7 -> 4 (3 vs 5 weeks), 8 -> 12 (4 vs 4:
    the later week), 9 -> 12."""
    windows = VisitWindows.parse({"4": 6}, (0.0, 4.0, 12.0, 24.0))
    frame = pd.DataFrame({"patient_id": ["a", "b", "c"], "week": [7.0, 8.0, 9.0]})
    used, _ = windows.assign(frame)
    assert dict(zip(used["visit_week"], used["week"], strict=True)) == {7.0: 4.0, 8.0: 12.0,
                                                                         9.0: 12.0}


def test_zero_window_keeps_only_exact_weeks() -> None:
    used, counts = VisitWindows.parse(0, (0.0, 4.0)).assign(
        pd.DataFrame({"patient_id": ["a", "a", "a"], "week": [0.0, 4.0, 5.0]}))
    assert used["week"].tolist() == [0.0, 4.0] and counts["n_outside"] == 1


@pytest.mark.parametrize("bad, words", [
    ({"5": 2}, "week 5 is not a follow-up analysis week"),
    ({"0": 1}, "week 0 is not a follow-up analysis week"),
    (-1, "expected a number of weeks >= 0"),
    ("wide", "expected a number of weeks"),
])
def test_bad_windows_are_settings_errors(bad: object, words: str) -> None:
    with pytest.raises(SettingsError, match=words):
        load_settings(None, visit_window=bad)


def test_cli_visit_window_and_measures_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('measures = ["cmas_total", "weight_kg"]\n[visit_window]\n"12" = 6\n',
                        encoding="utf-8")
    out = tmp_path / "r.json"
    done = CliRunner().invoke(main, ["analyze", str(example_path()), "--json", str(out),
                                     "--settings", str(settings), "--visit-window", "4:1,24:3"])
    assert done.exit_code == 0, done.output
    results = json.loads(out.read_text(encoding="utf-8"))
    # The command line replaces the file's table as a whole.
    assert results["settings"]["visit_window"] == {"4": 1.0, "12": 4.0, "24": 3.0}
    assert results["settings"]["measures"] == ["cmas_total", "weight_kg"]
    assert list(results["outcomes"]) == ["cmas_total", "weight_kg"]
    assert "weight_kg" not in results["covariates"]
    assert "week 4 \u00b1 1, week 12 \u00b1 4, week 24 \u00b1 3" in " ".join(results["methods"])


def test_cli_rejects_unknown_measures_listing_the_valid_ones(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["analyze", str(example_path()), "--json",
                                     str(tmp_path / "r.json"), "--measures", "cmas,phga_cm"])
    assert done.exit_code == 1
    assert "unknown measure(s) cmas" in done.output and "cmas_total" in done.output
    assert "Traceback" not in done.output


def test_default_outcomes_leave_covariates_untested() -> None:
    """Weight, height, creatinine, eGFR and JAKi dose are described (per week), not tested."""
    results = analyze(score_cohort(load_cohort(example_path())), AnalysisSettings())
    covariates = {"weight_kg", "height_cm", "creatinine_umol_l", "egfr", "jaki_mg_day",
                  "jaki_mg_kg_day"}
    assert not covariates & set(results["outcomes"])
    assert set(results["covariates"]) == covariates
    assert results["covariates"]["weight_kg"]["by_week"]["0"]["n"] == 4
    assert "friedman" not in results["covariates"]["weight_kg"]
    assert {"cmas_total", "das_skin", "phga_cm", "ck_u_l", "cs_mg_kg_day"} <= set(
        results["outcomes"])
    methods = " ".join(results["methods"])
    assert "Covariates were described per week but not tested: Weight" in methods


def test_chosen_measures_are_exactly_the_outcomes() -> None:
    settings = load_settings(None, measures="phga_cm,cmas_total")
    results = analyze(score_cohort(load_cohort(example_path())), settings)
    assert list(results["outcomes"]) == ["phga_cm", "cmas_total"]
    assert "das_skin" not in results["outcomes"] and "das_skin" not in results["covariates"]
    assert "the measures chosen for this analysis" in " ".join(results["methods"])
    with pytest.raises(SettingsError, match="named more than once"):
        load_settings(None, measures=["chaq", "chaq"])


def test_rash_improvement_one_definition(tmp_path: Path) -> None:
    """Four patients with rash (skin-DAS 5) at week 0, visits at 0, 4, 12.
    P1: a recorded rash_improvement event at week 1.5 (its visits still show DAS 5).
    P2: skin-DAS 3 at week 4 -> first visit meeting the criterion: week 4.
    P3: skin-DAS 2 at week 12 -> week 12.  P4: no improvement, censored at 12.
    Events only (the old curve) would have counted 1 event. One definition: times 1.5, 4,
    12 (events) and 12 (censored). Kaplan-Meier: S = 3/4 after 1.5, 2/4 after 4, 1/4 after
    12. S is exactly 0.5 on [4, 12): median = (4 + 12) / 2 = 8 (quantile.survfit midpoint);
    exactly 0.75 on [1.5, 4): Q1 = 2.75. The per-week table counts the same criterion:
    week 4 P2 (1 of 4), week 12 P2 and P3 (2 of 4)."""
    das = {"P1": (5, 5, 5), "P2": (5, 3, 3), "P3": (5, 5, 2), "P4": (5, 5, 5)}
    visits = [{"patient_id": p, "week": w, "das_skin": d, "rash": "yes"}
              for p, values in das.items() for w, d in zip((0, 4, 12), values, strict=True)]
    folder = write_cohort(tmp_path / "rash", visits,
                          events=[("P1", "rash_improvement", 1.5)])
    results = analyze(score_cohort(load_cohort(folder)), AnalysisSettings())
    km = results["time_to_event"]["rash_improvement"]
    assert (km["n"], km["events"], km["events_from_events_table"], km["events_from_visits"]) == (
        4, 3, 1, 2)
    assert (km["median_weeks"], km["q1_weeks"]) == (8.0, 2.75)
    assert km["curve"]["time"] == [1.5, 4.0, 12.0]
    assert km["curve"]["survival"] == pytest.approx([0.75, 0.5, 0.25], rel=1e-15)
    table = results["criteria"]["rash_improved"]
    assert (table["4"]["n_met"], table["4"]["n_evaluable"]) == (1, 4)
    assert (table["12"]["n_met"], table["12"]["n_evaluable"]) == (2, 4)
    assert "first visit whose rash_improved criterion is met" in km["definition"]


def test_windowed_results_are_consistent_and_reported(windowed: dict, tmp_path: Path) -> None:
    """Week 4 has 3 patients from windows but only one visit recorded at exactly week 4:
    ``visits_per_week`` counts the visits used, so every by-week n stays within it."""
    from jdmtrack.results.consistency import check_results

    assert windowed["cohort"]["visits_per_week"] == {"0": 3, "4": 3, "12": 2, "24": 2}
    assert windowed["cohort"]["visits_per_recorded_week"]["4"] == 1
    assert check_results(windowed) == []
    folder = write_cohort(tmp_path / "c", [{"patient_id": p, "week": w, "cmas_total": 20 + w}
                                           for p, w in VISITS])
    done = CliRunner().invoke(main, ["report", str(folder), "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Visit windows: every visit accounted for" in html
    assert "15 visits recorded: 10 used, 3 in a window but not used" in html
