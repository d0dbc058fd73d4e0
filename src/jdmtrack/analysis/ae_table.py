"""Adverse events by term and CTCAE grade: events, patients, rate per 100 patient-years.

The safety table every report of a drug carries: for each adverse-event term as recorded
(``adverse_events.term``, grouped exactly as written: two spellings stay two rows), the
number of events, the number of patients with at least one, and the exposure-adjusted rate
with its exact Poisson 95% CI (:func:`jdmtrack.stats.safety.event_rate`, as R
``poisson.test``); then the same for each CTCAE grade recorded for that term, and for the
events whose grade was not recorded. Every rate uses the cohort's whole exposure (the
patient-years of ``safety``), as the overall rate does, so the rows of a term add up to it.

Terms come in order of events (most first), ties by term; grades in order, unknown last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..stats.safety import event_rate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ae_by_term"]


def _counts(rows: pd.DataFrame, exposure_weeks: float, n_exposed: int | None) -> dict[str, Any]:
    rate = event_rate(len(rows), exposure_weeks, n_patients=int(rows["patient_id"].nunique()),
                      n_exposed=n_exposed)
    return {"events": rate.n_events, "patients": rate.n_patients,
            "rate_per_100py": rate.as_dict()["rate_per_100py"],
            "rate_ci95": rate.as_dict()["rate_ci95"]}


def ae_by_term(adverse: pd.DataFrame, exposure_weeks: float,
               n_exposed: int | None = None) -> list[dict[str, Any]]:
    """One entry per term: ``{term, events, patients, rate_per_100py, rate_ci95,
    by_grade: [{grade, events, patients, rate_per_100py, rate_ci95}]}`` (``grade`` None:
    not recorded). Empty when there is no adverse event.

    >>> import pandas as pd
    >>> ae = pd.DataFrame({"patient_id": ["P1", "P1", "P2"], "term": ["Zoster", "Zoster", "URTI"],
    ...                    "ctcae_grade": [2, 3, None]})
    >>> rows = ae_by_term(ae, 365.25 / 7 * 4)     # 4 patient-years
    >>> [(r["term"], r["events"], r["patients"], r["rate_per_100py"]) for r in rows]
    [('Zoster', 2, 1, 50.0), ('URTI', 1, 1, 25.0)]
    >>> [(g["grade"], g["events"]) for g in rows[0]["by_grade"] + rows[1]["by_grade"]]
    [(2, 1), (3, 1), (None, 1)]
    """
    import numpy as np
    import pandas as pd

    if len(adverse) == 0 or "term" not in adverse.columns:
        return []
    terms = adverse["term"].astype("string")
    grades = (pd.to_numeric(adverse["ctcae_grade"], errors="coerce")
              if "ctcae_grade" in adverse.columns
              else pd.Series(np.nan, index=adverse.index, dtype="float64"))
    out: list[dict[str, Any]] = []
    for term in terms.dropna().unique():
        rows = adverse[terms == term]
        entry: dict[str, Any] = {"term": str(term), **_counts(rows, exposure_weeks, n_exposed)}
        term_grades = grades[terms == term]
        by_grade = [{"grade": int(g), **_counts(rows[term_grades == g], exposure_weeks,
                                                n_exposed)}
                    for g in sorted(term_grades.dropna().unique())]
        if term_grades.isna().any():
            by_grade.append({"grade": None, **_counts(rows[term_grades.isna()],
                                                      exposure_weeks, n_exposed)})
        entry["by_grade"] = by_grade
        out.append(entry)
    out.sort(key=lambda e: (-e["events"], e["term"]))
    return out
