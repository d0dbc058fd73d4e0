"""The ``tofacitinib-ruxolitinib`` demo cohort against study A (Ding et al., Ann Rheum Dis
2021;80:543): the figures without a results-file key, computed directly from the CSVs,
and the story the letter tells (relapse, escalation, steroid stops).

Figures with a results-file key are checked in test_demo_published.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

NAME = "tofacitinib-ruxolitinib"
MONTHS_PER_WEEK = 7 * 12 / 365.25


@pytest.fixture(scope="module")
def t(demo_tables):
    return demo_tables(NAME)


@pytest.fixture(scope="module")
def o(oracle):
    return oracle(NAME)


def _events(t, event):
    e = t["events"]
    return pd.to_numeric(e.loc[e["event"] == event, "week"]).to_numpy()


def _pairs(o, column, ids):
    before = pd.to_numeric(o.week(0)[column]).reindex(ids)
    after = pd.to_numeric(o.week(24)[column]).reindex(ids)
    keep = before.notna() & after.notna()
    return before[keep].to_numpy(), after[keep].to_numpy()


def _group(t, column, value):
    p = t["patients"]
    return list(p.loc[p[column] == value, "patient_id"])


def _enzymes_high(o):
    """Patients with CK or LDH above its upper limit at week 0 (jdmtrack's derived
    enzymes_high_start), recomputed here from the visits."""
    w0 = o.week(0)
    return list(w0.index[_abnormal(w0).to_numpy()])


def _cmas_course(o, course):
    """Patients whose week-24 CMAS is above (improved) or equal to (unchanged) week 0's."""
    before, after = pd.to_numeric(o.week(0)["cmas_total"]), pd.to_numeric(o.week(24)["cmas_total"])
    both = before.notna() & after.reindex(before.index).notna()
    diff = (after.reindex(before.index) - before)[both]
    return list(diff.index[(diff > 0) if course == "improved" else (diff == 0)])


def spss_wilcoxon(before, after):
    """SPSS's two-sided signed-rank p: normal approximation, tie-corrected variance, no
    continuity correction, zeros dropped."""
    d = after - before
    d = d[d != 0]
    n = len(d)
    ranks = pd.Series(np.abs(d)).rank().to_numpy()
    _, ties = np.unique(ranks, return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - (ties**3 - ties).sum() / 48
    z = (ranks[d > 0].sum() - n * (n + 1) / 4) / math.sqrt(var)
    return math.erfc(abs(z) / math.sqrt(2))


def _abnormal(frame):
    return ((pd.to_numeric(frame["ck_u_l"]) > pd.to_numeric(frame["ck_uln_u_l"]))
            | (pd.to_numeric(frame["ldh_u_l"]) > pd.to_numeric(frame["ldh_uln_u_l"])))


def _persistent(o):
    labs = o.v[o.v["ck_u_l"].notna()].copy()
    labs["abnormal"] = _abnormal(labs).to_numpy()
    return float(labs.groupby("patient_id")["abnormal"].all().sum())


def _duration_months(t):
    p = t["patients"]
    weeks = pd.to_numeric(p["jaki_stop_week"]).fillna(pd.to_numeric(p["followup_weeks"]))
    return weeks.to_numpy() * MONTHS_PER_WEEK


def _band(o, weight_ok, mg):
    w0 = o.week(0)
    return float(((weight_ok(pd.to_numeric(w0["weight_kg"])))
                  & (pd.to_numeric(w0["jaki_mg_per_dose"]) == mg)
                  & (pd.to_numeric(w0["jaki_doses_per_day"]) == 2)).sum())


def _rises(t, o):
    ids = _enzymes_high(o)
    before, after = _pairs(o, "ldh_u_l", ids)
    return sorted((b, a) for b, a in zip(before, after, strict=True) if a > b)


EXPLICIT = {
    "rash_start_n": lambda t, o, h: float((o.week(0)["rash"] == "yes").sum()),
    "ae_thromboembolic":
        lambda t, o, h: float((t["adverse_events"]["category"] == "thromboembolic").sum()),
    "jaki_duration_min": lambda t, o, h: float(_duration_months(t).min()),
    "jaki_duration_max": lambda t, o, h: float(_duration_months(t).max()),
    "dose_light_n": lambda t, o, h: _band(o, lambda w: w < 25, 2.5),
    "dose_heavy_n": lambda t, o, h: _band(o, lambda w: w >= 25, 5.0),
    "dose_max_mg": lambda t, o, h: float(np.nanmax(h.num(t["visits"]["jaki_mg_per_dose"]))),
    "dose_max_n": lambda t, o, h: float(
        t["visits"].loc[h.num(t["visits"]["jaki_mg_per_dose"]) == 7.5, "patient_id"].nunique()),
    "rash_start_pct": lambda t, o, h: 100 * float((o.week(0)["rash"] == "yes").mean()),
    "rash_resolution_pct": lambda t, o, h: 100 * len(_events(t, "rash_resolution")) / 24,
    "rash_resolution_median": lambda t, o, h: h.type6(_events(t, "rash_resolution"))["median"],
    "rash_resolution_q1": lambda t, o, h: h.type6(_events(t, "rash_resolution"))["q1"],
    "rash_resolution_q3": lambda t, o, h: h.type6(_events(t, "rash_resolution"))["q3"],
    "cs_stopped_pct": lambda t, o, h: 100 * len(_events(t, "cs_discontinuation")) / 25,
    "relapse_clear_week": lambda t, o, h: float(t["events"].query(
        "patient_id == 'A02' and event == 'rash_resolution'")["week"].astype(float).iloc[0]),
    "relapse_week": lambda t, o, h: float(_events(t, "relapse")[0]),
    "relapse_stop_week": lambda t, o, h: float(
        t["patients"].set_index("patient_id").loc["A02", "jaki_stop_week"]),
    "enzymes_persistent_n": lambda t, o, h: _persistent(o),
    "enzymes_persistent_pct": lambda t, o, h: 100 * _persistent(o) / 25,
    "cmas_improved_p": lambda t, o, h: spss_wilcoxon(
        *_pairs(o, "cmas_total", _cmas_course(o, "improved"))),
    "cmas_unchanged_n": lambda t, o, h: float(len(_cmas_course(o, "unchanged"))),
    "cmas_not_scorable": lambda t, o, h: float(
        o.week(0).loc[_group(t, "muscle_involvement", "yes"), "cmas_total"].isna().sum()),
    "enzymes_abnormal_n": lambda t, o, h: float(_abnormal(o.week(0)).sum()),
    "ldh_p": lambda t, o, h: spss_wilcoxon(
        *_pairs(o, "ldh_u_l", _enzymes_high(o))),
    "ldh_rises_n": lambda t, o, h: float(len(_rises(t, o))),
    "ldh_rise1_before": lambda t, o, h: _rises(t, o)[0][0],
    "ldh_rise1_after": lambda t, o, h: _rises(t, o)[0][1],
    "ldh_rise2_before": lambda t, o, h: _rises(t, o)[1][0],
    "ldh_rise2_after": lambda t, o, h: _rises(t, o)[1][1],
    "ae_infections": lambda t, o, h: float((t["adverse_events"]["category"] == "infection").sum()),
}


def test_every_figure_without_a_results_key_is_checked_here(helpers):
    """Study A: every printed figure now has a results-file key; the direct computations
    below stay as an oracle independent of jdmtrack for the ones that once had none."""
    without = {e["id"] for e in helpers.load_published(NAME)
               if e["path"] is None and (e["reproducible"] or e["cohort_value"] is not None)}
    # Figures read from the paper-figure sections are recomputed here, not by the oracle.
    paper = {e["id"] for e in helpers.load_published(NAME)
             if e["path"] and e["path"].split(".")[0] in PAPER_SECTIONS}
    assert paper <= set(EXPLICIT), sorted(paper - set(EXPLICIT))
    assert without == set()
    assert set(EXPLICIT) <= {e["id"] for e in helpers.load_published(NAME)}


PAPER_SECTIONS = {"exposure", "at_start", "skin_course", "steroids", "organs",
                  "response_percent", "aesi", "listing", "paper_tests"}


@pytest.mark.parametrize("figure_id", sorted(EXPLICIT))
def test_figure_without_a_results_key(figure_id, t, o, helpers):
    entry = next(e for e in helpers.load_published(NAME) if e["id"] == figure_id)
    got = EXPLICIT[figure_id](t, o, helpers)
    assert entry["reproducible"]
    assert helpers.matches(entry, got), f"printed {entry['printed']}, cohort gives {got!r}"


def test_ldh_quartiles_need_half_up_rounding(o, t, helpers):
    """Whole-number LDH gives type-6 quartiles on quarters: 306.25 and 463.25 print as the
    letter's 306.3 and 463.3 only when rounded half up (Python's round gives 306.2)."""
    ldh = helpers.num(o.week(0).loc[_enzymes_high(o), "ldh_u_l"])
    summary = helpers.type6(ldh)
    assert (summary["q1"], summary["q3"]) == (306.25, 463.25)
    assert str(helpers.half_up(summary["q1"], 1)) == "306.3"
    assert round(summary["q1"], 1) == 306.2


def test_cmas_p_is_spss_not_exact(o, t, helpers):
    """0.018 is the normal approximation without continuity correction for 7 pairs that all
    rise; the exact two-sided p is 2/128."""
    before, after = _pairs(o, "cmas_total", _cmas_course(o, "improved"))
    assert (after > before).all() and len(set(after - before)) == 7
    assert helpers.exact_wilcoxon(after - before) == 2 / 128


def test_relapse_story(t, o):
    """One relapse: rash gone at week 8, back 4 weeks later, JAKi stopped at week 12."""
    e = t["events"][t["events"]["patient_id"] == "A02"].set_index("event")["week"].astype(float)
    assert (e["rash_resolution"], e["relapse"], e["jaki_discontinuation"]) == (8, 12, 12)
    assert o.week(12).at["A02", "rash"] == "yes"
    assert pd.isna(o.week(24).at["A02", "jaki_mg_per_dose"])


def test_escalated_girl_stopped_steroids(t, o):
    """The girl over 25 kg who needed 7.5 mg twice daily for about 6 months (figure 1 of the
    letter) also stopped glucocorticoids."""
    v = o.v[o.v["patient_id"] == "A01"]
    assert t["patients"].set_index("patient_id").at["A01", "sex"] == "F"
    assert float(v.loc[v["w"] == 0, "weight_kg"].iloc[0]) > 25
    high = v.loc[pd.to_numeric(v["jaki_mg_per_dose"]) == 7.5, "w"]
    assert high.max() - high.min() >= 20
    assert "A01" in set(t["events"].loc[t["events"]["event"] == "cs_discontinuation",
                                        "patient_id"])


def test_steroid_dose_is_zero_after_discontinuation(t, o):
    stops = t["events"][t["events"]["event"] == "cs_discontinuation"]
    for pid, week in zip(stops["patient_id"], stops["week"].astype(float), strict=True):
        later = o.v[(o.v["patient_id"] == pid) & (o.v["w"] >= week)]
        assert (pd.to_numeric(later["cs_mg_kg_day"]) == 0).all(), pid


def test_rash_events_are_in_order(t):
    e = t["events"].pivot_table(index="patient_id", columns="event", values="week",
                                aggfunc=lambda s: float(s.iloc[0]))
    assert (e["rash_improvement"] <= e["rash_marked_improvement"]).all()
    resolved = e["rash_resolution"].notna()
    assert (e.loc[resolved, "rash_marked_improvement"]
            <= e.loc[resolved, "rash_resolution"]).all()
