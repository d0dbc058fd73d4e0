"""The JAK-inhibitor dose figure: mg/kg/day at start against weight, with reference bands.

Drawn like the other figures (:mod:`.figures`: Okabe–Ito colours, a marker per drug so it
reads in greyscale). The caption is written from what was drawn, so it names every line,
band and marker the legend shows, and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..fields import code_label
from ..results.dosing import DoseBand
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
    dosing = ctx.typed.dosing
    points = dosing.points
    if not points:
        return None, ["JAKi dose against weight: not drawn (no patient has both a weight and "
                      "a dose per kg)."]
    below = set(dosing.below_reference)
    bands = dosing.bands
    with figure_rc():
        fig = new_figure(3.0)
        ax = fig.add_subplot()
        drugs = sorted({p.drug for p in points})
        drawn_band, shaded = (_reference_bands(ax, bands, drugs, [p.weight_kg for p in points])
                              if bands is not None else (False, False))
        for i, drug in enumerate(drugs):
            colour, marker = DRUG_STYLE.get(
                drug, (OKABE_ITO["purple"], _OTHER_MARKERS[i % len(_OTHER_MARKERS)]))
            mine = [p for p in points if p.drug == drug]
            ax.scatter([p.weight_kg for p in mine], [p.mg_kg_day for p in mine],
                       color=colour, marker=marker, s=22, edgecolors="black", linewidths=0.5,
                       label=_drug_label(drug), zorder=3,
                       rasterized=len(points) > RASTER_ABOVE)
        flagged = [p for p in points if p.patient_id in below]
        if flagged:
            ax.scatter([p.weight_kg for p in flagged], [p.mg_kg_day for p in flagged],
                       s=110, facecolors="none", edgecolors="black", linewidths=1.0,
                       label="Below the reference dose", zorder=4)
            if len(flagged) <= 10:  # more labels than this only clutter
                for p in flagged:
                    ax.annotate(p.patient_id, (p.weight_kg, p.mg_kg_day),
                                xytext=(6, 4), textcoords="offset points", fontsize=7)
        ax.set_xlabel("Weight at start (kg)")
        ax.set_ylabel("JAKi dose (mg/kg/day)")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        reference = dosing.reference
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


def _reference_bands(ax: Axes, bands: tuple[DoseBand, ...], drugs: list[str],
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
        if band.drug not in drugs or band.recommended is False or band.egfr_max is not None:
            continue
        w0 = band.weight_min_kg if band.weight_min_kg is not None else low_w
        w1 = band.weight_max_kg if band.weight_max_kg is not None else high_w
        w0, w1 = max(w0, low_w), min(w1, high_w)
        if w1 <= w0:
            continue
        grid = np.linspace(w0, w1, 60)
        ends = []
        for per_kg, per_day in ((band.reference_mg_kg_day, band.reference_mg_day),
                                (band.maximum_mg_kg_day, band.maximum_mg_day)):
            if per_kg is not None:
                ends.append(np.full_like(grid, per_kg))
            elif per_day is not None:
                ends.append(per_day / grid)
        if not ends:
            continue
        drug = str(band.drug)
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
