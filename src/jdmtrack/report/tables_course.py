"""Tables of the treatment course: exposure, disease at JAKi start, skin course, steroids,
organ outcomes and response percentages (results sections of analysis/exposure.py,
at_start.py, skin_course.py, steroid_course.py and organs.py)."""

from __future__ import annotations

from typing import Any

from ..fields import code_label
from . import format as f
from .cells import blank, count, dig, num, text
from .context import Context
from .labels import RESPONSES, response_label
from .model import Cell, Table

__all__ = ["at_start_table", "exposure_table", "organs_table", "response_percent_table",
           "skin_course_table", "steroids_table"]


def _n_of(ctx: Context, entry: object) -> Cell:
    """``n / of (x%)`` with the count behind it in the spreadsheet."""
    if not isinstance(entry, dict) or not f.is_number(entry.get("n")):
        return Cell(f.MISSING)
    shown = f.count_pct(entry["n"], entry.get("percent"), ctx.pct_decimals)
    of = entry.get("of")
    if f.is_number(of):
        shown = shown.replace(f.fmt_int(entry["n"]), f"{f.fmt_int(entry['n'])}/{f.fmt_int(of)}",
                              1)
    return Cell(shown, entry["n"], "0")


def _median_iqr(d: object, decimals: int) -> Cell:
    if not isinstance(d, dict):
        return Cell(f.MISSING)
    return Cell(f.fmt_median_iqr(d.get("median"), d.get("q1"), d.get("q3"), decimals),
                d.get("median"), "0." + "0" * decimals if decimals else "0")


def exposure_table(ctx: Context) -> Table | None:
    e = ctx.section("exposure")
    if not e:
        return None
    rows: list[list[Cell]] = []
    for unit, key, dec in (("weeks", "duration_weeks", 1), ("months", "duration_months", 1)):
        d = e.get(key) or {}
        rows.append([text(f"JAKi duration, {unit}: median (IQR)"), _median_iqr(d, dec)])
        rows.append([text(f"JAKi duration, {unit}: shortest to longest", level=1),
                     Cell(f.fmt_range(d.get("min"), d.get("max"), dec), d.get("min"))])
    for band in ("under_25_kg", "from_25_kg"):
        b = dig(e, "start_weight_bands", band) or {}
        rows.append([text(f"Starting weight {b.get('label', band)}: patients in the band"),
                     count(b.get("n"))])
        rows.append([text("of whom started on that dose", level=1), count(b.get("n_band_dose"))])
    high = e.get("highest_mg_per_dose") or {}
    rows.append([text("Highest dose used, mg per dose"), num(high.get("value"), 1)])
    rows.append([text("Patients who reached it", level=1),
                 _n_of(ctx, {"n": high.get("n_patients"), "percent": high.get("percent")})])
    full = e.get("treated_to_last_week") or {}
    rows.append([text(f"Treated to week {f.fmt_value(full.get('week'), 0)}"),
                 _n_of(ctx, full | {"of": e.get("n_patients")})])
    for week, n in (e.get("stopped_before_last_week") or {}).items():
        rows.append([text(f"Stopped at week {week}", level=1), count(n)])
    return Table("exposure", "Treatment exposure", ["", "Value"], rows, notes=[
        "Duration: to jaki_stop_week, else to the end of follow-up; months = weeks x 7 / "
        "(365.25 / 12). Weight bands as study A (Ding 2021).", ctx.pct_note()])


def at_start_table(ctx: Context) -> Table | None:
    s = ctx.section("at_start")
    if not s:
        return None
    labels = (("rash", "Rash"), ("muscle_involvement", "Decreased muscle strength"),
              ("enzymes_high_start", "CK, LDH or aldolase above the upper limit of normal"),
              ("enzymes_high_throughout", "Muscle enzymes high at every visit measured"))
    rows = [[text(label), _n_of(ctx, s.get(key))] for key, label in labels]
    for course, n in (s.get("cmas_course") or {}).items():
        rows.append([text(f"CMAS {course} at the last scored visit"), count(n)])
    ns = s.get("cmas_not_scorable") or {}
    rows.append([text("CMAS not scorable at week 0"), count(ns.get("n"))])
    rows += [[text(code_label(reason), level=1), count(n)]
             for reason, n in (ns.get("reasons") or {}).items() if n]
    return Table("at_start", "Disease at JAKi start", ["", "n/N (%)"], rows,
                 notes=[ctx.pct_note()])


def skin_course_table(ctx: Context) -> Table | None:
    s = ctx.section("skin_course")
    if not s:
        return None
    km = dig(ctx.results, "time_to_event", "rash_resolution") or {}
    rows = [
        [text("Complete rash resolution (of those with rash at start)"),
         _n_of(ctx, s.get("resolution"))],
        [text("Weeks to no visible rash, among those who resolved: median (IQR)"),
         _median_iqr(s.get("weeks_to_resolution_resolved"), 1)],
        [text("Weeks to no visible rash, Kaplan-Meier over all with rash: median (IQR)"),
         _median_iqr({"median": km.get("median_weeks"), "q1": km.get("q1_weeks"),
                      "q3": km.get("q3_weeks")}, 1)],
        [text("Relapses"), count(s.get("n_relapses"))],
    ]
    for r in s.get("relapses") or []:
        rows.append([text(f"{r['patient_id']}: rash gone at week "
                          f"{f.fmt_value(r.get('rash_gone_week'), 1)}, back at week "
                          f"{f.fmt_value(r.get('relapse_week'), 1)}, JAKi stopped at week "
                          f"{f.fmt_value(r.get('jaki_stop_week'), 1)}", level=1), blank()])
    return Table("skin_course", "Skin course", ["", "Value"], rows, notes=[
        "The descriptive median is over those who resolved only (as study A's letter); the "
        "Kaplan-Meier estimate counts those who never resolved as censored.", ctx.pct_note()])


def steroids_table(ctx: Context) -> Table | None:
    s = ctx.section("steroids")
    if not s:
        return None
    rows = [[text("Glucocorticoids stopped"), _n_of(ctx, s.get("stopped")), blank(), blank(),
             blank()]]
    for week, w in (s.get("by_week") or {}).items():
        rows.append([text(f"Week {week}"), num(w.get("median"), 2),
                     num(w.get("median_fall_percent"), 0),
                     num(w.get("median_fall_percent_responders"), 0),
                     num(w.get("median_of_changes_percent"), 0)])
    return Table("steroids", "Glucocorticoid dose", [
        "", "Median, mg/kg/day", "Fall of the median, %",
        "Fall of the median in CR/PR, %", "Median of per-patient changes, %"], rows, notes=[
        "Fall of the median = 100 x (1 - week median / week-0 median), as study B prints "
        "it; in CR/PR: the week median over the patients in CR or PR against the all-patient "
        "week-0 median. The median of per-patient changes is a different quantity "
        "(negative = fall)."])


def organs_table(ctx: Context) -> Table | None:
    o = ctx.section("organs")
    if not o:
        return None
    codes = list(next(iter(o.values())).get("outcomes", {}))
    rows = [[text(organ.upper() if organ != "calcinosis" else "Calcinosis"),
             count(e.get("n_involved")), *[count(dig(e, "outcomes", c)) for c in codes],
             count(e.get("n_missing"))] for organ, e in o.items()]
    return Table("organs", "Organ outcomes at the last visit", [
        "", "Involved at start", *[c.capitalize() for c in codes], "Not recorded"], rows)


def response_percent_table(ctx: Context) -> Table | None:
    r = ctx.section("response_percent")
    if not r:
        return None
    rows = []
    for week, w in r.items():
        cells = [text(f"Week {week}"), count(w.get("n_evaluable"))]
        for level in ("CR", "PR", "NR", "CR_or_PR"):
            entry: dict[str, Any] = w.get(level) or {}
            cells.append(Cell(f.count_pct(entry.get("n"), entry.get("percent"),
                                          ctx.pct_decimals), entry.get("n"), "0"))
        rows.append(cells)
    return Table("response_percent", "Response with percentages", [
        "", "Evaluable", *(response_label(k) for k in RESPONSES),
        f"{response_label('CR')} or {response_label('PR')}"], rows, notes=[
        "Percentages of the patients evaluable at the week.", ctx.pct_note()])
