"""The footnotes every table shares: the quartile definition and the rounding."""

from __future__ import annotations

from .rounding import is_number

__all__ = ["quartile_note", "rounding_note"]

# Hyndman & Fan (1996) sample-quantile types and the software that uses each by default.
_QUANTILE_SOFTWARE: dict[int, str] = {
    2: "SAS",
    6: "SPSS, GraphPad Prism, Minitab",
    7: "R, numpy, Excel QUARTILE.INC",
}


def quartile_note(method: object) -> str:
    """The footnote naming the quartile definition.

    >>> quartile_note(6)
    'Median (Q1, Q3); quartiles by Hyndman–Fan type 6 (as SPSS, GraphPad Prism, Minitab).'
    """
    if not is_number(method):
        return "Median (Q1, Q3)."
    kind = int(method)
    software = _QUANTILE_SOFTWARE.get(kind)
    tail = f" (as {software})" if software else ""
    return f"Median (Q1, Q3); quartiles by Hyndman–Fan type {kind}{tail}."


def rounding_note(*, measures: bool = False, doses: bool = False, pct_decimals: int | None = None,
                  p_values: bool = False) -> str:
    """The footnote stating a table's rounding.

    >>> rounding_note(measures=True, doses=True, p_values=True)
    'Rounding: summaries to 1 decimal place, doses in mg/kg/day to 2; p-values to 3 decimal \
places. p < 0.001 is printed for any p-value below 0.001.'
    >>> rounding_note(pct_decimals=0)
    'Rounding: percentages to 0 decimal places (they may not add to 100).'
    """
    parts = []
    if measures and doses:
        parts.append("summaries to 1 decimal place, doses in mg/kg/day to 2")
    elif measures:
        parts.append("summaries to 1 decimal place")
    elif doses:
        parts.append("doses in mg/kg/day to 2 decimal places")
    if pct_decimals is not None:
        plural = "s" if pct_decimals != 1 else ""
        parts.append(f"percentages to {pct_decimals} decimal place{plural}"
                     " (they may not add to 100)")
    if p_values:
        parts.append("p-values to 3 decimal places")
    text = "Rounding: " + "; ".join(parts) + "." if parts else ""
    if p_values:
        text += " p < 0.001 is printed for any p-value below 0.001."
    return text
