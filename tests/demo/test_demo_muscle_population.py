"""Study B's muscle figures from `jdmtrack analyze DEMO --where muscle_involvement=yes`.

Study B (Wang 2022) prints CMAS and MMT-8 for its 7 patients with muscle involvement,
median (Q1-Q3): CMAS week 0 41.0 (29.0-44.0), week 12 46.0 (42.0-52.0), p < 0.023,
week 24 50.0 (45.0-52.0), p < 0.006; MMT-8 week 0 73.0 (61.0-76.0), week 24 79.0
(77.0-80.0), p < 0.011. These must be at the top level of the results file of that
population, with n = 7 at week 0.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

from jdmtrack import demo
from jdmtrack.analysis.published import lookup
from jdmtrack.cli import main

# (path in the results file, printed figure, decimals printed) -- typed from the paper.
PRINTED = [
    ("outcomes.cmas_total.by_week.0.median", "41.0"),
    ("outcomes.cmas_total.by_week.0.q1", "29.0"),
    ("outcomes.cmas_total.by_week.0.q3", "44.0"),
    ("outcomes.cmas_total.by_week.12.median", "46.0"),
    ("outcomes.cmas_total.by_week.12.q1", "42.0"),
    ("outcomes.cmas_total.by_week.12.q3", "52.0"),
    ("outcomes.cmas_total.by_week.24.median", "50.0"),
    ("outcomes.cmas_total.by_week.24.q1", "45.0"),
    ("outcomes.cmas_total.by_week.24.q3", "52.0"),
    ("outcomes.mmt8_total.by_week.0.median", "73.0"),
    ("outcomes.mmt8_total.by_week.0.q1", "61.0"),
    ("outcomes.mmt8_total.by_week.0.q3", "76.0"),
    ("outcomes.mmt8_total.by_week.24.median", "79.0"),
    ("outcomes.mmt8_total.by_week.24.q1", "77.0"),
    ("outcomes.mmt8_total.by_week.24.q3", "80.0"),
]


def _printed_as(value: float, printed: str) -> bool:
    exponent = Decimal(printed).as_tuple().exponent
    places = Decimal(1).scaleb(int(exponent))
    return Decimal(repr(float(value))).quantize(places, ROUND_HALF_UP) == Decimal(printed)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("muscle") / "out.json"
    run = CliRunner().invoke(main, ["analyze", str(demo.path("baricitinib")),
                                    "--where", "muscle_involvement=yes", "--json", str(out)])
    assert run.exit_code == 0, run.output
    assert "7 patients (population muscle_involvement=yes: 7 of 20)" in run.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_population_is_the_seven(results):
    assert results["cohort"]["n_patients"] == 7
    assert results["settings"]["population"]["n_patients"] == 7
    assert results["settings"]["population"]["n_source_patients"] == 20
    assert results["settings"]["where"] == ["muscle_involvement=yes"]
    assert "muscle_involvement=yes (n = 7 of 20)" in results["methods"][0]
    for measure in ("cmas_total", "mmt8_total"):
        assert results["outcomes"][measure]["by_week"]["0"]["n"] == 7


@pytest.mark.parametrize(("path", "printed"), PRINTED)
def test_printed_figure(results, path, printed):
    assert _printed_as(lookup(results, path), printed), (path, lookup(results, path))


def test_p_values_against_the_printed_bounds(results):
    """CMAS week 12: printed p < 0.023, and the exact two-sided signed-rank p of seven
    patients who all improved is 2 / 2**7 = 0.015625 (every sign pattern equally likely;
    only all-plus and all-minus are as extreme). The same floor is all that 7 patients can
    give for CMAS week 24 (printed p < 0.006) and MMT-8 week 24 (p < 0.011): those two
    printed bounds are below what any exact test on 7 patients can reach."""
    cmas, mmt8 = results["outcomes"]["cmas_total"], results["outcomes"]["mmt8_total"]
    assert cmas["vs_baseline"]["12"]["p_value_exact"] < 0.023
    for p in (cmas["vs_baseline"]["24"]["p_value_exact"],
              mmt8["vs_baseline"]["24"]["p_value_exact"]):
        assert p == pytest.approx(2 / 2**7, abs=1e-12)


def test_every_muscle_entry_of_the_demo_table_is_at_the_top_level(results):
    """The demo's published.json: each reproducible figure of the muscle subgroup matches
    the population's own results, without any subgroup path."""
    entries = [f for f in demo.published("baricitinib")
               if f.subgroup == ("muscle_involvement", "yes") and f.path and f.reproducible]
    assert len(entries) >= 16
    for f in entries:
        got = lookup(results, f.path)
        if f.statistic == "upper_bound":
            assert got < f.value, f.id
        else:
            assert _printed_as(got, f.printed), (f.id, got)


def test_muscle_involvement_count_in_table_1():
    """Whole cohort: 7 of 20 with muscle involvement (study B), 10 of 25 with decreased
    muscle strength (study A)."""
    for name, n, total in (("baricitinib", 7, 20), ("tofacitinib-ruxolitinib", 10, 25)):
        from jdmtrack.analysis import analyze
        from jdmtrack.pipeline import load_cohort, score_cohort

        base = analyze(score_cohort(load_cohort(demo.path(name))),
                       sections=["baseline"])["baseline"]["muscle_involvement"]
        assert base["counts"] == {"yes": n, "no": total - n}
        assert base["percent"]["yes"] == pytest.approx(100 * n / total)


def test_synthetic_cohort_records_muscle_involvement(tmp_path):
    """The synthetic generator writes muscle_involvement from its latent muscle activity
    (no extra random draw): the involved have the weaker week-0 CMAS."""
    from jdmtrack.analysis.population import select
    from jdmtrack.demo import generate_synthetic
    from jdmtrack.pipeline import load_cohort, score_cohort

    cohort = load_cohort(generate_synthetic(200, 7, tmp_path / "syn"))
    assert set(cohort.patients["muscle_involvement"].dropna()) == {True, False}
    medians = []
    for value in ("yes", "no"):
        part, population = select(cohort, [f"muscle_involvement={value}"])
        visits = score_cohort(part).visits
        medians.append(visits.loc[visits["week"] == 0, "cmas_total"].median())
        assert population.n_patients == int((cohort.patients["muscle_involvement"]
                                             == (value == "yes")).sum())
    assert medians[0] < medians[1]
