"""The JAK-inhibitor dose figure: mg/kg/day at start against weight, with reference bands.

Drawn like the other figures (:mod:`.figures`: Okabe–Ito colours, a marker per drug so it
reads in greyscale). The caption is written from what was drawn, so it names every line,
band and marker the legend shows, and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..fields import code_label
from . import format as f
from .cells import dig
from .context import Context
from .figure_canvas import figure_rc, finish_figure, new_figure
from .figures import OKABE_ITO, RASTER_ABOVE
from .model import FigureOut

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DRUG_STYLE", "dose_figure"]

DRUG_STYLE = {  # drug: (colour, marker)
    "baricitinib": (OKABE_ITO["blue"], "o"),
    "tofacitinib": (OKABE_ITO["vermillion"], "s"),
    "ruxolitinib": (OKABE_ITO["green"], "^"),
}
_OTHER_MARKERS = ("D", "v", "P", "X")


def dose_figure(ctx: Context) -> tuple[FigureOut | None, list[str]]:
    """JAKi mg/kg/day against weight at start, by drug, with reference bands if given."""
    patients = ctx.results.get("patients")
    points = [p for p in patients or [] if f.is_number(p.get("weight_kg"))
              and f.is_number(p.get("jaki_mg_kg_day"))]
    if not points:
        return None, ["JAKi dose against weight: not drawn (no patient has both a weight and "
                      "a dose per kg)."]
    below = {str(pid) for pid in dig(ctx.results, "dosing", "below_reference") or []}
    bands = dig(ctx.results, "dosing", "reference_bands")
    with figure_rc():
        fig = new_figure(3.0)
        ax = fig.add_subplot()
        drugs = sorted({str(p.get("jaki_drug") or "unknown") for p in points})
        drawn_band, shaded = (_reference_bands(ax, bands, drugs,
                                               [float(p["weight_kg"]) for p in points])
                              if isinstance(bands, list) else (False, False))
        for i, drug in enumerate(drugs):
            colour, marker = DRUG_STYLE.get(
                drug, (OKABE_ITO["purple"], _OTHER_MARKERS[i % len(_OTHER_MARKERS)]))
            mine = [p for p in points if str(p.get("jaki_drug") or "unknown") == drug]
            ax.scatter([p["weight_kg"] for p in mine], [p["jaki_mg_kg_day"] for p in mine],
                       color=colour, marker=marker, s=22, edgecolors="black", linewidths=0.5,
                       label=_drug_label(drug), zorder=3,
                       rasterized=len(points) > RASTER_ABOVE)
        flagged = [p for p in points if str(p.get("patient_id")) in below]
        if flagged:
            ax.scatter([p["weight_kg"] for p in flagged], [p["jaki_mg_kg_day"] for p in flagged],
                       s=110, facecolors="none", edgecolors="black", linewidths=1.0,
                       label="Below the reference dose", zorder=4)
            if len(flagged) <= 10:  # more labels than this only clutter
                for p in flagged:
                    ax.annotate(str(p.get("patient_id")), (p["weight_kg"], p["jaki_mg_kg_day"]),
                                xytext=(6, 4), textcoords="offset points", fontsize=7)
        ax.set_xlabel("Weight at start (kg)")
        ax.set_ylabel("JAKi dose (mg/kg/day)")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        reference = dig(ctx.results, "dosing", "reference")
        caption = ("Daily JAK-inhibitor dose per kilogram at start against weight: one marker "
                   "per patient, by drug.")
        if drawn_band:
            caption += (" Dashed line: each drug's reference dose over its weight band, as "
                        "mg/kg/day at each weight"
                        + ("; dotted line: its maximum dose, the band between them shaded."
                           if shaded else ", which is also its maximum dose.")
                        + f" Reference: {reference or 'the dose reference table'}, at normal "
                        "renal function.")
        if flagged:
            caption += (" Circled: patients whose dose is below the reference dose"
                        + (", labelled with their identifier." if len(flagged) <= 10 else "."))
        notes = [] if drawn_band else ["No reference dose bands in the results: none drawn."]
        return finish_figure(fig, "dose_weight", "JAKi dose against weight", caption), notes


def _drug_label(drug: str) -> str:
    return "Unknown drug" if drug == "unknown" else code_label(drug)


def _reference_bands(ax: Axes, bands: list[Any], drugs: list[str],
                     weights: list[float]) -> tuple[bool, bool]:
    """Draw each drug's reference dose (dashed) and, where it differs, its maximum (dotted)
    with the band between shaded, over each weight band. Returns (any drawn, any shaded).

    Bands are rows of the dose reference table (``jdmtrack.protocol.dosing``); only
    recommended bands that apply at normal renal function (no upper eGFR limit) are drawn.
    Open weight limits end at the patients' lightest and heaviest weights.
    """
    import numpy as np

    low_w, high_w = 0.9 * min(weights), 1.1 * max(weights)
    drawn: set[str] = set()
    shaded: set[str] = set()
    for band in bands:
        if not isinstance(band, dict) or band.get("drug") not in drugs:
            continue
        if band.get("recommended") is False or f.is_number(band.get("egfr_max")):
            continue
        w0 = band["weight_min_kg"] if f.is_number(band.get("weight_min_kg")) else low_w
        w1 = band["weight_max_kg"] if f.is_number(band.get("weight_max_kg")) else high_w
        w0, w1 = max(float(w0), low_w), min(float(w1), high_w)
        if w1 <= w0:
            continue
        grid = np.linspace(w0, w1, 60)
        ends = []
        for per_kg, per_day in (("reference_mg_kg_day", "reference_mg_day"),
                                ("maximum_mg_kg_day", "maximum_mg_day")):
            if f.is_number(band.get(per_kg)):
                ends.append(np.full_like(grid, float(band[per_kg])))
            elif f.is_number(band.get(per_day)):
                ends.append(float(band[per_day]) / grid)
        if not ends:
            continue
        drug = str(band["drug"])
        colour = DRUG_STYLE.get(drug, (OKABE_ITO["purple"], "D"))[0]
        first = drug not in drawn
        ax.plot(grid, ends[0], color=colour, lw=1.0, linestyle="--", zorder=2,
                label=f"{_drug_label(drug)}: reference dose" if first else None)
        if len(ends) > 1 and not np.allclose(ends[0], ends[-1]):
            ax.fill_between(grid, ends[0], ends[-1], facecolor=colour, alpha=0.12,
                            edgecolor="none", zorder=1)
            ax.plot(grid, ends[-1], color=colour, lw=1.0, linestyle=":", zorder=2,
                    label=None if drug in shaded else f"{_drug_label(drug)}: maximum dose")
            shaded.add(drug)
        drawn.add(drug)
    return bool(drawn), bool(shaded)
