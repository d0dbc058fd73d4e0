"""The case-series analysis: scored cohort in, results file (version 1) out.

``analyze`` returns a JSON-ready dict at full precision with stable keys (see
docs/results.schema.json); the report is rendered from it and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

from .._version import __version__
from ..pipeline import ScoredCohort
from .measures import covariate_measures, outcome_measures
from .population import Population, keep_warnings, population_mask, restrict
from .settings import AnalysisSettings, load_settings

__all__ = ["SCHEMA_VERSION", "AnalysisSettings", "analyze", "load_settings", "restrict_scored"]

SCHEMA_VERSION = 1


def analyze(scored: ScoredCohort, settings: AnalysisSettings | None = None,
            *, reference_name: str | None = None,
            sections: Collection[str] | None = None) -> dict[str, Any]:
    """Every table of the report, as numbers. ``scored`` comes from ``score_cohort``.

    ``sections`` limits the analysis to those top-level keys of the results (the
    published-figure comparison of a subgroup needs only the ones its entries name); the
    identifying keys (schema version, software, input, settings) are always present.
    """
    # The sections (and the statistics, scipy) load here, not with the package: `score`
    # needs only the settings, and imports nothing it does not use.
    from .aesi import summarise_aesi
    from .at_start import summarise_at_start
    from .baseline import summarise_baseline, summarise_cohort
    from .classified import summarise_criteria, summarise_response
    from .exposure import summarise_exposure
    from .followup import summarise_dosing, summarise_safety, summarise_time_to_event
    from .groups import summarise_by
    from .listing import per_patient_listing
    from .methods import methods_text
    from .methods_course import course_methods
    from .organs import summarise_organs, summarise_response_percent
    from .outcomes import summarise_covariates, summarise_outcomes
    from .paper_tests import summarise_paper_tests
    from .patients import per_patient
    from .sites import site_labels, stratified_by_group, summarise_sites
    from .skin_course import summarise_skin_course
    from .steroid_course import summarise_steroids

    settings = settings or AnalysisSettings()
    scored, population = restrict_scored(scored, settings.where)
    cohort = scored.cohort
    visits, patients, events = scored.visits, scored.patients, scored.events
    adverse = cohort.adverse_events
    measures = [name for name, _, _ in outcome_measures(visits, settings.measures)]
    covariates = [name for name, _, _ in covariate_measures(visits, settings.measures)]
    # The visits used at each analysis week (visit windows); the recorded visits stay for
    # follow-up time, events and safety.
    at_weeks, window_counts = settings.windows.assign(visits)
    sources = [{"table": s.table, "path": s.path, "sheet": s.sheet, "sha256": s.sha256}
               for s in cohort.sources]
    digest = hashlib.sha256("\n".join(sorted(f"{s['table']}:{s['sha256']}"
                                             for s in sources)).encode()).hexdigest()
    parts: dict[str, Callable[[], Any]] = {
        "cohort": lambda: summarise_cohort(patients, visits, events, measures, settings,
                                           at_weeks) | {"visit_windows": window_counts},
        "baseline": lambda: summarise_baseline(patients, visits, settings),
        "outcomes": lambda: summarise_outcomes(at_weeks, settings),
        "covariates": lambda: summarise_covariates(at_weeks, settings),
        "criteria": lambda: summarise_criteria(at_weeks, settings),
        "response": lambda: summarise_response(at_weeks, settings),
        "time_to_event": lambda: summarise_time_to_event(patients, visits, events, settings),
        "safety": lambda: summarise_safety(patients, visits, events, adverse),
        "dosing": lambda: summarise_dosing(patients, visits, settings, reference_name),
        "patients": lambda: per_patient(patients, visits, adverse, settings),
        "exposure": lambda: summarise_exposure(patients, visits, events, settings),
        "at_start": lambda: summarise_at_start(patients, visits, settings),
        "skin_course": lambda: summarise_skin_course(patients, visits, events, settings),
        "steroids": lambda: summarise_steroids(patients, at_weeks, events, settings),
        "organs": lambda: summarise_organs(patients),
        "response_percent": lambda: summarise_response_percent(at_weeks, settings),
        "aesi": lambda: summarise_aesi(adverse),
        "listing": lambda: per_patient_listing(at_weeks, settings),
        "paper_tests": lambda: summarise_paper_tests(at_weeks, measures, settings),
        "methods": lambda: _with_population(
            _with_course(methods_text(settings, scored.methods, measures, covariates),
                         course_methods(settings)), population, by_section(),
            sites_section()),
        "warnings": lambda: [w.as_dict() for w in scored.warnings],
    }
    by_cache: dict[str, Any] = {}

    def by_section() -> dict[str, Any] | None:
        if settings.by is None:
            return None
        if "by" not in by_cache:
            by_cache["by"] = summarise_by(patients, visits, events, settings, settings.by,
                                          at_weeks)
            stratified = stratified_by_group(by_cache["by"], patients, at_weeks, settings)
            if stratified is not None:
                by_cache["by"]["stratified"] = stratified
        section: dict[str, Any] = by_cache["by"]
        return section

    def sites_section() -> dict[str, Any] | None:
        if "sites" not in by_cache:
            # --by site: the by section is the sites' by structure (computed once)
            by_site = by_section() if settings.by == "site" else None
            by_cache["sites"] = summarise_sites(patients, visits, events, settings, at_weeks,
                                                by_site)
        section: dict[str, Any] | None = by_cache["sites"]
        return section

    if settings.by is not None:
        parts["by"] = by_section
    if site_labels(patients) is not None:
        parts["sites"] = sites_section
    identity = {
        "schema_version": SCHEMA_VERSION,
        "software": {"name": "jdmtrack", "version": __version__},
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "input": {"sha256": digest, "files": sources},
        "settings": settings.as_dict() | {"population": population.as_dict()},
    }
    if sections is not None:
        unknown = set(sections) - set(parts) - set(identity)
        if unknown:
            raise ValueError(f"unknown results sections: {', '.join(sorted(unknown))}")
    wanted = [key for key in parts if sections is None or key in sections]
    computed = _in_two_processes(parts, wanted, len(patients), by_section, sites_section,
                                 by_cache)
    return identity | {key: computed[key] for key in wanted}


#: From this many patients the by-group and per-site sections are computed in a second
#: process beside the other sections (jdmtrack.parallel). Below it a fork costs more than
#: it saves: at 300 patients both sections take about a tenth of a second.
PARALLEL_FROM_PATIENTS = 300


def _in_two_processes(parts: dict[str, Callable[[], Any]], wanted: list[str], n_patients: int,
                      by_section: Callable[[], dict[str, Any] | None],
                      sites_section: Callable[[], dict[str, Any] | None],
                      by_cache: dict[str, Any]) -> dict[str, Any]:
    """Every wanted section; the by-group and per-site ones in a child process when large.

    Those two are independent of the others (the methods text reads them, so it comes
    last); the child computes them from the same data with the same settings, so the
    results are the same values whichever process computed them.
    """
    from ..parallel import in_child

    aside = [key for key in ("by", "sites") if key in wanted]
    if not aside or n_patients < PARALLEL_FROM_PATIENTS:
        return {key: parts[key]() for key in wanted}
    later = {*aside, "methods"}
    with in_child(lambda: (by_section(), sites_section())) as pending:
        computed = {key: parts[key]() for key in wanted if key not in later}
        by, sites = pending.result()
    if by is not None:
        by_cache["by"] = by
    by_cache["sites"] = sites
    computed |= {key: parts[key]() for key in wanted if key in later}
    return computed


def restrict_scored(scored: ScoredCohort, where: Collection[str]) -> tuple[ScoredCohort, Population]:
    """The scored cohort limited to the analysis population (every table, and the warnings).

    Scores and classifications are per patient, so restricting after scoring gives what
    scoring the restricted cohort would, and conditions may name derived patient columns.
    The aggregated data-quality warnings stay those of the whole data set read (they
    describe the input, and the log keeps counts, not a per-patient list).
    """
    keep, population = population_mask(scored.patients, list(where))
    if not population.conditions:
        return scored, population
    ids = set(scored.patients.loc[keep, "patient_id"])
    cohort = scored.cohort
    cohort = replace(cohort, patients=restrict(cohort.patients, ids),
                     visits=restrict(cohort.visits, ids), events=restrict(cohort.events, ids),
                     adverse_events=restrict(cohort.adverse_events, ids),
                     warnings=keep_warnings(cohort.warnings, ids))
    return replace(scored, cohort=cohort, visits=restrict(scored.visits, ids),
                   patients=scored.patients[keep],
                   events=restrict(scored.events, ids)), population


def _with_population(paragraphs: list[str], population: Population,
                     by: dict[str, Any] | None, sites: dict[str, Any] | None) -> list[str]:
    """The methods text, opened by the sentence stating the analysis population, with the
    by-group and multi-site paragraphs after the statistics (before the software note)."""
    from .groups import by_methods
    from .sites import sites_methods

    sentence = population.sentence()
    out = [sentence, *paragraphs] if sentence else list(paragraphs)
    if by is not None:
        out.insert(len(out) - 1, by_methods(by))
    if sites is not None:
        out.insert(len(out) - 1, sites_methods(sites, by is not None and "stratified" in by))
    return out


def _with_course(paragraphs: list[str], course: str) -> list[str]:
    """The methods with the treatment-course paragraph before the software note."""
    return [*paragraphs[:-1], course, *paragraphs[-1:]]
