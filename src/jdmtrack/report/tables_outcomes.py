"""Tables of outcomes over time: per-week summaries, tests, taper, KM (criteria and response:
:mod:`.tables_response`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results.outcomes import WeekSummary
from . import format as f
from .cells import blank, count, pval, text
from .context import Context, ordered_measures
from .model import Cell, Table

if TYPE_CHECKING:
    from ..results import Comparison, Friedman, MixedModel, Outcome

__all__ = [
    "comparisons_table",
    "outcome_table",
    "outcomes_summary_table",
    "taper_table",
    "time_to_event_table",
]

_NO_WEEK = WeekSummary("", None, None, None, None, None, None, None, None)
HL_NOTE = ("Change from week 0: Hodges–Lehmann estimate of the median paired difference "
           "(follow-up − week 0) with its 95% CI; pairs = patients with both values "
           "(in brackets: non-zero differences, the ones the Wilcoxon test uses).")


def _not_run_note(what: str, reason: str | None) -> str | None:
    """``what: not run (reason).``, or None when the statistic ran."""
    return None if not reason else f"{what}: not run ({reason})."


def _n_note(n: object) -> str:
    return f"[{f.fmt_int(n)}]" if f.is_number(n) else ""


def friedman_p(outcome: Outcome) -> tuple[float | None, str]:
    """The Friedman p-value the summary shows, and which one it is."""
    fr = outcome.friedman
    if fr is None:
        return None, ""
    if fr.p_value_exact is not None:
        return fr.p_value_exact, "permutation"
    if fr.p_value is not None:
        return fr.p_value, "chi-square"
    return None, ""


def outcomes_summary_table(ctx: Context) -> Table | None:
    """Median (Q1, Q3) [n] of every measure at every scheduled week, with Friedman p."""
    outcomes = ctx.typed.outcomes
    measures = ordered_measures(outcomes)
    if not measures:
        return None
    weeks = f.sorted_weeks({w.week for m in measures for w in outcomes[m].by_week})
    rows: list[list[Cell]] = []
    not_run_notes: list[str] = []
    for m in measures:
        outcome = outcomes[m]
        d = ctx.decimals(m)
        row = [text(ctx.label(m))]
        for w in weeks:
            s = outcome.week(w)
            cell = f.MISSING if s is None else f.fmt_median_iqr(s.median, s.q1, s.q3, d)
            if s is not None and cell != f.MISSING:
                cell = f"{cell} {_n_note(s.n)}"
            row.append(text(cell))
        p, kind = friedman_p(outcome)
        row.append(pval(p) if kind else text(None))
        row.append(text(kind or None))
        rows.append(row)
        skipped = _not_run_note(f"{ctx.label(m)}, Friedman test",
                                outcome.friedman.not_run if outcome.friedman else None)
        if skipped:
            not_run_notes.append(skipped)
    notes = [
        ctx.quartiles + " [n] = patients assessed at that week.",
        "Friedman test across weeks on patients with every visit (complete cases); the "
        "permutation p-value is shown where it was computed, else the chi-square p-value. "
        "Each measure's table below gives both, the method, and the tests against week 0.",
        *not_run_notes,
        f.rounding_note(measures=True, doses=any(ctx.decimals(m) == 2 for m in measures),
                        p_values=True),
    ]
    return Table("outcomes", "Outcomes over time",
                 ["Measure", *[f.week_label(w) for w in weeks], "Friedman p", "Method"],
                 rows, notes)


def _change_cells(c: Comparison, d: int) -> tuple[str, str]:
    """Pairs (non-zero) and the Hodges–Lehmann change (95% CI) of a week against week 0."""
    pairs = hl = f.MISSING
    if c.n_pairs is not None:
        pairs = f.fmt_int(c.n_pairs)
        if c.n_nonzero is not None:
            pairs += f" ({f.fmt_int(c.n_nonzero)})"
    if c.hodges_lehmann is not None:
        hl = f"{f.fmt_number(c.hodges_lehmann, d)} ({f.fmt_ci(c.ci95, d)})"
    return pairs, hl


def outcome_table(ctx: Context, measure: str) -> Table:
    """One measure: descriptives per week, change from week 0, Holm p, mixed model."""
    outcome = ctx.typed.outcomes.get(measure)
    d = ctx.decimals(measure)
    by_week = {w.week: w for w in outcome.by_week} if outcome is not None else {}
    vs = {c.week: c for c in outcome.vs_baseline} if outcome is not None else {}
    mixed = outcome.mixed_model if outcome is not None else None
    estimates = mixed.estimates if mixed is not None else {}
    rows: list[list[Cell]] = []
    notes: list[str] = [ctx.quartiles, HL_NOTE]
    for w in f.sorted_weeks(set(by_week) | set(vs)):
        s = by_week.get(w) or _NO_WEEK
        c = vs.get(w)
        e = estimates.get(w)
        reference = w == "0" or c is None
        pairs, hl = _change_cells(c, d) if c is not None and not reference else (f.MISSING,
                                                                                   f.MISSING)
        mm = f.MISSING
        if e is not None and e.estimate is not None:
            mm = f"{f.fmt_number(e.estimate, d)} ({f.fmt_ci(e.ci95, d)})"
        rows.append([
            text(f.week_label(w)), count(s.n),
            text(f.fmt_median_iqr(s.median, s.q1, s.q3, d)),
            text(f.fmt_mean_sd(s.mean, s.sd, d)),
            text(f.fmt_range(s.min, s.max, d)),
            text("reference" if reference and w == "0" else hl), text(pairs),
            blank() if c is None or reference else pval(c.p_value_exact),
            blank() if c is None or reference else pval(c.p_adjusted),
            text(mm) if mixed else text(None),
        ])
        if c is not None and not reference:
            notes.extend(_comparison_notes(ctx, w, c))
    notes.extend(_test_notes(outcome, mixed))
    notes.append(f.rounding_note(measures=d == 1, doses=d == 2, p_values=True))
    return Table(f"outcome_{measure}"[:31], ctx.label(measure),
                 ["Week", "n", "Median (Q1, Q3)", "Mean ± SD", "Range",
                  "Change from week 0 (95% CI)", "Pairs (non-zero)", "p exact",
                  "p Holm", "Mixed model (95% CI)"], rows, notes)


def _comparison_notes(ctx: Context, week: str, c: Comparison) -> list[str]:
    label = f.week_label(week)
    skipped = _not_run_note(f"{label}, tests against week 0", c.not_run)
    if skipped:
        return [skipped]
    if c.note:
        return [f"{label}: {c.note}.".replace("..", ".")]
    floor = c.min_attainable_p
    if floor is not None and ctx.alpha is not None and floor >= ctx.alpha:
        n = c.n_nonzero if c.n_nonzero is not None else c.n_pairs
        return [f"{label}: with {f.fmt_int(n)} non-zero "
                f"differences the smallest p the exact test can give is "
                f"{f.fmt_p(floor)}, so it cannot reach α = {f.fmt_number(ctx.alpha, 2)}."]
    return []


def _friedman_note(fr: Friedman | None) -> str:
    if fr is not None and fr.not_run:
        return str(_not_run_note("Friedman test", fr.not_run))
    if fr is None:
        return "Friedman test: not computed (fewer than two weeks with complete data)."
    parts = [f"Friedman test, {f.fmt_int(fr.n_complete)} patients with every visit: "
             f"χ²({f.fmt_int(fr.df)}) = {f.fmt_number(fr.statistic, 2)}, "
             f"{f.p_clause(fr.p_value, 'chi-square p')}"]
    if fr.p_value_exact is not None:
        parts.append(f.p_clause(fr.p_value_exact, "permutation p"))
    if fr.kendall_w is not None:
        parts.append(f"Kendall's W = {f.fmt_number(fr.kendall_w, 2)}")
    text_ = "; ".join(parts) + "."
    if fr.method:
        text_ += f" Method: {fr.method}."
    if fr.note:
        text_ += f" {fr.note}."
    return text_.replace("..", ".")


def _test_notes(outcome: Outcome | None, mixed: MixedModel | None) -> list[str]:
    notes = [_friedman_note(outcome.friedman if outcome is not None else None)]
    sm = outcome.skillings_mack if outcome is not None else None
    if sm is not None and sm.not_run:
        notes.append(str(_not_run_note("Skillings–Mack test", sm.not_run)))
    elif sm is not None:
        notes.append(f"Skillings–Mack test (all {f.fmt_int(sm.n)} patients, missing visits "
                     f"allowed): statistic {f.fmt_number(sm.statistic, 2)}, "
                     f"df {f.fmt_int(sm.df)}, {f.p_clause(sm.p_value)}.")
    if mixed is not None and mixed.not_run:
        notes.append(str(_not_run_note("Mixed model", mixed.not_run)))
    elif mixed:
        notes.append(f"Mixed model on {f.fmt_int(mixed.n_observations)} visits of "
                     f"{f.fmt_int(mixed.n_patients)} patients (every visit used): estimated "
                     "difference from week 0.")
    else:
        notes.append("Mixed model: not fitted for this measure.")
    return notes


#: The numbers of a test against week 0 the full-precision sheet lists, in its order.
_COMPARISON_FIELDS = ("n_pairs", "n_nonzero", "median_difference", "hodges_lehmann", "ci95",
                      "wilcoxon_v", "p_value_exact", "p_value_asymptotic", "p_adjusted", "t",
                      "df", "p_value_t", "mean_difference", "min_attainable_p")


def comparisons_table(ctx: Context) -> Table | None:
    """Every number of every test against week 0, unrounded (spreadsheet only)."""
    outcomes = ctx.typed.outcomes
    rows: list[list[Cell]] = []
    for m in ordered_measures(outcomes):
        vs = {c.week: c for c in outcomes[m].vs_baseline}
        for w in f.sorted_weeks(vs):
            c = vs[w]
            row = [text(m), text(w)]
            for field in _COMPARISON_FIELDS:
                if field == "ci95":
                    low, high = c.ci95 or (None, None)
                    row += [_raw(low), _raw(high)]
                else:
                    row.append(_raw(getattr(c, field)))
            rows.append(row)
    if not rows:
        return None
    header = ["measure", "week"]
    for field in _COMPARISON_FIELDS:
        header += ["ci95_low", "ci95_high"] if field == "ci95" else [field]
    return Table("vs_baseline", "Tests against week 0 (full precision)", header, rows,
                 ["Unrounded values as in results.json."], excel_only=True)


def _raw(value: object) -> Cell:
    if f.is_number(value):
        return Cell(repr(value), value, "General")
    return text(value)


def _rash_definition(ctx: Context, where: str) -> list[str]:
    """The one definition of rash improvement, stated wherever rash improvement is shown."""
    rash = ctx.typed.time_to_event.get("rash_improvement")
    definition = rash.definition if rash is not None else None
    if rash is None or definition is None:
        return []
    if where == "criteria":
        return ["Rash improved: the visit's rash_improved criterion; the same criterion "
                "dates the time to rash improvement (Time to event)."]
    return [f"Rash improvement, {f.fmt_int(rash.events_from_events_table)} "
            f"event(s) from the events table and {f.fmt_int(rash.events_from_visits)} "
            f"from visits. Definition: {definition}"]


def taper_table(ctx: Context, measure: str = "cs_mg_kg_day") -> Table | None:
    """Corticosteroid dose per week and its change from week 0."""
    outcome = ctx.typed.outcomes.get(measure)
    if outcome is None or not outcome.by_week:
        return None
    by_week = {w.week: w for w in outcome.by_week}
    base = by_week["0"].median if "0" in by_week else None
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(by_week):
        s = by_week[w]
        c = outcome.comparison(w)
        change = None
        if w != "0" and base is not None and s.median is not None:
            change = f.percent(s.median - base, base)
        hl = None if c is None else c.hodges_lehmann
        rows.append([
            text(f.week_label(w)), count(s.n),
            text(f.fmt_median_iqr(s.median, s.q1, s.q3, 2)),
            text(f.fmt_pct(change, ctx.pct_decimals) if w != "0" else "reference"),
            text(f"{f.fmt_number(hl, 2)} ({f.fmt_ci(None if c is None else c.ci95, 2)})"
                 if hl is not None else None) if w != "0" else blank(),
            pval(None if c is None else c.p_adjusted) if w != "0" else blank(),
        ])
    return Table("cs_taper", "Corticosteroid dose (prednisone equivalent, mg/kg/day)",
                 ["Week", "n", "Median (Q1, Q3)", "Change of the median", "Paired change (95% CI)",
                  "p Holm"], rows,
                 [ctx.quartiles,
                  "Change of the median: (median at the week − median at week 0) / median at "
                  "week 0, both over the patients assessed at each week (not the median of each "
                  "patient's change). Paired change: Hodges–Lehmann estimate over patients with "
                  "both values.",
                  f.rounding_note(doses=True, pct_decimals=ctx.pct_decimals, p_values=True)])


def time_to_event_table(ctx: Context) -> Table | None:
    """Kaplan–Meier summaries per event."""
    tte = ctx.typed.time_to_event
    if not tte:
        return None
    rows = []
    skipped: list[str] = []
    for name, s in tte.items():
        if s.not_run:
            skipped.append(f"{f.measure_label(name)}: not run ({s.not_run}).")
        median = f.fmt_number(s.median_weeks, 1)
        if median == f.MISSING and s.events is not None:
            median = "not reached"
        q1, q3 = s.q1_weeks, s.q3_weeks
        quartiles = (f"{f.fmt_number(q1, 1)}, {f.fmt_number(q3, 1)}"
                     if q1 is not None or q3 is not None else f.MISSING)
        rows.append([text(f.measure_label(name)), count(s.n), count(s.events),
                     text(median), text(f.fmt_ci(s.ci95, 1)), text(quartiles)])
    return Table("time_to_event", "Time to event (Kaplan–Meier), weeks from JAKi start",
                 ["Event", "Patients", "Events", "Median", "Median 95% CI", "Q1, Q3"], rows,
                 ["Kaplan–Meier estimates; 95% CI of the median by the log-log method. "
                  "A dash is a median, quartile or CI limit that the data do not reach.",
                  *_rash_definition(ctx, "time_to_event"), *skipped,
                  "Rounding: weeks to 1 decimal place."])
