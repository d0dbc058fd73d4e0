"""What a patient's page and the visit form show: the library's validation and scores.

The registry computes no score itself. A patient's stored rows (with the visit being
typed put in place of its saved version) are handed as cohort-format text to
``jdmtrack.validate.validate_cohort`` and ``jdmtrack.pipeline.score_cohort`` — the calls
behind ``jdmtrack validate`` and ``jdmtrack score`` — and the page shows what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import InputError, Problem
from ..fields import DERIVED_FIELDS, Field
from .tables import raw_cohort, row_text, text_frame, text_value

__all__ = ["LIVE_FIELDS", "Evaluation", "evaluate", "patient_tables"]

# The derived visit columns the form shows as it is typed, in dictionary order.
LIVE_GROUPS = ("cmas", "mmt8", "das", "criteria")
LIVE_FIELDS: tuple[Field, ...] = tuple(f for f in DERIVED_FIELDS if f.group in LIVE_GROUPS)


@dataclass
class Evaluation:
    """Problems (the row cannot be saved), else the derived values of each visit, and warnings."""

    problems: list[Problem] = field(default_factory=list)
    visits: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    edited: dict[str, str] | None = None
    typed: pd.DataFrame | None = None
    # Every row a warning rule fired on (``WarningLog.per_row``): code, table, week, column.
    fired: pd.DataFrame | None = None

    def problems_by_column(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in self.problems:
            got = "" if p.value is None else f"got {p.value!r}, "
            out.setdefault(p.column or "", []).append(f"{got}expected {p.expected}")
        return out


def patient_tables(patient: Any, edited: dict[str, str] | None = None,
                   replaces: int | None = None) -> dict[str, pd.DataFrame]:
    """The patient's rows as cohort text tables; ``edited`` replaces visit ``replaces``
    (or is added as a new visit) and is always the last visit row."""
    visits = [row_text("visits", v) for v in patient.visits.all() if v.pk != replaces]
    if edited is not None:
        visits.append(edited)
    tables = {"patients": text_frame("patients", [row_text("patients", patient)]),
              "visits": text_frame("visits", visits)}
    for table, related in (("events", "events_rows"), ("adverse_events", "adverse_events_rows")):
        rows = [row_text(table, r) for r in getattr(patient, related).all()]
        if rows:
            tables[table] = text_frame(table, rows)
    return tables


def evaluate(patient: Any, edited: dict[str, str] | None = None,
             replaces: int | None = None) -> Evaluation:
    """Validate and score one patient's data, as ``jdmtrack validate``/``score`` would."""
    from ..pipeline import score_cohort
    from ..validate import validate_cohort

    tables = patient_tables(patient, edited, replaces)
    try:
        cohort = validate_cohort(raw_cohort(tables, f"patient {patient.patient_id}"))
    except InputError as err:
        # Only the edited row's problems concern the person typing (saved rows were valid).
        last = 1 + len(tables["visits"])
        mine = [p for p in err.problems if edited is None or p.row in (None, last)
                or not p.file.endswith("visits.csv")]
        return Evaluation(problems=mine or list(err.problems))
    scored = score_cohort(cohort)
    rows = []
    for _, visit in scored.visits.sort_values("week").iterrows():
        rows.append({"week": text_value(_plain(visit["week"])),
                     **{f.name: _shown(f, visit.get(f.name)) for f in LIVE_FIELDS}})
    result = Evaluation(visits=rows, typed=cohort.visits)
    # One line per row a rule fired on (the log itself is aggregated by kind).
    fired = scored.warnings.per_row()
    result.fired = fired
    weeks = pd.to_numeric(fired["week"], errors="coerce")
    if edited is not None:
        last_row = scored.visits.iloc[-1]
        result.edited = {f.name: _shown(f, last_row.get(f.name)) for f in LIVE_FIELDS}
        at_this_visit = weeks.isna() | (weeks == float(last_row["week"]))
        result.warnings = [str(m) for m in fired.loc[at_this_visit, "message"]]
    else:
        result.warnings = [("" if pd.isna(w) else f"week {w:g}: ") + str(m)
                           for w, m in zip(weeks, fired["message"], strict=True)]
    return result


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    return value


def _shown(spec: Field, value: Any) -> str:
    """A derived value as the page shows it (full precision; missing is a dash)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, (bool, pd.BooleanDtype().type)):
        return "yes" if value else "no"
    if isinstance(value, float):
        return text_value(_plain(value))
    return str(value) if str(value) else "–"
