"""The adverse-event table by term and CTCAE grade (``safety.by_term`` of the results)."""

from __future__ import annotations

from ..results.safety import GradeCount, TermCount
from . import format as f
from .cells import count, num, text
from .context import Context
from .model import Cell, Table

__all__ = ["ae_term_table"]


def _row(ctx: Context, label: Cell, entry: TermCount | GradeCount, exposed: int | None
         ) -> list[Cell]:
    patients = entry.patients
    return [label, count(entry.events),
            text(f.count_pct(patients, f.percent(patients, exposed), ctx.pct_decimals)),
            num(entry.rate_per_100py, 1), text(f.fmt_ci(entry.rate_ci95, 1))]


def ae_term_table(ctx: Context) -> Table | None:
    """Each term (all grades), then each CTCAE grade recorded for it, indented."""
    safety = ctx.typed.safety
    if not safety.by_term:
        return None
    exposed = safety.n_exposed
    rows: list[list[Cell]] = []
    for entry in safety.by_term:
        rows.append(_row(ctx, text(entry.term), entry, exposed))
        for grade in entry.by_grade:
            g = grade.grade
            label = f"Grade {f.fmt_int(g)}" if g is not None else "Grade not recorded"
            rows.append(_row(ctx, text(label, level=1), grade, exposed))
    years = safety.patient_years
    return Table("ae_by_term", "Adverse events by term and CTCAE grade",
                 ["Term and CTCAE grade", "Events", "Patients with ≥ 1, n (%)",
                  "Events per 100 patient-years", "95% CI"], rows,
                 [f"Terms as recorded, most events first; under each, the CTCAE v5.0 grades "
                  f"recorded. Patients: of the {f.fmt_int(exposed)} exposed to a JAK "
                  f"inhibitor. Rate: events per 100 patient-years over the whole exposure "
                  f"({f.fmt_number(years, 1)} patient-years), with the exact Poisson 95% CI "
                  "(as R poisson.test).",
                  "Rounding: rates to 1 decimal place; "
                  + ctx.pct_note().removeprefix("Rounding: ")])
