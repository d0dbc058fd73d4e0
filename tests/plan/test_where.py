"""--where on the pilot: the analysis's population conditions pick whom a study resamples."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.errors import SettingsError
from jdmtrack.plan import plan
from jdmtrack.plan.pilot import load_pilot

DEMO = Path(str(resources.files("jdmtrack") / "data" / "demo" / "baricitinib"))


def _csv(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cmas_by_patient(ids: set[str]) -> set[tuple[float, ...]]:
    """CMAS at weeks 0, 4, 12, 24 of the given patients, from visits.csv: the total is the
    sum of the 14 item scores cmas_01..cmas_14 (Lovell 1999, range 0-52)."""
    rows: dict[str, dict[float, float]] = {}
    items = [f"cmas_{i:02d}" for i in range(1, 15)]
    for v in _csv("visits.csv"):
        if v["patient_id"] in ids and all(v[c] for c in items):
            total = sum(float(v[c]) for c in items)
            rows.setdefault(v["patient_id"], {})[float(v["week"])] = total
    return {tuple(r.get(w, np.nan) for w in (0.0, 4.0, 12.0, 24.0)) for r in rows.values()}


def test_where_keeps_exactly_the_patients_meeting_the_condition():
    """patients.csv read directly: 7 of the 20 have muscle_involvement = yes."""
    yes = {p["patient_id"] for p in _csv("patients.csv") if p["muscle_involvement"] == "yes"}
    assert len(yes) == 7
    pilot = load_pilot(DEMO, "cmas_change", ["muscle_involvement=yes"])
    assert pilot.n_patients == 7 and pilot.n_source_patients == 20
    assert pilot.population == "muscle_involvement=yes" and pilot.restricted
    assert {tuple(r) for r in pilot.values.tolist()} == _cmas_by_patient(yes)
    everyone = load_pilot(DEMO, "cmas_change")
    assert everyone.n_patients == 20 and not everyone.restricted


def test_conditions_are_joined_by_and():
    rows = _csv("patients.csv")
    both = {p["patient_id"] for p in rows
            if p["muscle_involvement"] == "yes" and float(p["age_start_years"]) >= 6.5}
    pilot = load_pilot(DEMO, "cmas_change", ["muscle_involvement=yes", "age_start_years>=6.5"])
    assert pilot.n_patients == len(both) == 3
    assert pilot.population == "muscle_involvement=yes AND age_start_years>=6.5"


def test_restricting_to_muscle_involvement_raises_cmas_power():
    """The patients without muscle involvement keep their CMAS (13 of 20 unchanged at 0 or
    a flat score), diluting the change: without them every resampled change is positive."""
    kw = dict(pilot=DEMO, endpoint="cmas_change", n=[10], sims=300, seed=3, progress=False)
    restricted = plan(where=["muscle_involvement=yes"], **kw)
    everyone = plan(**kw)
    assert restricted.grid[0].power == 1.0  # 10 positive changes: p = 2 / 2^10 < 0.05
    assert everyone.grid[0].power < 0.9
    assert restricted.settings["pilot_population"] == "muscle_involvement=yes"
    assert restricted.settings["pilot_patients"] == 7
    assert restricted.settings["pilot_source_patients"] == 20
    assert "7 of its 20 patients, those with muscle_involvement=yes" in restricted.effect_source


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (["muscle=yes"], "no patient field 'muscle'"),
        (["muscle_involvement=maybe"], "expected one of yes, no"),
        (["jaki_drug in foo;bar"], "expected one of tofacitinib, ruxolitinib, baricitinib"),
        (["sex"], "expected FIELD=VALUE"),
        (["age_start_years<abc"], "'abc' is not a number"),
        (["age_start_years>100"], "has no patient"),
        (["sex in F;;M"], "an empty value"),
        (["\x00"], "expected FIELD=VALUE"),
        (["muscle=yes", "sex=Q"], "no patient field 'muscle'"),
    ],
)
def test_bad_conditions_are_clear_errors(where, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        plan(pilot=DEMO, endpoint="cmas_change", where=where, n=[10], sims=10, progress=False)


def test_every_bad_condition_is_named_at_once():
    with pytest.raises(SettingsError) as err:
        load_pilot(DEMO, "cmas_change", ["muscle=yes", "sex=Q"])
    assert "muscle" in str(err.value) and "'Q' is not a code of sex" in str(err.value)


def test_where_without_pilot_is_refused():
    with pytest.raises(SettingsError, match="go with --pilot"):
        plan(test="wilcoxon", effect=1.0, sd=1.0, where=["sex=F"], n=[10], sims=10)


def test_cli_where_states_population_in_paragraph_and_table(tmp_path: Path):
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--pilot", str(DEMO), "--endpoint", "cmas_change",
                                       "--sites", "8", "--where", "muscle_involvement=yes",
                                       "--n", "10,20", "--sims", "100", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    paragraph = (out / "protocol.md").read_text()
    assert "the 7 of 20 pilot patients with muscle_involvement=yes were resampled" in paragraph
    with (out / "power.csv").open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [r["pilot_population"] for r in table] == ["muscle_involvement=yes"] * 2
    assert [r["pilot_n"] for r in table] == ["7", "7"]


def test_cli_without_where_says_all_pilot_patients(tmp_path: Path):
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--pilot", str(DEMO), "--endpoint", "cmas_change",
                                       "--n", "10", "--sims", "50", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "all 20 patients of the pilot cohort were resampled" in (out / "protocol.md").read_text()


@pytest.mark.parametrize("where", ["muscle=yes", "muscle_involvement=maybe", "", "=", "a in ",
                                   "age_start_years>=1e999x", "site in ;"])
def test_cli_hostile_where_exits_1_without_traceback(where):
    result = CliRunner().invoke(main, ["plan", "--pilot", str(DEMO), "--endpoint", "cmas_change",
                                       "--where", where, "--n", "10", "--sims", "10"])
    assert result.exit_code == 1, result.output
    assert "Error" in result.stderr and "Traceback" not in result.stderr


def test_paragraph_bounds_a_power_of_one_by_the_rule_of_three():
    """7 patients who all improved: every study of 10 has 10 positive changes, p = 2/2^10,
    so power is 1 and its MC SE 0; 300 studies bound it by 1 - 3/300 = 0.99 (rule of three)."""
    from jdmtrack.plan.output import protocol_paragraph

    result = plan(pilot=DEMO, endpoint="cmas_change", where=["muscle_involvement=yes"],
                  n=[10], sims=300, seed=3, progress=False)
    assert result.grid[0].power == 1.0 and result.grid[0].mc_se == 0.0
    text = protocol_paragraph(result)
    assert "At n = 10 every simulated study was significant" in text
    assert "above 0.9900 with 95% confidence (rule of three)" in text
    assert "rule of three" not in protocol_paragraph(plan(
        pilot=DEMO, endpoint="cmas_change", n=[10], sims=300, seed=3, progress=False))


@pytest.mark.parametrize("where", [123, [1], [None], {"a": 1}])
def test_api_where_of_the_wrong_type_is_a_settings_error(where):
    with pytest.raises(SettingsError, match="where must be a condition text"):
        plan(pilot=DEMO, endpoint="cmas_change", where=where, n=[10], sims=10, progress=False)
