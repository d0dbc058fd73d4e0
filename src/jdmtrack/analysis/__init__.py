"""The case-series analysis: scored cohort in, results file (version 1) out.

``analyze`` returns a JSON-ready dict at full precision with stable keys (see
docs/results.schema.json); the report is rendered from it and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .._version import __version__
from ..pipeline import ScoredCohort
from .baseline import summarise_baseline, summarise_cohort
from .classified import summarise_criteria, summarise_response
from .followup import summarise_dosing, summarise_safety, summarise_time_to_event
from .methods import methods_text
from .outcomes import outcome_measures, summarise_outcomes
from .patients import per_patient
from .settings import AnalysisSettings, load_settings

__all__ = ["SCHEMA_VERSION", "AnalysisSettings", "analyze", "load_settings"]

SCHEMA_VERSION = 1


def analyze(scored: ScoredCohort, settings: AnalysisSettings | None = None,
            *, reference_name: str | None = None) -> dict[str, Any]:
    """Every table of the report, as numbers. ``scored`` comes from ``score_cohort``."""
    settings = settings or AnalysisSettings()
    cohort = scored.cohort
    visits, patients, events = scored.visits, scored.patients, scored.events
    adverse = cohort.adverse_events
    measures = [name for name, _, _ in outcome_measures(visits)]
    sources = [{"table": s.table, "path": s.path, "sheet": s.sheet, "sha256": s.sha256}
               for s in cohort.sources]
    digest = hashlib.sha256("\n".join(sorted(f"{s['table']}:{s['sha256']}"
                                             for s in sources)).encode()).hexdigest()
    return {
        "schema_version": SCHEMA_VERSION,
        "software": {"name": "jdmtrack", "version": __version__},
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "input": {"sha256": digest, "files": sources},
        "settings": settings.as_dict(),
        "cohort": summarise_cohort(patients, visits, events, measures, settings),
        "baseline": summarise_baseline(patients, visits, settings),
        "outcomes": summarise_outcomes(visits, settings),
        "criteria": summarise_criteria(visits, settings),
        "response": summarise_response(visits, settings),
        "time_to_event": summarise_time_to_event(patients, visits, events, settings),
        "safety": summarise_safety(patients, visits, events, adverse),
        "dosing": summarise_dosing(patients, visits, settings, reference_name),
        "patients": per_patient(patients, visits, adverse, settings),
        "methods": methods_text(settings, scored.methods),
        "warnings": [w.as_dict() for w in scored.warnings],
    }
