"""The figures' canvas: a figure made at the PNG's resolution, laid out once, and written
as PNG (300 dpi) and SVG from that one layout. matplotlib is imported inside the functions,
never with the package.

Output is deterministic: a fixed SVG hash salt, glyphs as paths, and no date or software
version in the file metadata, so the same drawing gives byte-identical files.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

from .model import FigureOut
from .png import rgb_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PNG_DPI", "SVG_RASTER_DPI", "WIDTH_IN", "figure_rc", "finish_figure", "new_figure"]

WIDTH_IN = 6.5  # fits an A4 or Letter page with 2 cm margins
PNG_DPI = 300
#: Resolution of the parts of an SVG that are rasterised (see ``figures.RASTER_ABOVE``).
SVG_RASTER_DPI = 100

_SVG_SALT = "jdmtrack-report"  # fixed, so that SVG ids (and so the files) never change
_RC: dict[str, Any] = {
    "svg.hashsalt": _SVG_SALT,
    "svg.fonttype": "path",
    "figure.facecolor": "white",  # opaque whatever a matplotlibrc says: the PNG is RGB
    "font.family": "DejaVu Sans",
    "font.size": 8.0,
    "axes.titlesize": 9.0,
    "axes.labelsize": 8.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "hatch.linewidth": 0.6,
    "path.simplify": True,
}
_SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None,
                                        "Type": None}


def new_figure(height_in: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # At the PNG's resolution and on its Agg canvas from the start: the layout then measures
    # every text with the renderer that draws the PNG, which reuses those measurements.
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def finish_figure(fig: Figure, key: str, title: str, caption: str) -> FigureOut:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    engine = fig.get_layout_engine()
    if engine is not None:  # lay out once; with no engine left, savefig does not lay out again
        engine.execute(fig)
        fig.set_layout_engine(None)
    # Typed as Any: matplotlib leaves draw() and buffer_rgba() unannotated.
    canvas: Any = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    _settle_best_legends(fig, canvas.get_renderer())
    canvas.draw()
    png = rgb_png(canvas.buffer_rgba(), PNG_DPI)
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT}):
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", dpi=SVG_RASTER_DPI, metadata=_SVG_METADATA)
    return FigureOut(key, title, caption, svg.getvalue().decode("utf-8"), png)


def _settle_best_legends(fig: Figure, renderer: Any) -> None:
    """Fix each ``loc="best"`` legend at the corner the search chose.

    The search scores every candidate corner against every line and point of its axes (in
    the 2,000-patient trajectories figure, 2,000 lines and 8,778 points), and matplotlib
    runs it again at each draw: the layout, the PNG and the SVG. Run once, at the PNG's
    resolution, it also gives the SVG the PNG's corner.
    """
    import numpy as np

    for ax in fig.axes:
        legend: Any = ax.get_legend()
        # 0: "best" in matplotlib's legend codes (a private attribute: if it is ever gone,
        # the legend is left to matplotlib's own search).
        if legend is None or getattr(legend, "_loc", None) != 0:
            continue
        chosen = legend.get_window_extent(renderer).p0
        for code in range(1, 11):  # the corners "best" chooses among, in its order
            legend.set_loc(code)
            if np.allclose(legend.get_window_extent(renderer).p0, chosen):
                break
        else:
            legend.set_loc("best")


def figure_rc() -> Any:
    import matplotlib

    return matplotlib.rc_context(cast(Any, _RC))  # the stubs want each key as a Literal
