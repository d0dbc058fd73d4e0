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
from .errors import DataWarning
from .instruments import score_visits
from .io import read_raw
from .validate import validate_cohort

__all__ = ["ScoredCohort", "example_path", "load_cohort", "score_cohort"]


def example_path() -> Path:
    """The small bundled example cohort (synthetic patients)."""
    return Path(str(resources.files("jdmtrack") / "data" / "example"))


def load_cohort(path: str | Path) -> Cohort:
    """Read and validate a cohort folder or workbook; raises ``InputError`` with every problem."""
    return validate_cohort(read_raw(path))


@dataclass
class ScoredCohort:
    """A cohort with every derived visit column, patient classification and warning."""

    cohort: Cohort
    visits: pd.DataFrame
    patients: pd.DataFrame
    events: pd.DataFrame
    warnings: list[DataWarning] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)


def score_cohort(cohort: Cohort, settings: object | None = None) -> ScoredCohort:
    """Score every instrument, then classify every visit by the published definitions."""
    scored = score_visits(cohort.visits)
    warnings = [*cohort.warnings, *scored.warnings]
    visits, patients, events = scored.visits, cohort.patients, cohort.events
    methods: list[str] = []
    classify = _criteria()
    if classify is not None:
        result = classify(visits, cohort.patients, cohort.events, settings)
        visits = pd.concat([visits, result.visits], axis=1)
        patients = pd.concat([cohort.patients, result.patients], axis=1)
        if len(result.events):
            events = pd.concat([cohort.events, result.events])
        warnings += result.warnings
        methods = list(result.methods)
    return ScoredCohort(cohort, visits, patients, events, warnings, methods)


def _criteria():  # type: ignore[no-untyped-def]
    try:
        from .criteria import classify
    except ImportError:
        return None
    return classify
