"""``Results``: the analysis of one cohort or population, typed.

``Results`` holds the headline quantities as frozen dataclasses (population, cohort size,
each outcome's by-week summaries and comparisons with baseline) and the results file
itself, which ``to_dict``/``to_json`` give back exactly. ``to_frame(section)`` gives any
table of it as a pandas DataFrame at full precision; ``summary()`` a few lines of text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .baseline import Characteristic, read_baseline
from .cohort import Cohort, read_cohort
from .courses import (
    AtStart,
    Exposure,
    SkinCourse,
    Steroids,
    read_at_start,
    read_exposure,
    read_skin_course,
    read_steroids,
)
from .covariates import Covariate, read_covariates
from .criteria import Criteria, ResponseWeek, read_criteria, read_response
from .dosing import Dosing, read_dosing
from .events import TimeToEvent, read_time_to_event
from .groups import Groups, read_groups
from .listing import Listing, read_listing
from .organs import OrganOutcome, PercentWeek, read_organs, read_response_percent
from .outcomes import Comparison, Outcome, WeekSummary, read_outcomes
from .patients import PatientRow, read_patients
from .provenance import Provenance, read_provenance
from .published import Demo, PaperTests, read_demo, read_paper_tests
from .read import integer, section, text, texts
from .safety import Aesi, Safety, read_aesi, read_safety
from .settings import RecordedSettings, read_settings
from .warnings import DataWarning, read_warnings

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.settings import AnalysisSettings
    from ..pipeline import ScoredCohort

__all__ = ["SECTIONS", "Comparison", "Outcome", "PopulationInfo", "Results", "WeekSummary"]  # re-exported

# The tables to_frame gives, and the results-file key each reads.
SECTIONS: Mapping[str, str] = MappingProxyType({
    "cohort": "cohort", "baseline": "baseline", "by_week": "outcomes",
    "vs_baseline": "outcomes", "friedman": "outcomes", "skillings_mack": "outcomes",
    "mixed_model": "outcomes", "criteria": "criteria", "response": "response",
    "time_to_event": "time_to_event", "safety": "safety", "adverse_events": "safety",
    "dosing": "dosing", "patients": "patients", "warnings": "warnings", "by": "by",
    "by_tests": "by",
})


@dataclass(frozen=True)
class PopulationInfo:
    """Who was analysed (``settings.population`` of the results file)."""

    definition: str
    where: tuple[str, ...]
    n_patients: int
    n_source_patients: int


@dataclass(frozen=True)
class Results:
    """The analysis of one cohort (or population): typed headline values + the results file."""

    schema_version: int
    software_version: str
    population: PopulationInfo
    n_patients: int
    n_visits: int
    outcomes: Mapping[str, Outcome]
    methods: tuple[str, ...]
    n_warnings: int
    provenance: Provenance = field(repr=False, compare=False)
    recorded_settings: RecordedSettings = field(repr=False, compare=False)
    cohort: Cohort | None = field(repr=False, compare=False)
    baseline: Mapping[str, Characteristic] = field(repr=False, compare=False)
    covariates: Mapping[str, Covariate] = field(repr=False, compare=False)
    criteria: Criteria = field(repr=False, compare=False)
    response: Mapping[str, ResponseWeek] = field(repr=False, compare=False)
    patients: tuple[PatientRow, ...] = field(repr=False, compare=False)
    listing: Listing | None = field(repr=False, compare=False)
    data: Mapping[str, Any] = field(repr=False, compare=False)
    settings: AnalysisSettings | None = field(default=None, repr=False, compare=False)
    visits: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    scored: ScoredCohort | None = field(default=None, repr=False, compare=False)
    # Groups, time to event, safety, dosing, the treatment course, the papers' tests,
    # warnings and the demo: each read once from its section (empty when it is absent).
    by: Groups = field(default_factory=lambda: read_groups({}, "by"), repr=False)
    sites: Groups = field(default_factory=lambda: read_groups({}, "sites"), repr=False)
    time_to_event: Mapping[str, TimeToEvent] = field(
        default_factory=lambda: read_time_to_event({}), repr=False)
    safety: Safety = field(default_factory=lambda: read_safety({}), repr=False)
    aesi: Aesi = field(default_factory=lambda: read_aesi({}), repr=False)
    dosing: Dosing = field(default_factory=lambda: read_dosing({}), repr=False)
    exposure: Exposure = field(default_factory=lambda: read_exposure({}), repr=False)
    at_start: AtStart = field(default_factory=lambda: read_at_start({}), repr=False)
    skin_course: SkinCourse = field(default_factory=lambda: read_skin_course({}), repr=False)
    steroids: Steroids = field(default_factory=lambda: read_steroids({}), repr=False)
    organs: tuple[OrganOutcome, ...] = field(default=(), repr=False)
    response_percent: tuple[PercentWeek, ...] = field(default=(), repr=False)
    paper_tests: PaperTests = field(default_factory=lambda: read_paper_tests({}), repr=False)
    warnings: tuple[DataWarning, ...] = field(default=(), repr=False)
    demo: Demo = field(default_factory=lambda: read_demo({}), repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, visits: pd.DataFrame | None = None,
                  scored: ScoredCohort | None = None, settings: AnalysisSettings | None = None,
                  copy_data: bool = True) -> Results:
        """Results from a results-file dict (as ``analyze`` or a results.json holds it).

        ``copy_data=False`` reads ``data`` in place (the caller promises not to change it):
        a deep copy costs 0.3-1 s at 2,000 patients.
        """
        own = copy.deepcopy(dict(data)) if copy_data else dict(data)
        return cls._owning(own, visits=visits, scored=scored, settings=settings)

    @classmethod
    def _owning(cls, own: dict[str, Any], *, visits: pd.DataFrame | None = None,
                scored: ScoredCohort | None = None,
                settings: AnalysisSettings | None = None) -> Results:
        """``from_dict`` on a dict nobody else holds (``analyze``'s own): no copy, which at
        2,000 patients took 0.3-1 s."""
        pop = section(section(own, "settings"), "population")
        cohort = read_cohort(own)
        n_patients = cohort.n_patients if cohort is not None else None
        warnings = own.get("warnings")
        provenance = read_provenance(own)
        return cls(
            schema_version=provenance.schema_version or 1,
            software_version=provenance.software_version or "",
            population=PopulationInfo(text(pop.get("definition")) or "all patients",
                                      texts(pop.get("where")),
                                      _first_count(pop.get("n_patients"), n_patients),
                                      _first_count(pop.get("n_source_patients"), n_patients)),
            n_patients=n_patients or 0,
            n_visits=(cohort.n_visits if cohort is not None else None) or 0,
            outcomes=read_outcomes(own),
            methods=texts(own.get("methods")),
            n_warnings=len(warnings) if isinstance(warnings, list) else 0,
            provenance=provenance, recorded_settings=read_settings(own), cohort=cohort,
            baseline=read_baseline(own), covariates=read_covariates(own),
            criteria=read_criteria(own), response=read_response(own),
            patients=read_patients(own), listing=read_listing(own),
            data=MappingProxyType(own), settings=settings, visits=visits, scored=scored,
            by=read_groups(own, "by"), sites=read_groups(own, "sites"),
            time_to_event=read_time_to_event(own), safety=read_safety(own),
            aesi=read_aesi(own), dosing=read_dosing(own), exposure=read_exposure(own),
            at_start=read_at_start(own), skin_course=read_skin_course(own),
            steroids=read_steroids(own), organs=read_organs(own),
            response_percent=read_response_percent(own), paper_tests=read_paper_tests(own),
            warnings=read_warnings(own), demo=read_demo(own))

    @classmethod
    def from_json(cls, path: str | Path) -> Results:
        """Results from a results file written by ``to_json`` or ``jdmtrack analyze``."""
        return cls._owning(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        """The results file, version 1, as a new dict (full precision)."""
        return copy.deepcopy(dict(self.data))

    def to_json(self, path: str | Path | None = None) -> str:
        """The results file as strict JSON text (no NaN); written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_frame(self, section: str = "by_week") -> pd.DataFrame:
        """One table of the results as a DataFrame (full precision). ``section`` is one of
        ``SECTIONS``: cohort, baseline, by_week, vs_baseline, friedman, skillings_mack,
        mixed_model, criteria, response, time_to_event, safety, adverse_events, dosing,
        patients, warnings, by (per-group descriptives), by_tests (between-group tests)."""
        import pandas as pd

        from .._frames import section_rows

        if section not in SECTIONS:
            from ..errors import SettingsError

            raise SettingsError(f"no results table {section!r}; expected one of "
                                + ", ".join(SECTIONS))
        return pd.DataFrame(list(section_rows(section, self.data.get(SECTIONS[section]))))

    def check(self) -> list[str]:
        """Every total or percentage of the results file that disagrees with its own counts
        (:func:`jdmtrack.results.consistency.check_results`); empty when all agree."""
        from .consistency import check_results

        return check_results(self.data)

    def summary(self) -> str:
        """A few lines: who, how many, and each outcome's first and last week."""
        pop = self.population
        who = (f"{pop.definition} ({pop.n_patients} of {pop.n_source_patients} patients)"
               if pop.where else f"all {pop.n_patients} patients")
        lines = [f"jdmtrack {self.software_version} results: {who}, {self.n_visits} visits, "
                 f"{len(self.outcomes)} outcome measures, {self.n_warnings} warning(s)."]
        for outcome in self.outcomes.values():
            weeks = [w for w in outcome.by_week if w.n]
            if not weeks:
                continue
            first, last = weeks[0], weeks[-1]
            text = f"  {outcome.label}: week {first.week} {_mqq(first)}"
            if last is not first:
                text += f" -> week {last.week} {_mqq(last)}"
                paired = next((c for c in outcome.vs_baseline if c.week == last.week), None)
                if paired is not None and paired.p_value_exact is not None:
                    text += f", exact p = {paired.p_value_exact:.3g}"
            lines.append(text)
        return "\n".join(lines)


def _first_count(*values: object) -> int:
    """The first whole count among ``values``, else 0."""
    return next((n for n in (integer(v) for v in values) if n is not None), 0)


def _mqq(w: WeekSummary) -> str:
    if w.median is None:
        return f"(n = {w.n})"
    return f"{w.median:.4g} ({w.q1:.4g}-{w.q3:.4g}), n = {w.n}"
