"""The multi-site table (issue 14 item 4): the nested mixed model and the heterogeneity
statement per outcome measure, as the typed results hold them (``Results.site_models``).

The statistics are pinned elsewhere (``nested_mixed_model`` against lme4 in
tests/stats/test_stats_nested_mixed.py; the statement in tests/analysis/test_analysis_sites.py):
these tests check that the table prints the results' numbers, at full precision behind each
cell, under dictionary labels, with a footnote where a model was not fitted.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pandas as pd
import pytest
from report_codes import cells_of, raw_codes_in

import jdmtrack
from jdmtrack.demo import generate_synthetic, path
from jdmtrack.report import format as f
from jdmtrack.report.context import Context
from jdmtrack.report.tables_sites import HEADER, TITLE, site_models_table
from jdmtrack.results import Results
from jdmtrack.results.site_models import read_site_models

COLUMN = {name: i for i, name in enumerate(HEADER)}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """120 synthetic patients in 3 sites (the generator makes one site per 40 patients)."""
    folder = generate_synthetic(120, 7, tmp_path_factory.mktemp("synthetic"))
    measures = ("das_skin", "cmas_total", "phga_cm", "ck_u_l", "cs_mg_kg_day")
    return jdmtrack.analyze(folder, measures=measures)


@pytest.fixture(scope="module")
def two_sites():
    """Study B's imitation in two sites of 10 patients: B01-B10 at A, the others at B."""
    visits, patients = (pd.read_csv(path("baricitinib") / f"{name}.csv",
                                    dtype={"patient_id": str}) for name in ("visits", "patients"))
    patients["site"] = patients["patient_id"].str[1:].astype(int).gt(10).map({False: "A",
                                                                               True: "B"})
    return visits, patients


def _rows(table):
    return {row[0].text: row for row in table.rows}


def test_cells_are_the_results_numbers(synthetic):
    data = synthetic.to_dict()
    ctx = Context.of(synthetic)
    table = site_models_table(ctx)
    assert table is not None and table.title == TITLE and table.header == HEADER
    rows = _rows(table)
    assert len(rows) == len(data["sites"]["mixed_model"]) == 5
    for measure, model in data["sites"]["mixed_model"].items():
        h = data["sites"]["heterogeneity"][measure]
        row = rows[ctx.label(measure)]
        d = f.decimals_for(measure)
        assert model["not_run"] is None
        last = max(model["estimates"], key=lambda e: e["week"])
        assert row[COLUMN["Last week"]].text == f"Week {last['week']:g}"
        assert row[COLUMN["Change from week 0 (95% CI)"]].text == (
            f"{f.fmt_number(last['estimate'], d)} "
            f"({f.fmt_number(last['ci_low'], d)} to {f.fmt_number(last['ci_high'], d)})")
        for column, key in (("SD site", "sd_site"), ("SD patient within site", "sd_patient"),
                            ("SD residual", "sd_residual")):
            cell = row[COLUMN[column]]
            assert cell.value == model[key] and cell.text == f.fmt_number(model[key], d)
        share = row[COLUMN["Site share of variance"]]
        assert share.value == h["site_variance_share"]
        assert share.text == f.fmt_pct(100 * h["site_variance_share"], ctx.pct_decimals)
        assert row[COLUMN["p, site × week"]].value == h["course_p_value"]
        assert row[COLUMN["p, sites at week 0"]].value == h["baseline_level_p_value"]
        assert row[COLUMN["Heterogeneity"]].text == h["statement"]
    # no raw code: every row is labelled from the field dictionary, none is a column name
    assert not set(rows) & set(data["sites"]["mixed_model"])
    assert raw_codes_in([c.text for row in table.rows for c in row]) == []


def test_a_row_by_hand(two_sites):
    """Skin-DAS, two sites of 10 (lme4-equivalent fit, pinned in tests/stats): SDs 0.51774
    (site), 1.47900 (patient in site), 1.24120 (residual), so the site share is
    0.26806 / (0.26806 + 2.18743 + 1.54057) = 0.26806 / 3.99606 = 0.0671 -> "7%" (whole
    percentages below 100 patients); week 24 effect -5.05 (-5.819 to -4.281) -> "−5.1 (−5.8
    to −4.3)" at 1 decimal, rounded half away from zero."""
    visits, patients = two_sites
    table = site_models_table(Context.of(jdmtrack.analyze(visits, patients=patients,
                                                          measures=["das_skin"])))
    assert table is not None
    row = [c.text for c in _rows(table)["Skin-DAS (0–9)"]]
    assert row[1:8] == ["Week 24", "−5.1 (−5.8 to −4.3)", "0.5", "1.5", "1.2", "7%", "0.936"]
    assert _rows(table)["Skin-DAS (0–9)"][6].value == pytest.approx(0.0671, abs=5e-5)


def test_no_table_without_sites():
    results = jdmtrack.analyze(path("baricitinib"))  # one site
    assert results.site_models == {} and site_models_table(Context.of(results)) is None


def test_not_run_model_is_a_footnote(two_sites):
    visits, patients = two_sites
    flat = visits.copy()
    flat["chaq"] = 1.0  # every value the same: no variation to model
    results = jdmtrack.analyze(flat, patients=patients, measures=["chaq", "das_skin"])
    model = results.site_models["chaq"].mixed_model
    assert model is not None and model.not_run == results.to_dict()["sites"]["mixed_model"][
        "chaq"]["not_run"]
    ctx = Context.of(results)
    table = site_models_table(ctx)
    assert table is not None
    row = _rows(table)[ctx.label("chaq")]
    assert [c.text for c in row[1:7]] == [f.MISSING] * 6
    assert (f"{ctx.label('chaq')}, nested mixed model: not run (every value is the same: "
            "there is no variation to model).") in table.notes
    assert _rows(table)[ctx.label("das_skin")][2].text != f.MISSING


def test_report_shows_the_table_and_the_methods_name_the_model(two_sites, tmp_path):
    visits, patients = two_sites
    results = jdmtrack.analyze(visits, patients=patients, measures=["das_skin", "cmas_total"])
    jdmtrack.report(results, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert TITLE in html
    methods = html[html.index('id="methods"'):]
    assert "site as a random effect and patients nested in site" in methods
    assert "lme4::lmer(y ~ factor(week) + (1 | site/patient))" in methods
    assert raw_codes_in(cells_of(html[html.index(TITLE):html.index('id="methods"')])) == []


def test_typed_reader_survives_a_hand_edited_file():
    """Wrong kinds read as None, never raise; the reason may be text or {reason: ...}."""
    models = read_site_models({"sites": {
        "mixed_model": {"a": {"estimates": [{"week": "x"}, 3, {"week": 4, "estimate": "y"}],
                              "sd_site": "big", "not_run": {"reason": "n = 1"}},
                        "b": []},
        "heterogeneity": {"a": {"heterogeneous": "yes", "statement": 7},
                          "c": {"course_p_value": 0.5}}}})
    assert set(models) == {"a", "c"}
    a = models["a"].mixed_model
    assert a is not None and a.not_run == "n = 1" and a.sd_site is None
    assert [e.week for e in a.effects] == ["4"] and a.last_effect.estimate is None
    h = models["a"].heterogeneity
    assert h is not None and h.heterogeneous is None and h.statement is None
    assert models["c"].mixed_model is None and models["c"].heterogeneity.course_p_value == 0.5
    assert Results.from_dict({"sites": {"mixed_model": {"a": {}}}}).site_models["a"].measure == "a"


def test_table_module_reads_only_typed_results():
    """tables_sites renders from ``ctx.typed`` only (issue 14 item 5): no dict-walking
    helper imported, no ``ctx.results``/``ctx.section``/``typed.data`` read."""
    tree = ast.parse(Path(inspect.getfile(site_models_table)).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not imported & {"dig", "section_of", "printable_tree"}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not attributes & {"results", "section", "data"}
