"""Typed results: what ``jdmtrack.analyze`` returns and what the report renders from.

The results file (version 1, ``docs/results.schema.json``) is JSON; this package reads it
once, at the boundary (:mod:`.read`), into frozen dataclasses, so that nothing downstream
walks an untyped dict. ``Results`` (:mod:`.model`) holds the typed sections and the file
itself, which ``to_dict``/``to_json`` give back exactly.
"""

from __future__ import annotations

from .baseline import Characteristic
from .cohort import Cohort, VisitWindows, WindowWeek
from .covariates import Covariate
from .criteria import Criteria, CriterionWeek, ResponseWeek, TisWeek
from .listing import Listing, Rise, RiseWeek
from .model import SECTIONS, PopulationInfo, Results
from .outcomes import Comparison, Estimate, Friedman, MixedModel, Outcome, SkillingsMack, WeekSummary
from .patients import PatientRow
from .provenance import InputFile, Provenance
from .settings import RecordedSettings, Setting
from .summary import Summary

__all__ = [
           "SECTIONS",
           "Characteristic",
           "Cohort",
           "Comparison",
           "Covariate",
           "Criteria",
           "CriterionWeek",
           "Estimate",
           "Friedman",
           "InputFile",
           "Listing",
           "MixedModel",
           "Outcome",
           "PatientRow",
           "PopulationInfo",
           "Provenance",
           "RecordedSettings",
           "ResponseWeek",
           "Results",
           "Rise",
           "RiseWeek",
           "Setting",
           "SkillingsMack",
           "Summary",
           "TisWeek",
           "VisitWindows",
           "WeekSummary",
           "WindowWeek",
]
