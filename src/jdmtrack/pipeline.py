"""The library calls behind each command: load, score, and (later stages) analyse.

>>> import jdmtrack.pipeline as p
>>> cohort = p.load_cohort(p.example_path())
>>> len(cohort.patients) > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .cohort import Cohort
from .courses import patient_courses
from .criteria import CriteriaSettings, classify
from .instruments import score_visits
from .io import read_raw
from .validate import validate_cohort
from .warning_log import WarningLog

__all__ = ["ScoredCohort", "example_path", "load_cohort", "score_cohort"]


def example_path() -> Path:
    """The small bundled example cohort (synthetic patients)."""
    return Path(str(resources.files("jdmtrack") / "data" / "example"))


def load_cohort(path: str | Path) -> Cohort:
    """Read and validate a cohort folder or workbook; raises ``InputError`` with every problem."""
    return validate_cohort(read_raw(path))


@dataclass
class ScoredCohort:
    """A cohort with every derived visit column, patient classification and warning.

    ``warnings`` is aggregated (:class:`jdmtrack.warning_log.WarningLog`): iterating it gives
    one record per code x table x column x rule; ``warnings.per_row()`` lists every row.
    """

    cohort: Cohort
    visits: pd.DataFrame
    patients: pd.DataFrame
    events: pd.DataFrame
    warnings: WarningLog = field(default_factory=WarningLog)
    methods: list[str] = field(default_factory=list)


def score_cohort(cohort: Cohort, settings: CriteriaSettings | None = None) -> ScoredCohort:
    """Score every instrument, then classify every visit by the published definitions."""
    scored = score_visits(cohort.visits)
    result = classify(scored.visits, cohort.patients, cohort.events, settings)
    visits = pd.concat([scored.visits, result.visits], axis=1)
    patients = pd.concat([cohort.patients, result.patients], axis=1)
    # Courses read from the visits (enzymes high at start, CMAS course), for --where.
    patients = pd.concat([patients, patient_courses(visits, patients["patient_id"])], axis=1)
    events = (pd.concat([cohort.events, result.events]) if len(result.events)
              else cohort.events)
    warnings = WarningLog(cohort.warnings)
    warnings += scored.warnings
    warnings += result.warnings
    return ScoredCohort(cohort, visits, patients, events, warnings, list(result.methods))
