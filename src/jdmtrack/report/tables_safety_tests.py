"""Tables of special-interest safety, the per-patient listing and the tests as the papers
ran them (results sections of analysis/aesi.py, listing.py and paper_tests.py)."""

from __future__ import annotations

from ..fields import code_label
from .cells import blank, count, num, pval, text
from .context import Context
from .model import Cell, Table

__all__ = ["aesi_table", "listing_table", "paper_tests_table", "serious_table"]

_AESI_LABELS = {
    "serious_infection": "Serious infection", "herpes_zoster": "Herpes zoster",
    "ebv_reactivation": "EBV reactivation", "cmv_reactivation": "CMV reactivation",
    "tuberculosis": "Tuberculosis", "opportunistic_infection": "Opportunistic infection",
    "thromboembolism": "Thromboembolism", "mace": "Major adverse cardiovascular event",
    "malignancy": "Malignancy", "death": "Death",
}


def aesi_table(ctx: Context) -> Table | None:
    a = ctx.typed.aesi
    if not a.present:
        return None
    rows = [[text(_AESI_LABELS.get(t.key, t.key)), count(t.n_events), count(t.n_patients)]
            for t in a.special_interest]
    for key, label in (("interrupted", "JAKi stopped temporarily"),
                       ("withdrawn", "JAKi withdrawn"), ("hospitalised", "Hospital admission")):
        v = a.actions.get(key)
        rows.append([text(label), count(v.n_events if v else None),
                     count(v.n_patients if v else None)])
    return Table("aesi", "Adverse events of special interest for JAK inhibitors",
                 ["", "Events", "Patients"], rows, notes=[
                     "Listed whether or not they occurred (0 = none recorded). Special "
                     "interest per the EMA 2023 review of JAK inhibitors and the labels."])


def serious_table(ctx: Context) -> Table | None:
    listed = ctx.typed.aesi.serious
    if not listed:
        return None
    rows = [[text(e.patient_id), num(e.week, 0), text(e.term),
             text(", ".join(e.criteria) or None),
             text(None if e.action is None else code_label(e.action))]
            for e in listed]
    return Table("serious_aes", "Serious adverse events", [
        "Patient", "Week", "Term", "Seriousness criteria (ICH E2A)", "Action with JAKi"], rows)


def listing_table(ctx: Context) -> Table | None:
    listing = ctx.typed.listing
    if listing is None or not listing.patients:
        return None
    patients, measures = listing.patients, listing.measures
    weeks = sorted({w for p in patients.values() for m in p.values() for w in m}, key=float)
    rows: list[list[Cell]] = []
    for pid, values in patients.items():
        for m in measures:
            by_week = values.get(m) or {}
            if by_week:
                rows.append([text(pid), text(ctx.label(m)),
                             *[num(by_week.get(w), 2) if w in by_week else blank()
                               for w in weeks]])
    return Table("listing", "Appendix: per-patient values by week", [
        "Patient", "Measure", *[f"Week {w}" for w in weeks]], rows, inline_limit=40,
        notes=["The values a safety paragraph quotes for one patient (dose per kg, ALT, "
               "creatinine, CK, LDH, CMAS), at each analysis week."])


def paper_tests_table(ctx: Context) -> Table | None:
    tests = ctx.typed.paper_tests
    rows = [[text(ctx.label(r.measure)), text(r.comparison), count(r.n_pairs),
             pval(r.p_value_exact), pval(r.p_value_asymptotic),
             num(r.difference_from_exact, 3) if r.paired_t or r.difference_from_exact is not None
             else blank(), pval(r.p_value_t) if r.paired_t else blank(),
             blank() if r.paired_t else pval(r.p_adjusted)]
            for r in tests.rows]
    if not rows:
        return None
    adjust = tests.adjust.capitalize()
    return Table("paper_tests", "Tests as the papers ran them", [
        "Measure", "Comparison", "Pairs", "Exact Wilcoxon p", "SPSS asymptotic p",
        "Asymptotic - exact", "Paired t p", f"{adjust}-adjusted p"], rows, inline_limit=30, notes=[
        "Exact: the conditional signed-rank distribution (jdmtrack's default). SPSS "
        "asymptotic: normal approximation with tie correction and no continuity correction. "
        f"Pairs of later weeks follow the Friedman test, {adjust}-adjusted over all pairs."])
