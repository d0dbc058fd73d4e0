"""Tables of the visit windows (every visit accounted for) and of the covariates."""

from __future__ import annotations

from . import format as f
from .cells import count, text
from .context import Context
from .model import Cell, Table

__all__ = ["covariates_table", "visit_windows_table"]


def visit_windows_table(ctx: Context) -> Table | None:
    """Per analysis week: its window, visits mapped, used, not used, and outside every window."""
    windows = ctx.typed.cohort.visit_windows if ctx.typed.cohort is not None else None
    if windows is None or not windows.per_week:
        return None
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(windows.per_week):
        s = windows.per_week[w]
        low, high = s.window or (None, None)
        rows.append([text(f.week_label(w)),
                     text(f"{f.fmt_number(low, 1)} to {f.fmt_number(high, 1)}"),
                     count(s.mapped), count(s.used), count(s.not_used),
                     count(s.off_target), count(s.outside_nearest)])
    outside = windows.outside_weeks
    notes = [
        f"{f.fmt_int(windows.n_visits)} visits recorded: {f.fmt_int(windows.n_used)} "
        f"used, {f.fmt_int(windows.n_not_used)} in a window but not used (the same "
        f"patient had a closer visit there), {f.fmt_int(windows.n_outside)} outside every "
        "window.",
        windows.rule or "",
        "Off target: used visits recorded at another week than the analysis week. Outside: "
        "visits outside every window, counted under their nearest analysis week"
        + (f" (recorded at weeks {', '.join(f.fmt_number(x, 1) for x in outside[:12])}"
           + (", …" if len(outside) > 12 else "") + ")." if outside else "."),
    ]
    return Table("visit_windows", "Visit windows: every visit accounted for",
                 ["Analysis week", "Window, weeks", "Visits in window", "Used", "Not used",
                  "Off target", "Outside (nearest)"], rows, notes)


def covariates_table(ctx: Context) -> Table | None:
    """Covariates per analysis week: median (Q1, Q3) [n]; described, not tested."""
    covariates = ctx.typed.covariates
    if not covariates:
        return None
    weeks = f.sorted_weeks({w for c in covariates.values() for w in c.by_week})
    rows: list[list[Cell]] = []
    for name, entry in covariates.items():
        d = f.decimals_for(name, entry.unit)
        row = [text(f.measure_label(name, entry.label))]
        for w in weeks:
            s = entry.by_week.get(w)
            cell = f.MISSING if s is None else f.fmt_median_iqr(s.median, s.q1, s.q3, d)
            n = s.n if s is not None else None
            row.append(text(cell if cell == f.MISSING else f"{cell} [{f.fmt_int(n)}]"))
        rows.append(row)
    return Table("covariates", "Covariates over time (described, not tested)",
                 ["Covariate", *[f.week_label(w) for w in weeks]], rows,
                 [ctx.quartiles + " [n] = patients assessed at that week.",
                  "Body size, kidney function and JAKi dose are covariates: no test, not in "
                  "the multiplicity adjustment (choose tested measures with --measures)."])
