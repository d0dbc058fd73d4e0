"""A pilot cohort as the source of the effect: whole patient trajectories, resampled.

The pilot is read, validated and scored as every command does (``jdmtrack.pipeline``). For
the endpoint's measure each patient is one row of values at the pilot's visit weeks, missing
where not measured. A simulated study draws n patients with replacement and keeps their rows
as they are, so ceilings (a CMAS of 52 cannot rise), ties, the spread of response and missing
visits are those of the pilot. On top of that:

* site heterogeneity: each site's follow-up values are shifted by a normal site effect whose
  variance gives the requested ICC against the pilot's within-site variance of the change
  (``icc / (1 - icc) * var(change)``), growing linearly to the endpoint week; the shifted
  value is rounded to the measure's resolution (whole points for an integer score) and kept
  within the measure's range from the field dictionary, so ceilings still hold;
* dropout: at each scheduled visit after baseline up to the endpoint week a patient still in
  the study leaves with the given probability.

``where`` restricts the pilot to the patients for whom the endpoint is relevant (e.g.
``muscle_involvement=yes`` for a CMAS endpoint) with the analysis's own ``--where`` conditions
and code (``jdmtrack.analysis.restrict_scored``, ``analysis/population.py``), so a study
planned on a subgroup resamples exactly the patients ``jdmtrack analyze --where`` would keep.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jdmtrack.errors import SettingsError
from jdmtrack.plan._types import FloatArray
from jdmtrack.plan.models import Design, completed_visits, site_effects

__all__ = ["ENDPOINTS", "Pilot", "endpoint_week", "load_pilot"]


#: Endpoint name -> the visit column whose change from week 0 it is.
ENDPOINTS: dict[str, str] = {
    "cmas_change": "cmas_total",
    "mmt8_change": "mmt8_total",
    "das_total_change": "das_total",
    "phga_change": "phga_cm",
    "cs_change": "cs_mg_kg_day",
}


@dataclass(frozen=True)
class Pilot:
    """One measure of a pilot cohort: patients x weeks (week 0 first), NaN where missing."""

    source: str
    endpoint: str
    measure: str
    weeks: tuple[float, ...]
    values: FloatArray
    minimum: float | None
    maximum: float | None
    integer: bool
    #: The pilot population: "all patients" or the ``--where`` conditions joined by AND.
    population: str = "all patients"
    #: Patients in the pilot before ``--where`` (equal to ``n_patients`` without it).
    n_source_patients: int | None = None

    @property
    def restricted(self) -> bool:
        """Whether ``--where`` kept only part of the pilot."""
        return self.population != "all patients"

    def describe(self) -> str:
        """The pilot population in words, with its n.

        >>> Pilot("p", "cmas_change", "cmas_total", (0.0, 4.0), np.zeros((7, 2)), 0, 52,
        ...       True, "muscle_involvement=yes", 20).describe()
        '7 of its 20 patients, those with muscle_involvement=yes'
        """
        if not self.restricted:
            return f"{self.n_patients} patients"
        return (f"{self.n_patients} of its {self.n_source_patients} patients, those with "
                f"{self.population}")

    @property
    def n_patients(self) -> int:
        return int(self.values.shape[0])

    def pairs(self, week_index: int) -> int:
        """Patients measured at week 0 and at ``weeks[week_index]``."""
        both = np.isfinite(self.values[:, 0]) & np.isfinite(self.values[:, week_index])
        return int(both.sum())

    def _adjust(self, values: FloatArray) -> FloatArray:
        out = np.round(values) if self.integer else values
        low = -np.inf if self.minimum is None else self.minimum
        high = np.inf if self.maximum is None else self.maximum
        return np.clip(out, low, high)

    def _site_variance(self, last: int, icc: float) -> float:
        change = self.values[:, last] - self.values[:, 0]
        change = change[np.isfinite(change)]
        within = float(np.var(change, ddof=1)) if change.size > 1 else 0.0
        return icc / (1.0 - icc) * within

    def sample(self, rng: np.random.Generator, sims: int, n: int, last: int,
               design: Design) -> FloatArray:
        """(sims, n, last + 1) resampled trajectories from week 0 to ``weeks[last]``."""
        rows = rng.integers(0, self.n_patients, size=(sims, n))
        values = self.values[rows][..., : last + 1]
        if design.sites > 1 and design.icc > 0.0:
            shift = site_effects(rng, sims, n, design.sites, self._site_variance(last, design.icc))
            fraction = np.asarray(self.weeks[: last + 1]) / self.weeks[last]
            shifted = self._adjust(values + shift[..., None] * fraction)
            values = np.where(np.isfinite(values), shifted, np.nan)
            values[..., 0] = self.values[rows][..., 0]
        if design.dropout > 0.0:
            attended = completed_visits(rng, (sims, n), design.dropout, last)[..., None]
            values = np.where(np.arange(last + 1) <= attended, values, np.nan)
        return values


def load_pilot(path: str | Path, endpoint: str, where: Sequence[str] = ()) -> Pilot:
    """Read a pilot cohort, keep the patients meeting every ``where`` condition, and take
    the endpoint's measure as patients x weeks.

    Raises ``SettingsError`` for an unknown endpoint, a ``where`` condition the analysis
    refuses (unknown field or code, bad syntax, nobody left), and when no patient has the
    measure at week 0 and at a later week (nothing to resample a change from).
    """
    from jdmtrack import fields, pipeline
    from jdmtrack.analysis import restrict_scored
    from jdmtrack.analysis.population import parse_conditions

    if endpoint not in ENDPOINTS:
        raise SettingsError(f"unknown endpoint {endpoint!r}; choose from " + ", ".join(ENDPOINTS))
    if isinstance(where, str):
        where = [where]
    conditions = parse_conditions(where)  # syntax first: before the (slow) read
    measure = ENDPOINTS[endpoint]
    scored, population = restrict_scored(pipeline.score_cohort(pipeline.load_cohort(path)),
                                         [c.text for c in conditions])
    visits = scored.visits
    if measure not in visits.columns:
        visits = visits.assign(**{measure: np.nan})
    table = visits.pivot_table(index="patient_id", columns="week", values=measure,
                               aggfunc="first", dropna=False)
    weeks = [float(w) for w in table.columns if math.isfinite(float(w))]
    values = table.reindex(columns=sorted(weeks)).to_numpy(dtype=np.float64)
    if 0.0 not in weeks:
        values = np.column_stack([np.full(len(table), np.nan), values])
        weeks = [0.0, *weeks]
    weeks = sorted(weeks)
    info = fields.field("visits", measure)
    pilot = Pilot(str(path), endpoint, measure, tuple(weeks), values, info.minimum,
                  info.maximum, info.kind == "integer", population.definition,
                  population.n_source_patients)
    if not any(pilot.pairs(i) >= 2 for i in range(1, len(weeks))):
        among = f" among the patients with {pilot.population}" if pilot.restricted else ""
        raise SettingsError(
            f"the pilot {path} does not have {measure} (for {endpoint}) measured twice{among}: "
            "fewer than 2 patients have it at week 0 and at a later week, so there is no "
            "change to resample"
        )
    return pilot


def endpoint_week(pilot: Pilot, week: float | None) -> int:
    """Index of the endpoint week: the one asked for, else the last with >= 2 pairs."""
    if week is None:
        return max(i for i in range(1, len(pilot.weeks)) if pilot.pairs(i) >= 2)
    if float(week) not in pilot.weeks[1:]:
        raise SettingsError(
            f"--week {week!r} is not a visit week of the pilot after baseline; its weeks are "
            + ", ".join(f"{w:g}" for w in pilot.weeks[1:])
        )
    index = pilot.weeks.index(float(week))
    if pilot.pairs(index) < 2:
        raise SettingsError(
            f"the pilot has {pilot.measure} at week 0 and week {week:g} for only "
            f"{pilot.pairs(index)} patient(s); at least 2 are needed to resample a change"
        )
    return index
