"""report/figure_canvas.py: a ``loc="best"`` legend is searched for once and then fixed at the
corner matplotlib's search chose, so the PNG is drawn as matplotlib would and the SVG gets
the same corner (matplotlib would search again at each draw)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from jdmtrack.report.figure_canvas import figure_rc, finish_figure, new_figure


@pytest.mark.parametrize(("x", "y", "expected"), [
    # Points filling the upper right: "best" moves the legend elsewhere.
    ([0.6, 0.7, 0.8, 0.9, 1.0], [0.6, 0.7, 0.8, 0.9, 1.0], "upper left"),
    # Points across the top: the legend goes to the bottom.
    ([0.0, 0.25, 0.5, 0.75, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0], "lower"),
])
def test_best_legend_fixed_where_the_search_put_it(x: list[float], y: list[float],
                                                    expected: str) -> None:
    with figure_rc():
        fig = new_figure(2.0)
        ax = fig.add_subplot()
        ax.plot(np.linspace(0, 1, 50), np.interp(np.linspace(0, 1, 50), x, y), label="data")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.05)
        legend = ax.legend(loc="best")
        engine = fig.get_layout_engine()
        assert engine is not None
        engine.execute(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        searched = legend.get_window_extent(renderer).get_points().copy()
        finish_figure(fig, "key", "title", "caption")
        assert legend._loc != 0  # type: ignore[attr-defined]  # fixed, no longer "best"
        fixed = {code: name for name, code in legend.codes.items()}[
            legend._loc]  # type: ignore[attr-defined]
        assert fixed.startswith(expected)
        np.testing.assert_allclose(legend.get_window_extent(renderer).get_points(), searched)
