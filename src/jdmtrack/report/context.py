"""What every table builder needs to know about the whole results dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import format as f
from .cells import dig, section_of

if TYPE_CHECKING:
    from ..results import Results

__all__ = ["PREFERRED_MEASURES", "Context", "ordered_measures"]

# The order measures appear in (study B's Table 2 and Figure 1 first); others follow A-Z.
PREFERRED_MEASURES = (
    "das_skin", "cmas_total", "mmt8_total", "das_total", "das_muscle", "catbm_activity",
    "catbm_damage", "phga_cm", "ptga_cm", "extramuscular_cm", "chaq", "ck_u_l", "ldh_u_l",
    "aldolase_u_l", "ast_u_l", "alt_u_l", "cs_mg_kg_day", "tis",
)


def ordered_measures(names: object) -> list[str]:
    """Measure names in report order.

    >>> ordered_measures(["zeta", "cmas_total", "alpha", "das_skin"])
    ['das_skin', 'cmas_total', 'alpha', 'zeta']
    """
    if not isinstance(names, Mapping | list | tuple | set):
        return []
    present = [str(n) for n in names]
    first = [m for m in PREFERRED_MEASURES if m in present]
    return first + sorted(m for m in present if m not in PREFERRED_MEASURES)


@dataclass(frozen=True)
class Context:
    """Report-wide presentation settings derived from the results.

    ``typed`` is the typed results every builder reads. ``results`` is the same results as
    a dict of printable strings, kept only while builders move to ``typed`` (issue 14:
    the report renders from ``Results``; this attribute goes when none reads it).
    """

    typed: Results
    results: Mapping[str, Any]
    n_patients: int | None
    pct_decimals: int
    quartiles: str
    alpha: float | None

    @classmethod
    def of(cls, source: Results | Mapping[str, Any]) -> Context:
        """The context of typed results (a results-file dict is read into them first)."""
        from ..results import Results

        typed = (source if isinstance(source, Results)
                 else Results.from_dict(source, copy_data=False))
        results = f.printable_tree(dict(typed.data))
        n = dig(results, "cohort", "n_patients")
        alpha = dig(results, "settings", "alpha")
        return cls(
            typed=typed,
            results=results,
            n_patients=int(n) if f.is_number(n) else None,
            pct_decimals=f.percent_decimals(n),
            quartiles=f.quartile_note(dig(results, "settings", "quantile_method")),
            alpha=float(alpha) if f.is_number(alpha) else None,
        )

    def section(self, key: str) -> dict[str, Any]:
        return section_of(self.results, key)

    def pct_note(self) -> str:
        return f.rounding_note(pct_decimals=self.pct_decimals)

    def label(self, measure: str) -> str:
        entry = self.section("outcomes").get(measure)
        return f.measure_label(measure, entry if isinstance(entry, dict) else None)

    def decimals(self, measure: str) -> int:
        entry = self.section("outcomes").get(measure)
        unit = entry.get("unit") if isinstance(entry, dict) else None
        return f.decimals_for(measure, unit)
