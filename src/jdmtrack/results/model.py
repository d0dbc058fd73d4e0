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
from .dosing import Dosing, read_dosing
from .events import TimeToEvent, read_time_to_event
from .groups import Groups, read_groups
from .organs import OrganOutcome, ResponseWeek, read_organs, read_response_percent
from .published import Demo, PaperTests, read_demo, read_paper_tests
from .read import num as _num
from .read import pair as _pair
from .safety import Aesi, Safety, read_aesi, read_safety
from .warnings import DataWarning, read_warnings

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.settings import AnalysisSettings
    from ..pipeline import ScoredCohort

__all__ = ["SECTIONS", "Comparison", "Outcome", "PopulationInfo", "Results", "WeekSummary"]

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
class WeekSummary:
    """One measure at one week: n, median (Q1, Q3), range, mean and SD."""

    week: str
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class Comparison:
    """One post-baseline week against baseline (paired; Wilcoxon signed rank)."""

    week: str
    n_pairs: int
    median_difference: float | None
    hodges_lehmann: float | None
    ci95: tuple[float | None, float | None] | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    p_adjusted: float | None


@dataclass(frozen=True)
class Outcome:
    """One outcome measure over the weeks."""

    measure: str
    label: str
    by_week: tuple[WeekSummary, ...]
    vs_baseline: tuple[Comparison, ...]
    friedman_p: float | None

    def week(self, week: str | float) -> WeekSummary | None:
        """The summary at a week (``"12"`` or ``12``), or None when it was not assessed."""
        key = str(int(week)) if isinstance(week, (int, float)) and float(week).is_integer() \
            else str(week)
        return next((w for w in self.by_week if w.week == key), None)


def _outcome(measure: str, entry: Mapping[str, Any]) -> Outcome:
    weeks = tuple(WeekSummary(w, int(s.get("n") or 0), *(_num(s.get(k)) for k in
                                                        ("median", "q1", "q3", "min", "max",
                                                         "mean", "sd")))
                  for w, s in (entry.get("by_week") or {}).items())
    pairs = tuple(Comparison(w, int(c.get("n_pairs") or 0), _num(c.get("median_difference")),
                             _num(c.get("hodges_lehmann")), _pair(c.get("ci95")),
                             _num(c.get("p_value_exact")), _num(c.get("p_value_asymptotic")),
                             _num(c.get("p_adjusted")))
                  for w, c in (entry.get("vs_baseline") or {}).items() if isinstance(c, dict))
    friedman = entry.get("friedman") or {}
    p = friedman.get("p_value_exact", friedman.get("p_value"))
    return Outcome(measure, str(entry.get("label") or measure), weeks, pairs, _num(p))


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
    response_percent: tuple[ResponseWeek, ...] = field(default=(), repr=False)
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
        settings_dict = own.get("settings") or {}
        pop = settings_dict.get("population") or {}
        cohort = own.get("cohort") or {}
        outcomes = {m: _outcome(m, e) for m, e in (own.get("outcomes") or {}).items()}
        warnings = own.get("warnings") or []
        return cls(
            schema_version=int(own.get("schema_version", 1)),
            software_version=str((own.get("software") or {}).get("version", "")),
            population=PopulationInfo(str(pop.get("definition", "all patients")),
                                      tuple(pop.get("where", ())),
                                      int(pop.get("n_patients", cohort.get("n_patients", 0))),
                                      int(pop.get("n_source_patients",
                                                  cohort.get("n_patients", 0)))),
            n_patients=int(cohort.get("n_patients", 0)),
            n_visits=int(cohort.get("n_visits", 0)),
            outcomes=MappingProxyType(outcomes),
            methods=tuple(own.get("methods") or ()),
            n_warnings=len(warnings) if isinstance(warnings, list) else 0,
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


def _mqq(w: WeekSummary) -> str:
    if w.median is None:
        return f"(n = {w.n})"
    return f"{w.median:.4g} ({w.q1:.4g}-{w.q3:.4g}), n = {w.n}"
