"""Tables of the treatment course: exposure, disease at JAKi start, skin course, steroids,
organ outcomes and response percentages (results sections of analysis/exposure.py,
at_start.py, skin_course.py, steroid_course.py and organs.py)."""

from __future__ import annotations

from ..fields import code_label
from ..results.counts import Share, Spread
from . import format as f
from .cells import blank, count, num, text
from .context import Context
from .labels import RESPONSES, response_label
from .model import Cell, Table

__all__ = ["at_start_table", "exposure_table", "organs_table", "response_percent_table",
           "skin_course_table", "steroids_table"]


def _n_of(ctx: Context, entry: Share | None) -> Cell:
    """``n / of (x%)`` with the count behind it in the spreadsheet."""
    if entry is None or entry.n is None:
        return Cell(f.MISSING)
    shown = f.count_pct(entry.n, entry.percent, ctx.pct_decimals)
    if entry.of is not None:
        shown = shown.replace(f.fmt_int(entry.n), f"{f.fmt_int(entry.n)}/{f.fmt_int(entry.of)}",
                              1)
    return Cell(shown, entry.n, "0")


def _median_iqr(d: Spread | None, decimals: int) -> Cell:
    if d is None:
        return Cell(f.MISSING)
    return Cell(f.fmt_median_iqr(d.median, d.q1, d.q3, decimals),
                d.median, "0." + "0" * decimals if decimals else "0")


def exposure_table(ctx: Context) -> Table | None:
    e = ctx.typed.exposure
    if not e.present:
        return None
    rows: list[list[Cell]] = []
    for unit, d, dec in (("weeks", e.duration_weeks, 1), ("months", e.duration_months, 1)):
        rows.append([text(f"JAKi duration, {unit}: median (IQR)"), _median_iqr(d, dec)])
        rows.append([text(f"JAKi duration, {unit}: shortest to longest", level=1),
                     Cell(f.fmt_range(d.min if d else None, d.max if d else None, dec),
                          d.min if d else None)])
    for b in e.weight_bands:
        rows.append([text(f"Starting weight {b.label}: patients in the band"), count(b.n)])
        rows.append([text("of whom started on that dose", level=1), count(b.n_band_dose)])
    rows.append([text("Highest dose used, mg per dose"), num(e.highest_mg_per_dose, 1)])
    rows.append([text("Patients who reached it", level=1), _n_of(ctx, e.highest_dose_patients)])
    rows.append([text(f"Treated to week {f.fmt_value(e.last_week, 0)}"),
                 _n_of(ctx, e.treated_to_last_week)])
    for week, n in e.stopped_before_last_week:
        rows.append([text(f"Stopped at week {week}", level=1), count(n)])
    return Table("exposure", "Treatment exposure", ["", "Value"], rows, notes=[
        "Duration: to jaki_stop_week, else to the end of follow-up; months = weeks x 7 / "
        "(365.25 / 12). Weight bands as study A (Ding 2021).", ctx.pct_note()])


def at_start_table(ctx: Context) -> Table | None:
    s = ctx.typed.at_start
    if not s.present:
        return None
    labels = ((s.rash, "Rash"), (s.muscle_involvement, "Decreased muscle strength"),
              (s.enzymes_high_start, "CK, LDH or aldolase above the upper limit of normal"),
              (s.enzymes_high_throughout, "Muscle enzymes high at every visit measured"))
    rows = [[text(label), _n_of(ctx, share)] for share, label in labels]
    for course, n in s.cmas_course:
        rows.append([text(f"CMAS {course} at the last scored visit"), count(n)])
    rows.append([text("CMAS not scorable at week 0"), count(s.cmas_not_scorable)])
    rows += [[text(code_label(reason), level=1), count(n)]
             for reason, n in s.cmas_not_scorable_reasons if n]
    return Table("at_start", "Disease at JAKi start", ["", "n/N (%)"], rows,
                 notes=[ctx.pct_note()])


def skin_course_table(ctx: Context) -> Table | None:
    s = ctx.typed.skin_course
    if not s.present:
        return None
    km = ctx.typed.time_to_event.get("rash_resolution")
    rows = [
        [text("Complete rash resolution (of those with rash at start)"),
         _n_of(ctx, s.resolution)],
        [text("Weeks to no visible rash, among those who resolved: median (IQR)"),
         _median_iqr(s.weeks_to_resolution_resolved, 1)],
        [text("Weeks to no visible rash, Kaplan-Meier over all with rash: median (IQR)"),
         _median_iqr(Spread(None, km.median_weeks if km else None, km.q1_weeks if km else None,
                            km.q3_weeks if km else None, None, None), 1)],
        [text("Relapses"), count(s.n_relapses)],
    ]
    for r in s.relapses:
        rows.append([text(f"{r.patient_id}: rash gone at week "
                          f"{f.fmt_value(r.rash_gone_week, 1)}, back at week "
                          f"{f.fmt_value(r.relapse_week, 1)}, JAKi stopped at week "
                          f"{f.fmt_value(r.jaki_stop_week, 1)}", level=1), blank()])
    return Table("skin_course", "Skin course", ["", "Value"], rows, notes=[
        "The descriptive median is over those who resolved only (as study A's letter); the "
        "Kaplan-Meier estimate counts those who never resolved as censored.", ctx.pct_note()])


def steroids_table(ctx: Context) -> Table | None:
    s = ctx.typed.steroids
    if not s.present:
        return None
    rows = [[text("Glucocorticoids stopped"), _n_of(ctx, s.stopped), blank(), blank(),
             blank()]]
    for w in s.by_week:
        rows.append([text(f"Week {w.week}"), num(w.median, 2), num(w.median_fall_percent, 0),
                     num(w.median_fall_percent_responders, 0),
                     num(w.median_of_changes_percent, 0)])
    return Table("steroids", "Glucocorticoid dose", [
        "", "Median, mg/kg/day", "Fall of the median, %",
        "Fall of the median in CR/PR, %", "Median of per-patient changes, %"], rows, notes=[
        "Fall of the median = 100 x (1 - week median / week-0 median), as study B prints "
        "it; in CR/PR: the week median over the patients in CR or PR against the all-patient "
        "week-0 median. The median of per-patient changes is a different quantity "
        "(negative = fall)."])


def organs_table(ctx: Context) -> Table | None:
    organs = ctx.typed.organs
    if not organs:
        return None
    codes = [c for c, _ in organs[0].outcomes]
    rows = [[text(o.organ.upper() if o.organ != "calcinosis" else "Calcinosis"),
             count(o.n_involved), *[count(dict(o.outcomes).get(c)) for c in codes],
             count(o.n_missing)] for o in organs]
    return Table("organs", "Organ outcomes at the last visit", [
        "", "Involved at start", *[c.capitalize() for c in codes], "Not recorded"], rows)


def response_percent_table(ctx: Context) -> Table | None:
    weeks = ctx.typed.response_percent
    if not weeks:
        return None
    rows = []
    for w in weeks:
        cells = [text(f"Week {w.week}"), count(w.n_evaluable)]
        for level in ("CR", "PR", "NR", "CR_or_PR"):
            entry = w.levels.get(level)
            n = entry.n if entry else None
            cells.append(Cell(f.count_pct(n, entry.percent if entry else None,
                                          ctx.pct_decimals), n, "0"))
        rows.append(cells)
    return Table("response_percent", "Response with percentages", [
        "", "Evaluable", *(response_label(k) for k in RESPONSES),
        f"{response_label('CR')} or {response_label('PR')}"], rows, notes=[
        "Percentages of the patients evaluable at the week.", ctx.pct_note()])
