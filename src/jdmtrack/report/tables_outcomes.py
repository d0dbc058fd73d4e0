"""Tables of outcomes over time: per-week summaries, tests, criteria, response, taper, KM."""

from __future__ import annotations

from typing import Any

from . import format as f
from .cells import blank, count, dig, pval, text
from .context import Context, ordered_measures
from .labels import RESPONSES, TIS_CATEGORIES, response_label, tis_category_labels
from .model import Cell, Table

__all__ = [
    "comparisons_table",
    "criteria_table",
    "outcome_table",
    "outcomes_summary_table",
    "response_table",
    "taper_table",
    "time_to_event_table",
    "tis_table",
]

CRITERIA = ("printo_cid", "skin_inactive", "rash_improved")
HL_NOTE = ("Change from week 0: Hodges–Lehmann estimate of the median paired difference "
           "(follow-up − week 0) with its 95% CI; pairs = patients with both values "
           "(in brackets: non-zero differences, the ones the Wilcoxon test uses).")


def not_run_reason(entry: object) -> str | None:
    """The reason a statistic was not run (``not_run: {reason}`` in the results), or None."""
    reason = dig(entry, "not_run", "reason") if isinstance(entry, dict) else None
    return reason if isinstance(reason, str) and reason else None


def _not_run_note(what: str, entry: object) -> str | None:
    reason = not_run_reason(entry)
    return None if reason is None else f"{what}: not run ({reason})."


def _n_note(n: object) -> str:
    return f"[{f.fmt_int(n)}]" if f.is_number(n) else ""


def friedman_p(entry: dict[str, Any]) -> tuple[Any, str]:
    """The Friedman p-value the summary shows, and which one it is."""
    fr = entry.get("friedman")
    if not isinstance(fr, dict):
        return None, ""
    if f.is_number(fr.get("p_value_exact")):
        return fr["p_value_exact"], "permutation"
    if f.is_number(fr.get("p_value")):
        return fr["p_value"], "chi-square"
    return None, ""


def outcomes_summary_table(ctx: Context) -> Table | None:
    """Median (Q1, Q3) [n] of every measure at every scheduled week, with Friedman p."""
    outcomes = ctx.section("outcomes")
    measures = ordered_measures(outcomes)
    if not measures:
        return None
    weeks = f.sorted_weeks({w for m in measures for w in (dig(outcomes, m, "by_week") or {})})
    rows: list[list[Cell]] = []
    not_run_notes: list[str] = []
    for m in measures:
        entry = outcomes[m]
        by_week = entry.get("by_week") or {}
        d = ctx.decimals(m)
        row = [text(ctx.label(m))]
        for w in weeks:
            s = by_week.get(w) or {}
            cell = f.fmt_median_iqr(s.get("median"), s.get("q1"), s.get("q3"), d)
            if cell != f.MISSING:
                cell = f"{cell} {_n_note(s.get('n'))}"
            row.append(text(cell))
        p, kind = friedman_p(entry)
        row.append(pval(p) if kind else text(None))
        row.append(text(kind or None))
        rows.append(row)
        skipped = _not_run_note(f"{ctx.label(m)}, Friedman test", entry.get("friedman"))
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


def outcome_table(ctx: Context, measure: str) -> Table:
    """One measure: descriptives per week, change from week 0, Holm p, mixed model."""
    entry = ctx.section("outcomes").get(measure) or {}
    d = ctx.decimals(measure)
    by_week = entry.get("by_week") or {}
    vs = entry.get("vs_baseline") or {}
    mixed = entry.get("mixed_model") if isinstance(entry.get("mixed_model"), dict) else None
    estimates = (mixed or {}).get("estimates") or {}
    rows: list[list[Cell]] = []
    notes: list[str] = [ctx.quartiles, HL_NOTE]
    for w in f.sorted_weeks(set(by_week) | set(vs)):
        s = by_week.get(w) or {}
        c = vs.get(w) or {}
        e = estimates.get(w) or {}
        reference = w == "0" or not c
        pairs = f.MISSING
        if not reference and f.is_number(c.get("n_pairs")):
            pairs = f.fmt_int(c["n_pairs"])
            if f.is_number(c.get("n_nonzero")):
                pairs += f" ({f.fmt_int(c['n_nonzero'])})"
        hl = f.MISSING
        if not reference and f.is_number(c.get("hodges_lehmann")):
            hl = f"{f.fmt_number(c['hodges_lehmann'], d)} ({f.fmt_ci(c.get('ci95'), d)})"
        mm = f.MISSING
        if f.is_number(e.get("estimate")):
            mm = f"{f.fmt_number(e['estimate'], d)} ({f.fmt_ci(e.get('ci95'), d)})"
        rows.append([
            text(f.week_label(w)), count(s.get("n")),
            text(f.fmt_median_iqr(s.get("median"), s.get("q1"), s.get("q3"), d)),
            text(f.fmt_mean_sd(s.get("mean"), s.get("sd"), d)),
            text(f.fmt_range(s.get("min"), s.get("max"), d)),
            text("reference" if reference and w == "0" else hl), text(pairs),
            blank() if reference else pval(c.get("p_value_exact")),
            blank() if reference else pval(c.get("p_adjusted")),
            text(mm) if mixed else text(None),
        ])
        if not reference:
            notes.extend(_comparison_notes(ctx, w, c))
    notes.extend(_test_notes(entry, mixed))
    notes.append(f.rounding_note(measures=d == 1, doses=d == 2, p_values=True))
    return Table(f"outcome_{measure}"[:31], ctx.label(measure),
                 ["Week", "n", "Median (Q1, Q3)", "Mean ± SD", "Range",
                  "Change from week 0 (95% CI)", "Pairs (non-zero)", "p exact",
                  "p Holm", "Mixed model (95% CI)"], rows, notes)


def _comparison_notes(ctx: Context, week: str, c: dict[str, Any]) -> list[str]:
    notes = []
    label = f.week_label(week)
    skipped = _not_run_note(f"{label}, tests against week 0", c)
    if skipped:
        return [skipped]
    if isinstance(c.get("note"), str) and c["note"]:
        notes.append(f"{label}: {c['note']}.".replace("..", "."))
        return notes
    floor = c.get("min_attainable_p")
    if f.is_number(floor) and ctx.alpha is not None and floor >= ctx.alpha:
        notes.append(f"{label}: with {f.fmt_int(c.get('n_nonzero', c.get('n_pairs')))} non-zero "
                     f"differences the smallest p the exact test can give is "
                     f"{f.fmt_p(floor)}, so it cannot reach α = {f.fmt_number(ctx.alpha, 2)}.")
    return notes


def _test_notes(entry: dict[str, Any], mixed: dict[str, Any] | None) -> list[str]:
    notes = []
    fr = entry.get("friedman")
    if not_run_reason(fr):
        notes.append(str(_not_run_note("Friedman test", fr)))
    elif isinstance(fr, dict):
        parts = [f"Friedman test, {f.fmt_int(fr.get('n_complete'))} patients with every visit: "
                 f"χ²({f.fmt_int(fr.get('df'))}) = {f.fmt_number(fr.get('statistic'), 2)}, "
                 f"{f.p_clause(fr.get('p_value'), 'chi-square p')}"]
        if f.is_number(fr.get("p_value_exact")):
            parts.append(f.p_clause(fr["p_value_exact"], "permutation p"))
        if f.is_number(fr.get("kendall_w")):
            parts.append(f"Kendall's W = {f.fmt_number(fr['kendall_w'], 2)}")
        text_ = "; ".join(parts) + "."
        if fr.get("method"):
            text_ += f" Method: {fr['method']}."
        if fr.get("note"):
            text_ += f" {fr['note']}."
        notes.append(text_.replace("..", "."))
    else:
        notes.append("Friedman test: not computed (fewer than two weeks with complete data).")
    sm = entry.get("skillings_mack")
    if not_run_reason(sm):
        notes.append(str(_not_run_note("Skillings–Mack test", sm)))
    elif isinstance(sm, dict):
        notes.append(f"Skillings–Mack test (all {f.fmt_int(sm.get('n'))} patients, missing visits "
                     f"allowed): statistic {f.fmt_number(sm.get('statistic'), 2)}, "
                     f"df {f.fmt_int(sm.get('df'))}, {f.p_clause(sm.get('p_value'))}.")
    if not_run_reason(mixed):
        notes.append(str(_not_run_note("Mixed model", mixed)))
    elif mixed:
        notes.append(f"Mixed model on {f.fmt_int(mixed.get('n_observations'))} visits of "
                     f"{f.fmt_int(mixed.get('n_patients'))} patients (every visit used): estimated "
                     "difference from week 0.")
    else:
        notes.append("Mixed model: not fitted for this measure.")
    return notes


def comparisons_table(ctx: Context) -> Table | None:
    """Every number of every test against week 0, unrounded (spreadsheet only)."""
    fields = ("n_pairs", "n_nonzero", "median_difference", "hodges_lehmann", "ci95",
              "wilcoxon_v", "p_value_exact", "p_value_asymptotic", "p_adjusted", "t", "df",
              "p_value_t", "mean_difference", "min_attainable_p")
    outcomes = ctx.section("outcomes")
    rows: list[list[Cell]] = []
    for m in ordered_measures(outcomes):
        vs = dig(outcomes, m, "vs_baseline") or {}
        for w in f.sorted_weeks(vs):
            c = vs[w] or {}
            row = [text(m), text(w)]
            for field in fields:
                value = c.get(field)
                if field == "ci95":
                    ci = value if isinstance(value, list) and len(value) == 2 else [None, None]
                    row += [_raw(ci[0]), _raw(ci[1])]
                else:
                    row.append(_raw(value))
            rows.append(row)
    if not rows:
        return None
    header = ["measure", "week"]
    for field in fields:
        header += ["ci95_low", "ci95_high"] if field == "ci95" else [field]
    return Table("vs_baseline", "Tests against week 0 (full precision)", header, rows,
                 ["Unrounded values as in results.json."], excel_only=True)


def _raw(value: object) -> Cell:
    if f.is_number(value):
        return Cell(repr(value), value, "General")
    return text(value)


def criteria_table(ctx: Context) -> Table | None:
    """PRINTO inactive disease, inactive skin and rash improvement per week."""
    criteria = ctx.section("criteria")
    rows: list[list[Cell]] = []
    skipped: list[str] = []
    for name in [c for c in CRITERIA if isinstance(criteria.get(c), dict)]:
        rows.append([text(f.measure_label(name)), blank(), blank(), blank(), blank()])
        for w in f.sorted_weeks(criteria[name]):
            s = criteria[name][w] or {}
            note = _not_run_note(f"{f.measure_label(name)}, {f.week_label(w)}", s)
            if note:
                skipped.append(note)
            pct = (100 * s["proportion"]) if f.is_number(s.get("proportion")) else None
            rows.append([text(f.week_label(w), level=1), count(s.get("n_evaluable")),
                         text(f.count_pct(s.get("n_met"), pct, ctx.pct_decimals)),
                         text(f.fmt_ci(s.get("ci95"), ctx.pct_decimals, scale=100, suffix="%")),
                         count(_not_met(s))])
    if not rows:
        return None
    return Table("criteria", "Criteria met per week",
                 ["Criterion", "Evaluable", "Met, n (%)", "95% CI", "Not met"], rows,
                 ["Percent of the patients evaluable at that week; Clopper–Pearson 95% CI.",
                  *_rash_definition(ctx, "criteria"), *skipped, ctx.pct_note()])


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


def _not_met(s: dict[str, Any]) -> int | None:
    n, k = s.get("n_evaluable"), s.get("n_met")
    return int(n - k) if f.is_number(n) and f.is_number(k) else None


def response_table(ctx: Context) -> Table | None:
    """CR / PR / NR per week with n evaluable and 95% CIs."""
    response = ctx.section("response")
    if not response:
        return None
    rows: list[list[Cell]] = []
    skipped: list[str] = []
    for w in f.sorted_weeks(response):
        s = response[w] or {}
        row = [text(f.week_label(w)), count(s.get("n_evaluable"))]
        for k in RESPONSES:
            pct = dig(s, "percent", k)
            row.append(text(f.count_pct(s.get(k), pct, ctx.pct_decimals)))
            row.append(text(f.fmt_ci(dig(s, "ci95", k), ctx.pct_decimals, scale=100, suffix="%")))
        row.append(count(s.get("not_evaluable")))
        rows.append(row)
        note = _not_run_note(f"{f.week_label(w)}, response", s)
        if note:
            skipped.append(note)
    return Table("response", "Response per week",
                 ["Week", "Evaluable",
                  *[h for k in RESPONSES for h in (f"{response_label(k)}, n (%)",
                                                   f"{k} 95% CI")],
                  "Not evaluable"], rows,
                 ["CR complete response, PR partial response, NR no response (definitions in "
                  "Methods). Percent of the patients evaluable at that week; Clopper–Pearson "
                  "95% CI. Not evaluable: a visit whose known inputs do not decide the response.",
                  *skipped, ctx.pct_note()])


def tis_table(ctx: Context) -> Table | None:
    """Total Improvement Score per week: median and categories."""
    tis = dig(ctx.results, "criteria", "tis")
    if not isinstance(tis, dict) or not any(f.is_number(dig(s, "n")) and s["n"] > 0
                                            for s in tis.values()):
        return None
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(tis):
        s = tis[w] or {}
        row = [text(f.week_label(w)), count(s.get("n")),
               text(f.fmt_median_iqr(s.get("median"), s.get("q1"), s.get("q3"), 1))]
        for k in TIS_CATEGORIES:
            row.append(text(f.count_pct(s.get(k), f.percent(s.get(k), s.get("n")),
                                        ctx.pct_decimals)))
        rows.append(row)
    return Table("tis", "Total Improvement Score (2016 ACR/EULAR) per week",
                 ["Week", "n", "TIS, median (Q1, Q3)", *tis_category_labels(ctx)], rows,
                 [ctx.quartiles, "Improvement categories as n (% of patients with a TIS).",
                  f.rounding_note(measures=True, pct_decimals=ctx.pct_decimals)])


def taper_table(ctx: Context, measure: str = "cs_mg_kg_day") -> Table | None:
    """Corticosteroid dose per week and its change from week 0."""
    entry = ctx.section("outcomes").get(measure)
    if not isinstance(entry, dict) or not entry.get("by_week"):
        return None
    by_week = entry["by_week"]
    vs = entry.get("vs_baseline") or {}
    base = dig(by_week, "0", "median")
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(by_week):
        s = by_week[w] or {}
        c = vs.get(w) or {}
        change = None
        if w != "0" and f.is_number(base) and f.is_number(s.get("median")):
            change = f.percent(s["median"] - base, base)
        rows.append([
            text(f.week_label(w)), count(s.get("n")),
            text(f.fmt_median_iqr(s.get("median"), s.get("q1"), s.get("q3"), 2)),
            text(f.fmt_pct(change, ctx.pct_decimals) if w != "0" else "reference"),
            text(f"{f.fmt_number(c['hodges_lehmann'], 2)} ({f.fmt_ci(c.get('ci95'), 2)})"
                 if f.is_number(c.get("hodges_lehmann")) else None) if w != "0" else blank(),
            pval(c.get("p_adjusted")) if w != "0" else blank(),
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
