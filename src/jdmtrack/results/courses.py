"""The treatment course, typed: exposure, disease at JAKi start, skin course and
glucocorticoids (results sections of analysis/exposure.py, at_start.py, skin_course.py and
steroid_course.py).

>>> c = read_exposure({"exposure": {"n_patients": 3, "stopped_before_last_week": {"12": 1},
...                                 "start_weight_bands": {"under_25_kg": {"n": 2}}}})
>>> c.n_patients, c.stopped_before_last_week, c.weight_bands[0].label, c.weight_bands[1].n
(3, (('12', 1),), 'under_25_kg', None)
>>> read_steroids({"steroids": {"by_week": {"4": {"median": 0.5}, "x": 1}}}).by_week[0].median
0.5
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .counts import Share, Spread, share, spread
from .read import entries, integer, num, rows, section, text

__all__ = ["AtStart", "Exposure", "Relapse", "SkinCourse", "SteroidWeek", "Steroids",
           "WeightBand", "counts_of", "read_at_start", "read_exposure", "read_skin_course",
           "read_steroids"]

# Study A's starting weight bands, in the order the exposure section keys them.
_BANDS = ("under_25_kg", "from_25_kg")


@dataclass(frozen=True)
class WeightBand:
    """Patients starting in one weight band, and how many started on its dose."""

    key: str  # under_25_kg or from_25_kg
    label: str
    n: int | None
    n_band_dose: int | None


@dataclass(frozen=True)
class Exposure:
    """How long patients took a JAK inhibitor, and at what dose."""

    present: bool
    n_patients: int | None
    duration_weeks: Spread | None
    duration_months: Spread | None
    weight_bands: tuple[WeightBand, ...]
    highest_mg_per_dose: float | None
    highest_dose_patients: Share | None
    last_week: float | None
    treated_to_last_week: Share | None
    stopped_before_last_week: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class AtStart:
    """Disease at JAKi start; ``cmas_not_scorable_reasons`` keeps the reasons with a count."""

    present: bool
    rash: Share | None
    muscle_involvement: Share | None
    enzymes_high_start: Share | None
    enzymes_high_throughout: Share | None
    cmas_course: tuple[tuple[str, int | None], ...]
    cmas_not_scorable: int | None
    cmas_not_scorable_reasons: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class Relapse:
    """A rash that came back after it had gone."""

    patient_id: str | None
    rash_gone_week: float | None
    relapse_week: float | None
    jaki_stop_week: float | None


@dataclass(frozen=True)
class SkinCourse:
    """Rash resolution among those with rash at start, and relapses."""

    present: bool
    resolution: Share | None
    weeks_to_resolution_resolved: Spread | None
    n_relapses: int | None
    relapses: tuple[Relapse, ...]


@dataclass(frozen=True)
class SteroidWeek:
    """Glucocorticoid dose at one week and its fall from week 0."""

    week: str
    median: float | None
    median_fall_percent: float | None
    median_fall_percent_responders: float | None
    median_of_changes_percent: float | None


@dataclass(frozen=True)
class Steroids:
    """Glucocorticoids stopped, and the dose per week."""

    present: bool
    stopped: Share | None
    by_week: tuple[SteroidWeek, ...]


def counts_of(mapping: Any, key: str) -> tuple[tuple[str, int | None], ...]:
    """``{code: count}`` of ``mapping[key]`` as pairs, in the file's order."""
    return tuple((str(k), integer(v)) for k, v in section(mapping, key).items())


def read_exposure(data: Mapping[str, Any]) -> Exposure:
    """The ``exposure`` section."""
    e = section(data, "exposure")
    bands = section(e, "start_weight_bands")
    high = section(e, "highest_mg_per_dose")
    full = section(e, "treated_to_last_week")
    return Exposure(
        bool(e), integer(e.get("n_patients")), spread(e.get("duration_weeks")),
        spread(e.get("duration_months")),
        tuple(WeightBand(b, text(section(bands, b).get("label")) or b,
                         integer(section(bands, b).get("n")),
                         integer(section(bands, b).get("n_band_dose"))) for b in _BANDS),
        num(high.get("value")),
        Share(integer(high.get("n_patients")), None, num(high.get("percent"))),
        num(full.get("week")),
        Share(integer(full.get("n")), integer(e.get("n_patients")), num(full.get("percent")))
        if full else None,
        counts_of(e, "stopped_before_last_week"))


def read_at_start(data: Mapping[str, Any]) -> AtStart:
    """The ``at_start`` section."""
    s = section(data, "at_start")
    ns = section(s, "cmas_not_scorable")
    return AtStart(bool(s), share(s.get("rash")), share(s.get("muscle_involvement")),
                   share(s.get("enzymes_high_start")), share(s.get("enzymes_high_throughout")),
                   counts_of(s, "cmas_course"), integer(ns.get("n")), counts_of(ns, "reasons"))


def read_skin_course(data: Mapping[str, Any]) -> SkinCourse:
    """The ``skin_course`` section."""
    s = section(data, "skin_course")
    relapses = tuple(Relapse(text(str(r.get("patient_id"))), num(r.get("rash_gone_week")),
                             num(r.get("relapse_week")), num(r.get("jaki_stop_week")))
                     for r in rows(s, "relapses"))
    return SkinCourse(bool(s), share(s.get("resolution")),
                      spread(s.get("weeks_to_resolution_resolved")),
                      integer(s.get("n_relapses")), relapses)


def read_steroids(data: Mapping[str, Any]) -> Steroids:
    """The ``steroids`` section."""
    s = section(data, "steroids")
    weeks = tuple(SteroidWeek(w, num(v.get("median")), num(v.get("median_fall_percent")),
                              num(v.get("median_fall_percent_responders")),
                              num(v.get("median_of_changes_percent")))
                  for w, v in entries(s, "by_week").items())
    return Steroids(bool(s), share(s.get("stopped")), weeks)
