"""Tables of the visit windows (every visit accounted for) and of the covariates."""

from __future__ import annotations

from . import format as f
from .cells import count, dig, text
from .context import Context
from .model import Cell, Table

__all__ = ["covariates_table", "visit_windows_table"]


def visit_windows_table(ctx: Context) -> Table | None:
    """Per analysis week: its window, visits mapped, used, not used, and outside every window."""
    windows = dig(ctx.results, "cohort", "visit_windows")
    per_week = dig(windows, "per_week")
    if not isinstance(per_week, dict) or not per_week:
        return None
    rows: list[list[Cell]] = []
    for w in f.sorted_weeks(per_week):
        s = per_week[w] or {}
        window = s.get("window") or [None, None]
        rows.append([text(f.week_label(w)),
                     text(f"{f.fmt_number(window[0], 1)} to {f.fmt_number(window[1], 1)}"),
                     count(s.get("mapped")), count(s.get("used")), count(s.get("not_used")),
                     count(s.get("off_target")), count(s.get("outside_nearest"))])
    outside = windows.get("outside_weeks") or []
    notes = [
        f"{f.fmt_int(windows.get('n_visits'))} visits recorded: {f.fmt_int(windows.get('n_used'))} "
        f"used, {f.fmt_int(windows.get('n_not_used'))} in a window but not used (the same "
        f"patient had a closer visit there), {f.fmt_int(windows.get('n_outside'))} outside every "
        "window.",
        str(windows.get("rule") or ""),
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
    covariates = ctx.section("covariates")
    if not covariates:
        return None
    weeks = f.sorted_weeks({w for c in covariates.values() if isinstance(c, dict)
                            for w in (c.get("by_week") or {})})
    rows: list[list[Cell]] = []
    for name, entry in covariates.items():
        if not isinstance(entry, dict):
            continue
        d = f.decimals_for(name, entry.get("unit"))
        row = [text(f.measure_label(name, entry))]
        for w in weeks:
            s = (entry.get("by_week") or {}).get(w) or {}
            cell = f.fmt_median_iqr(s.get("median"), s.get("q1"), s.get("q3"), d)
            row.append(text(cell if cell == f.MISSING else f"{cell} [{f.fmt_int(s.get('n'))}]"))
        rows.append(row)
    return Table("covariates", "Covariates over time (described, not tested)",
                 ["Covariate", *[f.week_label(w) for w in weeks]], rows,
                 [ctx.quartiles + " [n] = patients assessed at that week.",
                  "Body size, kidney function and JAKi dose are covariates: no test, not in "
                  "the multiplicity adjustment (choose tested measures with --measures)."])
