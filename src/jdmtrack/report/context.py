"""What every table builder needs to know about the whole results dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import format as f

if TYPE_CHECKING:
    from ..results import Results, WeekSummary

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

    ``typed`` is the typed results every builder reads: the report never looks inside the
    results dict (:mod:`jdmtrack.results.read` did that once, at the boundary).
    """

    typed: Results
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
        n = typed.cohort.n_patients if typed.cohort is not None else None
        settings = typed.recorded_settings
        return cls(
            typed=typed,
            n_patients=n,
            pct_decimals=f.percent_decimals(n),
            quartiles=f.quartile_note(settings.quantile_method),
            alpha=settings.alpha,
        )

    def pct_note(self) -> str:
        return f.rounding_note(pct_decimals=self.pct_decimals)

    def label(self, measure: str) -> str:
        """The measure's short label (the results' label when the report has none)."""
        outcome = self.typed.outcomes.get(measure)
        return f.measure_label(measure, outcome.label if outcome is not None else None)

    def unit(self, measure: str) -> str | None:
        """The measure's unit as the results give it (None: not given)."""
        outcome = self.typed.outcomes.get(measure)
        return outcome.unit if outcome is not None else None

    def weeks(self, measure: str) -> dict[str, WeekSummary] | None:
        """The measure's summaries by week key; None when it is not in the analysis."""
        outcome = self.typed.outcomes.get(measure)
        return None if outcome is None else {w.week: w for w in outcome.by_week}

    def decimals(self, measure: str) -> int:
        """Decimal places of the measure's summaries (2 for doses per kilogram)."""
        return f.decimals_for(measure, self.unit(measure))
