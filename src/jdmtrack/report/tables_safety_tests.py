"""Tables of special-interest safety, the per-patient listing and the tests as the papers
ran them (results sections of analysis/aesi.py, listing.py and paper_tests.py)."""

from __future__ import annotations

from ..fields import code_label
from .cells import blank, count, dig, num, pval, text
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
    a = ctx.section("aesi")
    if not a:
        return None
    rows = [[text(_AESI_LABELS.get(k, k)), count(v.get("n_events")), count(v.get("n_patients"))]
            for k, v in (a.get("special_interest") or {}).items()]
    for key, label in (("interrupted", "JAKi stopped temporarily"),
                       ("withdrawn", "JAKi withdrawn"), ("hospitalised", "Hospital admission")):
        v = dig(a, "actions", key) or {}
        rows.append([text(label), count(v.get("n_events")), count(v.get("n_patients"))])
    return Table("aesi", "Adverse events of special interest for JAK inhibitors",
                 ["", "Events", "Patients"], rows, notes=[
                     "Listed whether or not they occurred (0 = none recorded). Special "
                     "interest per the EMA 2023 review of JAK inhibitors and the labels."])


def serious_table(ctx: Context) -> Table | None:
    listed = ctx.section("aesi").get("serious") or []
    if not listed:
        return None
    rows = [[text(e["patient_id"]), num(e.get("week"), 0), text(e.get("term")),
             text(", ".join(e.get("criteria") or []) or None),
             text(None if e.get("action") is None else code_label(e["action"]))]
            for e in listed]
    return Table("serious_aes", "Serious adverse events", [
        "Patient", "Week", "Term", "Seriousness criteria (ICH E2A)", "Action with JAKi"], rows)


def listing_table(ctx: Context) -> Table | None:
    listing = ctx.section("listing")
    patients = listing.get("patients") or {}
    measures = listing.get("measures") or []
    if not patients:
        return None
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
    tests = ctx.section("paper_tests")
    measures = tests.get("measures") or {}
    rows: list[list[Cell]] = []
    for m, entry in measures.items():
        for week, r in (entry.get("vs_baseline") or {}).items():
            rows.append([text(ctx.label(m)), text(f"week {week} vs 0"),
                         count(r.get("n_pairs")), pval(r.get("p_value_exact")),
                         pval(dig(r, "wilcoxon_asymptotic", "p_value")),
                         num(r.get("difference_from_exact"), 3),
                         pval(dig(r, "t_test", "p_value_t")), blank()])
        for pair, c in ((entry.get("pairwise") or {}).get("pairs") or {}).items():
            if c.get("week_a") == "0":
                continue
            exact, asymptotic = c.get("p_value_exact"), c.get("p_value_asymptotic")
            both = isinstance(exact, float | int) and isinstance(asymptotic, float | int)
            rows.append([text(ctx.label(m)), text(pair.replace("_vs_", " vs ")),
                         count(c.get("n_pairs")), pval(exact), pval(asymptotic),
                         num(asymptotic - exact, 3) if both else blank(), blank(),
                         pval(c.get("p_adjusted"))])
    if not rows:
        return None
    adjust = str(tests.get("adjust", "holm")).capitalize()
    return Table("paper_tests", "Tests as the papers ran them", [
        "Measure", "Comparison", "Pairs", "Exact Wilcoxon p", "SPSS asymptotic p",
        "Asymptotic - exact", "Paired t p", f"{adjust}-adjusted p"], rows, inline_limit=30, notes=[
        "Exact: the conditional signed-rank distribution (jdmtrack's default). SPSS "
        "asymptotic: normal approximation with tie correction and no continuity correction. "
        f"Pairs of later weeks follow the Friedman test, {adjust}-adjusted over all pairs."])
