"""A realistic, hand-built results dict and scored visits table for the report tests.

Six invented patients seen at weeks 0, 4, 12 and 24 (patient P06 stopped at week 12;
P05 missed the week-4 CMAS and MMT-8). The descriptive statistics per week are computed
here from the visits (numpy's ``weibull`` quantiles = Hyndman–Fan type 6), so that the
median lines of the figures sit on the patients' lines; test statistics are typed in.
Confidence intervals of proportions are Clopper–Pearson (scipy ``binomtest``).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jdmtrack.analysis.ae_table import ae_by_term

WEEKS = ["0", "4", "12", "24"]
NAN = math.nan

# patient, drug, mg/day, weight, rows per week: (das_skin, cmas, mmt8, das_total, cs, response)
_PATIENTS: list[tuple[str, str, float, float, list[tuple[Any, ...]]]] = [
    ("P01", "baricitinib", 4.0, 32.0, [(6, 38, 70, 12, 0.62, None), (3, 44, 74, 7, 0.47, "NR"),
                                       (1, 48, 78, 3, 0.31, "PR"), (0, 51, 80, 1, 0.15, "CR")]),
    ("P02", "baricitinib", 2.0, 18.0, [(7, 45, 75, 11, 1.0, None), (5, 47, 76, 8, 0.8, "NR"),
                                       (2, 50, 79, 4, 0.5, "PR"), (1, 52, 80, 2, 0.3, "CR")]),
    ("P03", "tofacitinib", 10.0, 41.0, [(5, 29, 61, 14, 0.53, None), (4, 30, 62, 12, 0.5, "NR"),
                                        (4, 33, 66, 10, 0.45, "NR"), (3, 35, 67, 9, 0.42, "NR")]),
    ("P04", "tofacitinib", 5.0, 22.0, [(4, 50, 78, 6, 0.42, None), (2, 51, 79, 3, 0.3, "PR"),
                                       (0, 52, 80, 0, 0.2, "CR"), (0, 52, 80, 0, 0.1, "CR")]),
    ("P05", "ruxolitinib", 10.0, 28.0, [(8, 41, 73, 15, 0.8, None),
                                        (6, NAN, NAN, 11, 0.6, "not_evaluable"),
                                        (3, 45, 77, 6, 0.4, "PR"), (2, 47, 78, 4, 0.25, "PR")]),
    ("P06", "baricitinib", 4.0, 25.0, [(6, 44, 76, 10, 0.6, None), (5, 45, 76, 9, 0.5, "NR"),
                                       (4, 46, 77, 8, 0.45, "NR")]),
]

MEASURES = {
    "das_skin": ("Skin-DAS (0–9)", "points"),
    "cmas_total": ("CMAS (0–52)", "points"),
    "mmt8_total": ("MMT-8 (0–80)", "points"),
    "das_total": ("DAS total (0–20)", "points"),
    "cs_mg_kg_day": ("Corticosteroid dose, prednisone equivalent", "mg/kg/day"),
}


def make_visits() -> pd.DataFrame:
    rows = []
    for pid, _drug, mg_day, weight, weeks in _PATIENTS:
        for week, (skin, cmas, mmt8, das, cs, response) in zip(WEEKS, weeks, strict=False):
            w = weight + 0.05 * float(week)
            rows.append({"patient_id": pid, "week": float(week), "cmas_total": cmas,
                         "mmt8_total": mmt8, "das_skin": skin, "das_total": das,
                         "cs_mg_kg_day": cs, "jaki_mg_kg_day": mg_day / w, "weight_kg": w,
                         "response": response if response else "not_evaluable"})
    return pd.DataFrame(rows)


def _describe(values: list[float]) -> dict[str, Any]:
    x = np.asarray([v for v in values if v == v], dtype=float)
    if x.size == 0:
        return {"n": 0, "median": None, "q1": None, "q3": None, "mean": None, "sd": None,
                "min": None, "max": None}
    q1, median, q3 = (float(v) for v in np.quantile(x, [0.25, 0.5, 0.75], method="weibull"))
    return {"n": int(x.size), "median": median, "q1": q1, "q3": q3, "mean": float(x.mean()),
            "sd": float(x.std(ddof=1)) if x.size > 1 else None, "min": float(x.min()),
            "max": float(x.max())}


def _ci(k: int, n: int) -> list[float]:
    ci = stats.binomtest(k, n).proportion_ci(method="exact")
    return [float(ci.low), float(ci.high)]


def _proportion(k: int, n: int) -> dict[str, Any]:
    return {"n_evaluable": n, "n_met": k, "proportion": k / n, "ci95": _ci(k, n)}


def _response(counts: dict[str, int], not_evaluable: int) -> dict[str, Any]:
    n = sum(counts.values())
    return {"n_evaluable": n, **counts, "not_evaluable": not_evaluable,
            "percent": {k: 100 * v / n for k, v in counts.items()},
            "ci95": {k: _ci(v, n) for k, v in counts.items()}}


def make_results(*, demo: bool = True) -> dict[str, Any]:
    visits = make_visits()
    outcomes: dict[str, Any] = {}
    for measure, (label, unit) in MEASURES.items():
        by_week = {w: _describe(visits.loc[visits["week"] == float(w), measure].tolist())
                   for w in WEEKS}
        outcomes[measure] = {
            "label": label, "unit": unit, "by_week": by_week,
            "friedman": {"weeks": WEEKS, "n_complete": 5, "statistic": 14.3, "df": 3,
                         "p_value": 0.002524, "p_value_exact": 0.000412, "kendall_w": 0.9533,
                         "method": "exact permutation (complete enumeration)",
                         "note": "P05 and P06 excluded: incomplete"},
            "skillings_mack": {"weeks": WEEKS, "n": 6, "statistic": 12.9, "df": 3,
                               "p_value": 0.00486},
            "vs_baseline": {
                w: {"n_pairs": by_week[w]["n"], "n_nonzero": by_week[w]["n"],
                    "median_difference": by_week[w]["median"] - by_week["0"]["median"],
                    "hodges_lehmann": -2.5 * (i + 1), "ci95": [-5.0 * (i + 1), -1.0],
                    "wilcoxon_v": 0.0, "p_value_exact": 0.0625 / (i + 1),
                    "p_value_asymptotic": 0.0422 / (i + 1),
                    "p_adjusted": min(1.0, 0.0625 / (i + 1) * (3 - i)), "t": -4.1,
                    "df": by_week[w]["n"] - 1, "p_value_t": 0.0094, "mean_difference": -2.2,
                    "min_attainable_p": 2 / 2 ** by_week[w]["n"],
                    "note": ("with 5 pairs the exact test cannot reach p < 0.05"
                             if by_week[w]["n"] == 5 else None)}
                for i, w in enumerate(WEEKS[1:])},
            "mixed_model": {"weeks": WEEKS, "n_patients": 6, "n_observations": 23,
                            "estimates": {w: {"estimate": -1.5 * (i + 1), "se": 0.61,
                                              "ci95": [-1.5 * (i + 1) - 1.2, -1.5 * (i + 1) + 1.2],
                                              "p_value": 0.014 / (i + 1)}
                                          for i, w in enumerate(WEEKS[1:])}},
        }
    outcomes["cmas_total"]["mixed_model"] = None
    patients = []
    for pid, drug, mg_day, weight, weeks in _PATIENTS:
        last = weeks[-1]
        patients.append({
            "patient_id": pid, "jaki_drug": drug, "jaki_mg_day": mg_day,
            "jaki_mg_kg_day": mg_day / weight, "weight_kg": weight,
            "last_week": float(WEEKS[len(weeks) - 1]),
            "baseline": {"das_skin": weeks[0][0], "cmas_total": weeks[0][1],
                         "mmt8_total": weeks[0][2]},
            "last": {"das_skin": last[0], "cmas_total": last[1], "mmt8_total": last[2]},
            "response_last": last[5], "adverse_events": {"P01": 2, "P03": 1, "P04": 1}.get(pid, 0),
        })
    events = [
        {"patient_id": "P01", "week": 6.0, "term": "Upper respiratory tract infection",
         "category": "infection", "ctcae_grade": 1, "serious": False},
        {"patient_id": "P01", "week": 15.0, "term": "Upper respiratory tract infection",
         "category": "infection", "ctcae_grade": 1, "serious": False},
        {"patient_id": "P03", "week": 9.0, "term": "Herpes zoster", "category": "infection",
         "ctcae_grade": 2, "serious": True},
        {"patient_id": "P04", "week": 14.0, "term": "Alanine aminotransferase increased",
         "category": "laboratory", "ctcae_grade": 1, "serious": False},
    ]
    py = 132 / (365.25 / 7)
    lo, hi = float(stats.chi2.ppf(0.025, 8) / 2), float(stats.chi2.ppf(0.975, 10) / 2)
    mg_kg = [mg / w for _p, _d, mg, w, _r in _PATIENTS]
    results: dict[str, Any] = {
        "schema_version": 1,
        "software": {"name": "jdmtrack", "version": "0.1.0"},
        "generated": "2025-01-31T10:00:00+00:00",
        "input": {"sha256": "ab" * 32, "files": [
            {"table": "patients", "path": "cohort/patients.csv", "sheet": None, "sha256": "cd" * 32},
            {"table": "visits", "path": "cohort/visits.csv", "sheet": None, "sha256": "ef" * 32}]},
        "settings": {"quantile_method": 6, "alpha": 0.05, "weeks": [0, 4, 12, 24],
                     "p_adjust": "holm", "resamples": 10000, "seed": 1, "tis_core_set": "imacs",
                     "tis_population": "juvenile", "refractory_definition": "study_b",
                     "dose_reference": "fixture table"},
        "cohort": {"n_patients": 6, "n_visits": 23, "weeks_observed": [0, 4, 12, 24],
                   "visits_per_week": {"0": 6, "4": 6, "12": 6, "24": 5},
                   "followup_weeks": _describe([24, 24, 24, 24, 24, 12]),
                   "missing": {"cmas_total": {"0": 0, "4": 1, "12": 0, "24": 0},
                               "mmt8_total": {"0": 0, "4": 1, "12": 0, "24": 0},
                               "das_skin": {"0": 0, "4": 0, "12": 0, "24": 0}}},
        "baseline": {
            "age_start_years": {"type": "continuous", "label": "Age at JAKi start, years",
                                **_describe([7.1, 5.2, 12.4, 4.0, 9.3, 8.8]), "missing": 0},
            "sex": {"type": "categorical", "label": "Sex", "n": 6, "missing": 0,
                    "counts": {"F": 4, "M": 2}, "percent": {"F": 400 / 6, "M": 200 / 6}},
            "jaki_drug": {"type": "categorical", "label": "JAK inhibitor", "n": 6, "missing": 0,
                          "counts": {"baricitinib": 3, "tofacitinib": 2, "ruxolitinib": 1},
                          "percent": {"baricitinib": 50.0, "tofacitinib": 200 / 6,
                                      "ruxolitinib": 100 / 6}},
            "disease_months": {"type": "continuous", "label": "Diagnosis to JAKi, months",
                               **_describe([16.0, 8.5, 35.0, 12.0, 20.5]), "missing": 1},
            "ild": {"type": "categorical", "label": "Interstitial lung disease", "n": 6,
                    "missing": 0, "counts": {"yes": 1, "no": 5},
                    "percent": {"yes": 100 / 6, "no": 500 / 6}},
        },
        "outcomes": outcomes,
        "criteria": {
            "printo_cid": {"4": _proportion(0, 5), "12": _proportion(1, 6),
                           "24": _proportion(3, 5)},
            "skin_inactive": {"4": _proportion(0, 6), "12": _proportion(2, 6),
                              "24": _proportion(3, 5)},
            "rash_improved": {"4": _proportion(5, 6), "12": _proportion(6, 6),
                              "24": _proportion(5, 5)},
            "tis": {"4": {"n": 5, "median": 20.0, "q1": 10.0, "q3": 32.5, "none": 2,
                          "minimal": 2, "moderate": 1, "major": 0},
                    "12": {"n": 6, "median": 42.5, "q1": 27.5, "q3": 62.5, "none": 0,
                           "minimal": 2, "moderate": 3, "major": 1},
                    "24": {"n": 5, "median": 62.5, "q1": 45.0, "q3": 75.0, "none": 0,
                           "minimal": 1, "moderate": 1, "major": 3}},
        },
        "response": {"4": _response({"CR": 0, "PR": 1, "NR": 4}, 1),
                     "12": _response({"CR": 1, "PR": 3, "NR": 2}, 0),
                     "24": _response({"CR": 3, "PR": 1, "NR": 1}, 0)},
        "time_to_event": {
            "rash_improvement": {
                "n": 6, "events": 5, "median_weeks": 3.5, "ci95": [1.5, None], "q1_weeks": 2.0,
                "q3_weeks": 8.0,
                "curve": {"time": [1.5, 2.0, 3.0, 4.0, 8.0, 12.0],
                          "survival": [5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6, 1 / 6],
                          "n_risk": [6, 5, 4, 3, 2, 1]}},
            "cs_discontinuation": {
                "n": 6, "events": 0, "median_weeks": None, "ci95": [None, None],
                "q1_weeks": None, "q3_weeks": None,
                "curve": {"time": [12.0, 24.0], "survival": [1.0, 1.0], "n_risk": [6, 5]}},
        },
        "safety": {
            "n_events": 4, "n_patients": 3, "n_exposed": 6, "patient_years": py,
            "rate_per_100py": 400 / py, "rate_ci95": [100 * lo / py, 100 * hi / py],
            "by_category": {"infection": {"events": 3, "patients": 2},
                            "laboratory": {"events": 1, "patients": 1}},
            "serious": 1, "by_grade": {"1": 3, "2": 1}, "events": events,
            "by_term": ae_by_term(pd.DataFrame(events), 132.0, 6),
        },
        "dosing": {"jaki_mg_kg_day": _describe(mg_kg), "jaki_mg_day": _describe(
            [p[2] for p in _PATIENTS]), "below_reference": ["P02"], "above_maximum": [],
            "reference": "Fixture reference table (test data)",
            "by_drug": {"baricitinib": 3, "tofacitinib": 2, "ruxolitinib": 1},
            "reference_bands": [
                {"drug": "baricitinib", "weight_min_kg": 10, "weight_max_kg": 30,
                 "egfr_min": 60, "egfr_max": None, "recommended": True, "reference_mg_day": 2,
                 "maximum_mg_day": 2, "reference_mg_kg_day": None, "maximum_mg_kg_day": None,
                 "source": "fixture"},
                {"drug": "baricitinib", "weight_min_kg": 30, "weight_max_kg": None,
                 "egfr_min": 60, "egfr_max": None, "recommended": True, "reference_mg_day": 4,
                 "maximum_mg_day": 4, "reference_mg_kg_day": None, "maximum_mg_kg_day": None,
                 "source": "fixture"},
                {"drug": "baricitinib", "weight_min_kg": 30, "weight_max_kg": None,
                 "egfr_min": 30, "egfr_max": 60, "recommended": True, "reference_mg_day": 2,
                 "maximum_mg_day": 2, "reference_mg_kg_day": None, "maximum_mg_kg_day": None,
                 "source": "fixture: reduced renal function, not drawn"},
                {"drug": "tofacitinib", "weight_min_kg": None, "weight_max_kg": 25,
                 "egfr_min": None, "egfr_max": None, "recommended": True, "reference_mg_day": 5,
                 "maximum_mg_day": 15, "reference_mg_kg_day": None, "maximum_mg_kg_day": None,
                 "source": "fixture"},
                {"drug": "tofacitinib", "weight_min_kg": 25, "weight_max_kg": None,
                 "egfr_min": None, "egfr_max": None, "recommended": True, "reference_mg_day": 10,
                 "maximum_mg_day": 15, "reference_mg_kg_day": None, "maximum_mg_kg_day": None,
                 "source": "fixture"}]},
        "patients": patients,
        "methods": [
            "Quartiles were computed by Hyndman–Fan type 6 (as SPSS and Prism).",
            "Each week was compared with week 0 by the exact Wilcoxon signed-rank test "
            "(zeros dropped); p-values were Holm-adjusted across weeks of one measure.",
            "Proportions carry Clopper–Pearson 95% confidence intervals.",
        ],
        "warnings": [
            {"code": "item_missing", "table": "visits", "column": "cmas_04",
             "message": "CMAS total left missing: cmas_04 is missing", "count": 2,
             "kind": "quality", "examples": [{"patient_id": "P05", "week": 4.0, "row": 7},
                                             {"patient_id": "P06", "week": 0.0, "row": 9}]},
            {"code": "dose_underivable", "table": "visits", "column": "weight_kg",
             "message": "JAKi dose per kg needs weight <b>", "count": 1, "kind": "quality",
             "examples": [{"patient_id": "P06", "week": 12.0, "row": 12}]},
            {"code": "followup_short", "table": "patients", "column": None,
             "message": "Follow-up ends at week 12", "count": 1, "kind": "quality",
             "examples": [{"patient_id": "P06", "week": None, "row": 3}]},
            {"code": "tis_measure_missing", "table": "visits", "column": "ptga_cm",
             "message": "TIS not evaluable: ptga_cm missing at this visit", "count": 5,
             "kind": "completeness", "examples": [{"patient_id": "P01", "week": 4.0, "row": 3}]},
        ],
    }
    if demo:
        results["demo"] = {"name": "fixture", "synthetic": True, "published": [
            {"label": "Response at week 24, CR", "printed": "15 (75%)", "reproduced": 3,
             "reproduced_text": "3 (60%)", "match": False, "note": "fixture, not study B"},
            {"label": "Skin-DAS week 0", "printed": "6.0 (4.0–7.3)", "reproduced": 6.0,
             "reproduced_text": None, "match": True, "note": None},
        ]}
    json.dumps(results, allow_nan=False)
    return results


@pytest.fixture
def results() -> dict[str, Any]:
    return make_results()


@pytest.fixture
def visits() -> pd.DataFrame:
    return make_visits()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    """The fixture report rendered once (rendering takes about a second)."""
    from jdmtrack.report import render_report

    out = tmp_path_factory.mktemp("report")
    results = make_results()
    files = render_report(copy.deepcopy(results), make_visits(), Path(out))
    return results, files


DEMOS = ("baricitinib", "tofacitinib-ruxolitinib")


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each bundled demo's report folder, written once by ``jdmtrack report --demo``
    (1000 permutations instead of the default: the figures and tables are the same), with
    ``--pdf`` for the first demo when Chromium is installed."""
    from click.testing import CliRunner

    from jdmtrack.cli import main
    from jdmtrack.report.pdf import find_chromium

    out: dict[str, Path] = {}
    for name in DEMOS:
        folder = tmp_path_factory.mktemp(f"demo-{name}")
        pdf = ["--pdf"] if name == DEMOS[0] and find_chromium() is not None else []
        done = CliRunner().invoke(main, ["report", "--demo", name, "--resamples", "1000",
                                         *pdf, "-o", str(folder)])
        assert done.exit_code == 0, done.output
        out[name] = folder
    return out
