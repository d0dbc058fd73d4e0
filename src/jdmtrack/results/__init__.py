"""Typed results: what ``jdmtrack.analyze`` returns and what the report renders from.

The results file (version 1, ``docs/results.schema.json``) is JSON; this package reads it
once, at the boundary (:mod:`.read`), into frozen dataclasses, so that nothing downstream
walks an untyped dict. ``Results`` (:mod:`.model`) holds the typed sections and the file
itself, which ``to_dict``/``to_json`` give back exactly.
"""

from __future__ import annotations

from .model import SECTIONS, Comparison, Outcome, PopulationInfo, Results, WeekSummary

__all__ = ["SECTIONS", "Comparison", "Outcome", "PopulationInfo", "Results", "WeekSummary"]
