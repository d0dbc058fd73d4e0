"""Multiplicity adjustment of p-values, exactly as R ``p.adjust``.

* ``holm``: step-down Holm (1979), the default across the post-baseline weeks of one measure
  (design.md, "Multiplicity").
* ``bonferroni``: min(1, m p).
* ``BH`` (alias ``fdr``): Benjamini & Hochberg (1995) step-up false discovery rate.

Missing p-values (``None`` or ``NaN``) stay missing and do not count in m, as R does with
``NA`` (``n = length(p)`` after removing them).

References
----------
Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat. 1979;6:65-70.
Benjamini Y, Hochberg Y. Controlling the false discovery rate. J R Stat Soc B.
1995;57:289-300.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats._common import finite_or_none

__all__ = ["P_ADJUST_METHODS", "PAdjustResult", "p_adjust"]

#: Accepted method names (R's spellings) and what they are.
P_ADJUST_METHODS: dict[str, str] = {
    "holm": "Holm step-down (family-wise error)",
    "bonferroni": "Bonferroni (family-wise error)",
    "BH": "Benjamini-Hochberg step-up (false discovery rate)",
    "fdr": "Benjamini-Hochberg step-up (false discovery rate)",
}


@dataclass(frozen=True)
class PAdjustResult:
    """Adjusted p-values, in the order given; ``None`` where the input was missing."""

    method: str
    n: int
    p_values: tuple[float | None, ...]
    adjusted: tuple[float | None, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "method": self.method,
            "n": self.n,
            "p_values": list(self.p_values),
            "p_adjusted": list(self.adjusted),
        }


def p_adjust(p_values: Sequence[float | None] | Any, method: str = "holm") -> PAdjustResult:
    """Adjust p-values for multiple comparisons, as R ``p.adjust(p, method)``.

    Parameters
    ----------
    p_values
        Raw p-values in [0, 1]; ``None`` / ``NaN`` = not computed.
    method
        ``"holm"`` (default), ``"bonferroni"``, ``"BH"`` or ``"fdr"``.

    Raises
    ------
    SettingsError
        For an unknown method.
    ComputationError
        For a p-value outside [0, 1].

    Examples
    --------
    >>> p_adjust([0.01, 0.04, None, 0.03]).adjusted
    (0.03, 0.06, None, 0.06)
    >>> p_adjust([0.01, 0.04, 0.03], "BH").adjusted
    (0.03, 0.04, 0.04)
    """
    if method not in P_ADJUST_METHODS:
        raise SettingsError(
            f"p-value adjustment must be one of {', '.join(P_ADJUST_METHODS)}; got {method!r}"
        )
    raw: list[float | None] = []
    for value in np.asarray(p_values, dtype=object).ravel().tolist():
        value = finite_or_none(value) if value is not None else None
        if value is not None and not 0.0 <= value <= 1.0:
            raise ComputationError(f"a p-value must be in [0, 1]; got {value!r}")
        raw.append(value)
    present = [i for i, v in enumerate(raw) if v is not None]
    p = np.array([raw[i] for i in present], dtype=np.float64)
    m = int(p.size)
    adjusted = np.empty(m, dtype=np.float64)
    if m:
        if method == "bonferroni":
            adjusted = np.minimum(1.0, m * p)
        elif method == "holm":
            order = np.argsort(p, kind="stable")
            steps = (m - np.arange(m)) * p[order]  # (m - i + 1) p_(i)
            adjusted[order] = np.minimum(1.0, np.maximum.accumulate(steps))
        else:
            order = np.argsort(-p, kind="stable")  # R: order(p, decreasing = TRUE)
            ranks = np.arange(m, 0, -1)  # i = m, m - 1, ..., 1
            steps = m / ranks * p[order]
            adjusted[order] = np.minimum(1.0, np.minimum.accumulate(steps))
    out: list[float | None] = [None] * len(raw)
    for slot, value in zip(present, adjusted.tolist(), strict=True):
        out[slot] = value if not math.isnan(value) else None
    return PAdjustResult(method, m, tuple(raw), tuple(out))
