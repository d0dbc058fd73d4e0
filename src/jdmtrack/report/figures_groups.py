"""Figures by group (``--by FIELD``): Kaplan–Meier curves with one line per group, and each
outcome's median (Q1–Q3) per week per group.

Drawn like the other figures (:mod:`.figures`): Okabe–Ito colours, and each group also told
apart by line style and marker, so the figures read in greyscale. Every number comes from
the ``by`` section of the results (per-group estimates and the between-group tests). Each
caption is written from what was drawn, naming every group the legend shows in the colour,
line and marker it has there.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..fields import field
from ..results.events import Curve
from ..results.groups import GroupEvent, GroupOutcome, Groups, GroupTest
from . import format as f
from .context import Context
from .figure_canvas import figure_rc, finish_figure, new_figure
from .figures import OKABE_ITO, _at_risk, _axis_label, _full_scale, _nice_step
from .model import FigureOut
from .tables_groups import TEST_NAMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["GROUP_STYLES", "group_km_figure", "group_outcomes_figure"]

# Per group, in the order of the levels: (colour name, colour, line style name, line style,
# marker name, marker). Okabe & Ito (2008) colours; after eight groups the styles repeat.
GROUP_STYLES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("blue", OKABE_ITO["blue"], "solid", "-", "circles", "o"),
    ("orange", OKABE_ITO["orange"], "dashed", "--", "squares", "s"),
    ("green", OKABE_ITO["green"], "dotted", ":", "triangles", "^"),
    ("vermillion", OKABE_ITO["vermillion"], "dash-dot", "-.", "diamonds", "D"),
    ("sky blue", OKABE_ITO["sky"], "solid", "-", "inverted triangles", "v"),
    ("purple", OKABE_ITO["purple"], "dashed", "--", "plus signs", "P"),
    ("black", OKABE_ITO["black"], "dotted", ":", "crosses", "X"),
    ("yellow", OKABE_ITO["yellow"], "dash-dot", "-.", "pentagons", "p"),
)
_PANELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WEEK_AXIS = field("visits", "week").label  # weeks since JAKi start


def _style(index: int) -> tuple[str, str, str, str, str, str]:
    return GROUP_STYLES[index % len(GROUP_STYLES)]


def _group_words(by: Groups, *, markers: bool) -> str:
    """``tofacitinib (blue, solid line), ruxolitinib (orange, dashed line)``."""
    words = []
    for i, level in enumerate(by.levels):
        colour, _, line, _, marker, _ = _style(i)
        words.append(f"{level} ({colour}, {line} line" + (f", {marker})" if markers else ")"))
    return ", ".join(words)


def _test_words(test: GroupTest | None) -> str:
    if test is None:
        return "no test in the results"
    if test.p_value is None:
        return "not run" + (f" ({test.not_run})" if test.not_run else "")
    return f"{TEST_NAMES.get(str(test.test), 'test')} p = {f.fmt_p(test.p_value)}"


def _panels(count: int, row_height: float) -> tuple[Figure, list[Axes]]:
    """A figure of ``count`` panels, two a row (one when alone); the grid's spare cell is
    hidden. Call inside ``figure_rc()``."""
    ncols = 2 if count > 1 else 1
    nrows = math.ceil(count / ncols)
    fig = new_figure(row_height * nrows + 0.3)
    grid = list(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for spare in grid[count:]:
        spare.set_visible(False)
    return fig, grid[:count]


def _with_curve(event: GroupEvent) -> list[str]:
    return [lv for lv, estimate in event.groups.items() if estimate.curve is not None]


def _events_drawn(by: Groups) -> list[GroupEvent]:
    return [e for e in by.time_to_event if set(_with_curve(e)) & set(by.levels)]


def group_km_figure(ctx: Context) -> FigureOut | None:
    """Kaplan–Meier curves per group, a panel per event, numbers at risk per group under
    each panel and the log-rank p of each event in the caption."""
    by = ctx.typed.by
    events = _events_drawn(by) if by.levels else []
    if not events:
        return None
    with figure_rc():
        fig, axes = _panels(len(events), 2.6 + 0.14 * len(by.levels))
        for index, (ax, event) in enumerate(zip(axes, events, strict=True)):
            _km_group_panel(ax, by, event, f"{_PANELS[index % 26]}  {f.measure_label(event.event)}")
            if index == 0:
                ax.legend(loc="lower right")
        missing = [f"{_PANELS[i % 26]}: no estimate for "
                   + " or ".join(lv for lv in by.levels if lv not in _with_curve(e))
                   for i, e in enumerate(events) if len(_with_curve(e)) < len(by.levels)]
        tests = "; ".join(f"{_PANELS[i % 26]}, {f.measure_label(e.event)}: {_test_words(e.test)}"
                          for i, e in enumerate(events))
        caption = (f"Kaplan–Meier estimate by {by.label}, shown as the cumulative percentage "
                   f"of patients with the event (100 × (1 − S(t))): "
                   f"{_group_words(by, markers=False)}; tick marks: censored follow-up"
                   + (f" ({'; '.join(missing)})" if missing else "") + ". "
                   f"Numbers at risk per group under each panel. Log-rank tests between the "
                   f"groups (not adjusted for multiplicity): {tests}.")
        return finish_figure(fig, "kaplan_meier_by_group", f"Time to event by {by.label}",
                             caption)


def _km_group_panel(ax: Axes, by: Groups, event: GroupEvent, title: str) -> None:
    curves: list[tuple[int, str, Curve, int | None]] = []
    for i, level in enumerate(by.levels):
        estimate = event.groups.get(level)
        if estimate is not None and estimate.curve is not None:
            curves.append((i, level, estimate.curve, estimate.n))
    end = max((max(c.time) for _, _, c, _ in curves), default=1.0)
    step = _nice_step(end)
    ticks = [i * step for i in range(int(end // step) + 1)]
    for i, level, curve, n in curves:
        _, colour, _, dash, _, _ = _style(i)
        times = list(curve.time)
        percent = [100 * (1 - s) for s in curve.survival]
        ax.step([0.0, *times], [0.0, *percent], where="post", color=colour, linestyle=dash,
                lw=1.6, label=f"{level} (n = {f.fmt_int(n)})")
        before = [1.0, *curve.survival[:-1]]
        marks = [(t, p) for t, p, s, b in zip(times, percent, curve.survival, before,
                                              strict=True) if s == b]
        if marks:
            ax.plot([t for t, _ in marks], [p for _, p in marks], linestyle="none",
                    marker="|", ms=7, color=colour)
    rows = [[f.fmt_int(_at_risk(list(c.time), list(c.n_risk), t, n)) if c.n_risk else f.MISSING
             for t in ticks] for _, _, c, n in curves]
    ax.set_xticks(ticks, ["\n".join([f"{t:g}", *(row[j] for row in rows)])
                          for j, t in enumerate(ticks)])
    ax.set_xlim(0, max(end, ticks[-1]) * 1.03)
    ax.set_ylim(0, 103)
    ax.set_ylabel("With event (%)")
    ax.set_xlabel(_WEEK_AXIS)
    ax.set_title(title, loc="left")
    # The group of each at-risk line, level with it: tick (3.5 pt) + pad (3.5) + a line each.
    for row, (i, level, _, _) in enumerate(curves):
        ax.annotate(f"At risk, {level}", xy=(0, 0), xycoords="axes fraction",
                    xytext=(-12, -7 - 9.2 * (row + 1)), textcoords="offset points",
                    ha="right", va="top", fontsize=7.0, color=_style(i)[1])


def _unit(name: str) -> str | None:
    """A measure's unit in the field dictionary (derived column's, else the input one's)."""
    from ..fields import DERIVED_FIELDS, fields_of

    return next((spec.unit for spec in (*DERIVED_FIELDS, *fields_of("visits"))
                 if spec.name == name), None)


def _outcomes_drawn(by: Groups) -> list[GroupOutcome]:
    return [o for o in by.outcomes if o.tested and any(
        s.median is not None for w in o.weeks if f.week_number(w.week) is not None
        for s in w.groups.values())]


def group_outcomes_figure(ctx: Context) -> FigureOut | None:
    """Each compared outcome's median (Q1–Q3) per week, one line per group."""
    by = ctx.typed.by
    outcomes = _outcomes_drawn(by) if by.levels else []
    if not outcomes:
        return None
    with figure_rc():
        fig, axes = _panels(len(outcomes), 2.4)
        for index, (ax, outcome) in enumerate(zip(axes, outcomes, strict=True)):
            _outcome_panel(ax, by, outcome, index)
            if index == 0:
                ax.legend(loc="best")
        caption = (f"Median with Q1–Q3 bars per week by {by.label}: "
                   f"{_group_words(by, markers=True)}. The groups are drawn slightly apart "
                   "along the week axis so that their bars do not overlap. Tests between the "
                   "groups: the by-group outcomes table.")
        return finish_figure(fig, "outcomes_by_group", f"Outcomes by {by.label}", caption)


def _outcome_panel(ax: Axes, by: Groups, outcome: GroupOutcome, index: int) -> None:
    weeks = [w for w in outcome.weeks if f.week_number(w.week) is not None]
    weeks.sort(key=lambda w: f.week_number(w.week) or 0.0)
    span = max((f.week_number(w.week) or 0.0 for w in weeks), default=1.0) or 1.0
    shift = 0.02 * span
    for i, level in enumerate(by.levels):
        _, colour, _, dash, _, marker = _style(i)
        offset = (i - (len(by.levels) - 1) / 2) * shift
        points = [(float(f.week_number(w.week) or 0.0) + offset, s)
                  for w in weeks if (s := w.groups.get(level)) is not None
                  and s.median is not None]
        if not points:
            continue
        x = [p[0] for p in points]
        med = [p[1].median or 0.0 for p in points]
        low = [m - p[1].q1 if p[1].q1 is not None else 0.0 for m, p in zip(med, points,
                                                                             strict=True)]
        high = [p[1].q3 - m if p[1].q3 is not None else 0.0 for m, p in zip(med, points,
                                                                              strict=True)]
        ax.errorbar(x, med, yerr=[low, high], color=colour, linestyle=dash, marker=marker,
                    ms=4.5, lw=1.4, capsize=2.5, label=level)
    label = f.measure_label(outcome.name, {"label": outcome.label} if outcome.label else None)
    _full_scale(ax, outcome.name)
    ticks = [f.week_number(w.week) or 0.0 for w in weeks]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlabel(_WEEK_AXIS)
    ax.set_ylabel(_axis_label(label, _unit(outcome.name)))
    ax.set_title(f"{_PANELS[index % 26]}  {f.short_label(label)}", loc="left")
