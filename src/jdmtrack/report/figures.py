"""The report's figures, drawn with matplotlib (imported here, never at package import).

Conventions: Okabe–Ito colours, and every category also told apart by hatching, marker or
line style, so a figure reads in greyscale. Output is deterministic: a fixed SVG hash
salt, glyphs as paths, and no date or software version in the file metadata, so the
same results give byte-identical files.

Every number drawn comes from the results dict, except the per-patient lines, which are
the scored visits table.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from . import format as f
from .context import Context
from .figure_canvas import PNG_DPI as PNG_DPI  # re-exported: figures_dose, tests
from .figure_canvas import figure_rc, finish_figure, new_figure
from .labels import response_label, tis_category_labels
from .model import FigureOut

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..results.events import Curve

__all__ = [
    "TRAJECTORIES",
    "km_figure",
    "response_figure",
    "tis_figure",
    "trajectories_figure",
]

# Okabe & Ito (2008), "Color universal design": distinguishable with every common colour-vision
# deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
GREY = "#7F7F7F"
#: Above this many patients the per-patient lines are rasterised inside the SVG.
RASTER_ABOVE = 300

#: Panels of the per-patient figure (study B, Figure 1 B–E).
TRAJECTORIES = ("das_skin", "cmas_total", "mmt8_total", "cs_mg_kg_day")

# Category: (colour, hatch). Legend labels come from the field dictionary (code_label) and,
# for the TIS, the thresholds the analysis used.
RESPONSE_STYLE = {
    "CR": (OKABE_ITO["blue"], ""),
    "PR": (OKABE_ITO["sky"], "////"),
    "NR": (OKABE_ITO["orange"], "xxxx"),
}
TIS_STYLE = {
    "none": ("#FFFFFF", ""),
    "minimal": (OKABE_ITO["sky"], ".."),
    "moderate": (OKABE_ITO["orange"], "////"),
    "major": (OKABE_ITO["green"], "xxxx"),
}


def _stacked_bars(ax: Axes, weeks: list[str], totals: list[Any],
                  parts: dict[str, list[Any]], style: dict[str, tuple[str, str]],
                  names: dict[str, str]) -> None:
    x = list(range(len(weeks)))
    bottom = [0.0] * len(weeks)
    for key, counts in parts.items():
        colour, hatch = style[key]
        label = names[key]
        heights = [f.percent(c, n) or 0.0 for c, n in zip(counts, totals, strict=True)]
        bars = ax.bar(x, heights, bottom=bottom, width=0.62, color=colour, hatch=hatch,
                      edgecolor="black", linewidth=0.6, label=label)
        for rect, c, h, b in zip(bars, counts, heights, bottom, strict=True):
            if h >= 9 and f.is_number(c):
                ax.text(rect.get_x() + rect.get_width() / 2, b + h / 2, f.fmt_int(c),
                        ha="center", va="center", fontsize=7.5,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.85})
            elif h > 0 and f.is_number(c):
                # Too thin to hold its count: the count goes beside the bar, so that
                # every segment drawn is still labelled.
                ax.text(rect.get_x() + rect.get_width() + 0.03, b + h / 2, f.fmt_int(c),
                        ha="left", va="center", fontsize=7.5)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    for xi, n in zip(x, totals, strict=True):
        ax.text(xi, 102, f"n = {f.fmt_int(n)}", ha="center", va="bottom", fontsize=7.5)
    ax.set_xticks(x, [f.week_label(w) for w in weeks])
    ax.set_ylim(0, 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("Patients evaluable (%)")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0))


def response_figure(ctx: Context) -> FigureOut | None:
    """Stacked bars of CR / PR / NR per week, n evaluable above each bar."""
    response = ctx.typed.response
    weeks = [w for w in f.sorted_weeks(response) if (response[w].n_evaluable or 0) > 0]
    if not weeks:
        return None
    with figure_rc():
        fig = new_figure(2.8)
        ax = fig.add_subplot()
        _stacked_bars(ax, weeks, [response[w].n_evaluable for w in weeks],
                      {k: [response[w].counts.get(k) for w in weeks] for k in RESPONSE_STYLE},
                      RESPONSE_STYLE, {k: response_label(k) for k in RESPONSE_STYLE})
        return finish_figure(fig, "response", "Response per week",
                       "Complete, partial and no response as a percentage of the patients "
                       "evaluable at each week (n above each bar; counts inside the bars).")


def tis_figure(ctx: Context) -> FigureOut | None:
    """Stacked bars of TIS improvement categories per week."""
    tis = ctx.typed.criteria.tis
    weeks = [w for w in f.sorted_weeks(tis) if (tis[w].n or 0) > 0]
    if not weeks:
        return None
    with figure_rc():
        fig = new_figure(2.8)
        ax = fig.add_subplot()
        _stacked_bars(ax, weeks, [tis[w].n for w in weeks],
                      {k: [tis[w].categories.get(k) for w in weeks] for k in TIS_STYLE}, TIS_STYLE,
                      dict(zip(TIS_STYLE, tis_category_labels(ctx), strict=True)))
        ax.set_ylabel("Patients with a TIS (%)")
        return finish_figure(fig, "tis", "Total Improvement Score categories per week",
                       "2016 ACR/EULAR Total Improvement Score categories as a percentage of "
                       "the patients with a score at each week (n above each bar).")


def trajectories_figure(ctx: Context, visits: pd.DataFrame) -> tuple[FigureOut | None, list[str]]:
    """One line per patient with the median (Q1, Q3) per week, a panel per measure.

    Returns the figure (None if no panel can be drawn) and a note per skipped panel.
    """
    import numpy as np
    from matplotlib.collections import LineCollection

    notes: list[str] = []
    panels: list[str] = []
    for m in TRAJECTORIES:
        if m not in visits.columns or "patient_id" not in visits.columns:
            notes.append(f"{ctx.label(m)}: not drawn (no {m} column in the visits table).")
        elif visits[m].notna().sum() == 0:
            notes.append(f"{ctx.label(m)}: not drawn (no values recorded).")
        else:
            panels.append(m)
    if not panels or "week" not in visits.columns:
        return None, notes
    ncols = 2 if len(panels) > 1 else 1
    nrows = math.ceil(len(panels) / ncols)
    n_patients = int(visits["patient_id"].nunique())
    raster = n_patients > RASTER_ABOVE
    alpha = 0.7 if n_patients <= 50 else max(0.08, 35 / n_patients)
    with figure_rc():
        fig = new_figure(2.5 * nrows + 0.2)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for index, (ax, m) in enumerate(zip(axes, panels, strict=False)):
            data = visits.loc[visits[m].notna(), ["patient_id", "week", m]]
            data = data.sort_values(["patient_id", "week"], kind="stable")
            ids = data["patient_id"].astype(str).to_numpy()
            xy = np.column_stack([data["week"].to_numpy(dtype=float),
                                  data[m].to_numpy(dtype=float)])
            starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
            segments = [s for s in np.split(xy, starts[1:]) if len(s) > 1]
            lines = LineCollection(segments, colors=GREY, linewidths=0.8, alpha=alpha,
                                   label="Each patient", rasterized=raster)
            ax.add_collection(lines)
            points = ax.scatter(xy[:, 0], xy[:, 1], s=5, color=GREY, alpha=alpha,
                                linewidths=0, rasterized=raster, zorder=2)
            # Drawn inside the axes (clipped): measuring their extent for the layout, path by
            # path, cannot move anything.
            lines.set_in_layout(False)
            points.set_in_layout(False)
            _median_line(ctx, ax, m, notes)
            ax.autoscale_view()
            _full_scale(ax, m)
            label = ctx.label(m)
            ax.set_title(f"{'ABCDEFGH'[index]}  {f.short_label(label)}", loc="left")
            ax.set_xlabel("Weeks since JAKi start")
            ax.set_ylabel(_axis_label(label, ctx.unit(m)))
            _week_ticks(ctx, ax, m, xy[:, 0])
            if index == 0:
                from matplotlib.lines import Line2D

                handles, labels = ax.get_legend_handles_labels()
                each = Line2D([], [], color=GREY, linewidth=1.0)  # opaque, whatever the alpha
                pairs = [(each if lab == "Each patient" else h, lab)
                         for h, lab in zip(handles, labels, strict=True)]
                ax.legend([h for h, _ in pairs], [lab for _, lab in pairs], loc="best")
        for ax in axes[len(panels):]:
            ax.set_visible(False)
        caption = ("Grey: one line per patient (scored visits). Black squares: median with "
                   "Q1–Q3 bars, from the analysis; n per week under each tick.")
        return finish_figure(fig, "trajectories", "Scores and corticosteroid dose per patient",
                       caption), notes


def scale_range(name: str) -> tuple[float | None, float | None]:
    """A measure's scale from the field dictionary (the derived column's, else the input
    one's); a plausibility limit is a check on typing, not a scale, so it is not used.

    >>> scale_range("cmas_total"), scale_range("das_skin"), scale_range("cs_mg_kg_day")
    ((0, 52), (0, 9), (0, None))
    """
    from ..fields import DERIVED_FIELDS, fields_of

    for spec in (*DERIVED_FIELDS, *fields_of("visits")):
        if spec.name == name:
            if spec.source == "plausibility":
                return None, None
            return spec.minimum, spec.maximum
    return None, None


def _full_scale(ax: Axes, name: str) -> None:
    """Show the measure's whole scale (CMAS 0 to 52, not from the lowest value seen): an
    axis cut short exaggerates change. A margin keeps points at the limits whole."""
    low, high = scale_range(name)
    bottom, top = ax.get_ylim()
    bottom = bottom if low is None else float(low)
    top = top if high is None else float(high)
    pad = 0.04 * (top - bottom) if top > bottom else 0.5
    ax.set_ylim(bottom - pad if low is not None else bottom,
                top + pad if high is not None else top)


def _axis_label(label: str, unit: object) -> str:
    """The y-axis label: the unit, or "Score" with the scale's range.

    >>> _axis_label("CMAS (0–52)", "points"), _axis_label("CS dose", "mg/kg/day")
    ('Score (0–52)', 'mg/kg/day')
    """
    if isinstance(unit, str) and unit and unit != "points":
        return unit
    bracket = label.find(" (")
    return "Score" + (label[bracket:] if bracket >= 0 else "")


def _median_line(ctx: Context, ax: Axes, m: str, notes: list[str]) -> None:
    by_week = ctx.weeks(m)
    if by_week is None:
        notes.append(f"{ctx.label(m)}: no median line (the measure is not in the analysis).")
        return
    weeks = [w for w in f.sorted_weeks(by_week)
             if by_week[w].median is not None and f.week_number(w) is not None]
    x = [float(w) for w in weeks]
    med = [cast(float, by_week[w].median) for w in weeks]
    low = [med[i] - q1 if (q1 := by_week[w].q1) is not None else 0.0
           for i, w in enumerate(weeks)]
    high = [q3 - med[i] if (q3 := by_week[w].q3) is not None else 0.0
            for i, w in enumerate(weeks)]
    ax.errorbar(x, med, yerr=[low, high], color="black", lw=2.0, marker="s", ms=4.5,
                capsize=3, zorder=4, label="Median (Q1, Q3)")


def _week_ticks(ctx: Context, ax: Axes, m: str, weeks_seen: Any) -> None:
    by_week = ctx.weeks(m)
    if by_week:
        keys = [w for w in f.sorted_weeks(by_week) if f.week_number(w) is not None]
        ax.set_xticks([float(w) for w in keys],
                      [f"{float(w):g}\nn={f.fmt_int(by_week[w].n)}" for w in keys])
    else:
        ticks = sorted({float(w) for w in weeks_seen})[:12]
        ax.set_xticks(ticks, [f"{w:g}" for w in ticks])


def _nice_step(span: float) -> float:
    for step in (1, 2, 4, 8, 12, 26, 52, 104):
        if span / step <= 8:
            return float(step)
    return float(math.ceil(span / 8))


def km_figure(ctx: Context) -> FigureOut | None:
    """Kaplan–Meier curves (shown as the cumulative % with the event), at-risk numbers below."""
    events = [(e, s.curve, s.n) for e, s in ctx.typed.time_to_event.items() if s.curve]
    if not events:
        return None
    ncols = 2 if len(events) > 1 else 1
    nrows = math.ceil(len(events) / ncols)
    with figure_rc():
        fig = new_figure(2.6 * nrows + 0.2)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for index, (ax, (event, curve, n)) in enumerate(zip(axes, events, strict=False)):
            _km_panel(ax, curve, n, f"{'ABCDEFGH'[index % 8]}  {f.measure_label(event)}")
        for ax in axes[len(events):]:
            ax.set_visible(False)
        return finish_figure(fig, "kaplan_meier", "Time to event",
                       "Kaplan–Meier estimate shown as the cumulative percentage of patients "
                       "with the event (100 × (1 − S(t))); tick marks: censored follow-up. "
                       "Numbers at risk under each panel.")


def _km_panel(ax: Axes, curve: Curve, n: int | None, title: str) -> None:
    times = list(curve.time)
    surv = list(curve.survival)
    at_risk = list(curve.n_risk)
    x = [0.0, *times]
    y = [0.0, *[100 * (1 - s) for s in surv]]
    ax.step(x, y, where="post", color=OKABE_ITO["blue"], lw=1.6)
    previous = 1.0
    censored = []
    for t, s in zip(times, surv, strict=True):
        if s == previous:
            censored.append((t, 100 * (1 - s)))
        previous = s
    if censored:
        ax.plot([c[0] for c in censored], [c[1] for c in censored], linestyle="none",
                marker="|", ms=7, color=OKABE_ITO["blue"])
    end = max(times) if times else 1.0
    step = _nice_step(end)
    ticks = [i * step for i in range(int(end // step) + 1)]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlim(0, max(end, ticks[-1]) * 1.03)
    ax.set_ylim(0, 103)
    ax.set_ylabel("With event (%)")
    ax.set_title(title, loc="left")
    if at_risk and len(at_risk) == len(times):
        labels = [f.fmt_int(_at_risk(times, at_risk, t, n)) for t in ticks]
        ax.set_xticks(ticks, [f"{t:g}\n{n}" for t, n in zip(ticks, labels, strict=True)])
        # Level with the second line of the tick labels: tick (3.5 pt) + pad (3.5) + a line.
        ax.annotate("At risk", xy=(0, 0), xycoords="axes fraction", xytext=(-12, -7 - 9.2),
                    textcoords="offset points", ha="right", va="top", fontsize=7.5,
                    style="italic")
    ax.set_xlabel("Weeks since JAKi start")


def _at_risk(times: list[float], n_risk: list[Any], t: float, n: object) -> object:
    """Number at risk at ``t``, as R's ``summary(survfit, times = t)`` gives it."""
    for time, risk in zip(times, n_risk, strict=True):
        if time >= t:
            return risk
    return 0 if times else n
