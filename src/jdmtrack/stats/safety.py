"""Exposure-adjusted adverse-event rates: events per 100 patient-years, exact Poisson CI.

* Patient-years = exposure weeks / (365.25 / 7) (design.md, "Exposure").
* Rate = 100 x events / patient-years.
* Exact (Garwood) Poisson interval, as R ``poisson.test(x, T)$conf.int`` scaled by 100:
  lower = Gamma quantile(alpha/2; x) (0 when x = 0), upper = Gamma quantile(1 - alpha/2;
  x + 1), each divided by the patient-years.
* ``n_patients`` is the number of patients with at least one event, ``n_exposed`` the number
  contributing exposure (> 0 weeks).

References
----------
Garwood F. Fiducial limits for the Poisson distribution. Biometrika. 1936;28:437-442.
Ulm K. A simple method to calculate the confidence interval of a standardized mortality
ratio. Am J Epidemiol. 1990;131:373-375.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import (
    DEFAULT_CONF_LEVEL,
    as_float_vector,
    check_conf_level,
    check_count,
    finite_or_none,
    pair_or_none,
)

__all__ = [
    "WEEKS_PER_YEAR",
    "EventRateResult",
    "event_rate",
    "event_rate_by_patient",
    "patient_years",
]

#: A Julian year in weeks (design.md: patient-years = weeks / (365.25 / 7)).
WEEKS_PER_YEAR = 365.25 / 7.0


def patient_years(weeks: float) -> float:
    """Convert exposure in weeks to patient-years.

    >>> patient_years(365.25 / 7)
    1.0
    """
    return float(weeks) / WEEKS_PER_YEAR


@dataclass(frozen=True)
class EventRateResult:
    """Events per 100 patient-years with the exact Poisson interval."""

    n_events: int
    n_patients: int | None
    n_exposed: int | None
    patient_years: float
    rate_per_100py: float | None
    ci_low: float | None
    ci_high: float | None
    conf_level: float
    method: str = "events per 100 patient-years, exact Poisson CI (as poisson.test)"
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{n_events, n_patients, n_exposed, patient_years,
        rate_per_100py, rate_ci95}``."""
        return {
            "n_events": self.n_events,
            "n_patients": self.n_patients,
            "n_exposed": self.n_exposed,
            "patient_years": self.patient_years,
            "rate_per_100py": finite_or_none(self.rate_per_100py),
            "rate_ci95": pair_or_none(self.ci_low, self.ci_high),
            "method": self.method,
            "note": self.note,
        }


def event_rate(
    n_events: int,
    exposure_weeks: float,
    *,
    conf_level: float = DEFAULT_CONF_LEVEL,
    n_patients: int | None = None,
    n_exposed: int | None = None,
) -> EventRateResult:
    """Rate per 100 patient-years of ``n_events`` over ``exposure_weeks`` of total exposure.

    With no exposure the rate and interval are ``None`` (the note says why).

    Examples
    --------
    >>> r = event_rate(3, 104.0)
    >>> round(r.patient_years, 12), round(r.rate_per_100py, 10)
    (1.993155373032, 150.5151098901)
    >>> [round(v, 6) for v in (r.ci_low, r.ci_high)]    # R: 31.0398341879, 439.8690231763
    [31.039834, 439.869023]
    """
    conf_level = check_conf_level(conf_level)
    x = check_count(n_events, "n_events")
    weeks = float(exposure_weeks)
    if not np.isfinite(weeks) or weeks < 0.0:
        raise ComputationError(f"exposure must be a non-negative number of weeks; got {weeks!r}")
    years = patient_years(weeks)
    if years == 0.0:
        return EventRateResult(x, n_patients, n_exposed, 0.0, None, None, None, conf_level,
                               note="no exposure: the rate is not computable")
    tail = (1.0 - conf_level) / 2.0
    low = 0.0 if x == 0 else float(special.gammaincinv(x, tail))
    high = float(special.gammaincinv(x + 1, 1.0 - tail))
    return EventRateResult(
        x, n_patients, n_exposed, years, 100.0 * x / years, 100.0 * low / years,
        100.0 * high / years, conf_level,
    )


def event_rate_by_patient(
    events: Sequence[int] | Any,
    exposure_weeks: Sequence[float] | Any,
    *,
    conf_level: float = DEFAULT_CONF_LEVEL,
) -> EventRateResult:
    """Rate per 100 patient-years from per-patient event counts and exposure weeks.

    Examples
    --------
    >>> r = event_rate_by_patient([0, 2, 1, 0], [52, 26, 78, 0])
    >>> r.n_events, r.n_patients, r.n_exposed, r.patient_years
    (3, 2, 3, 2.9897330595482545)
    """
    counts = as_float_vector(events, "events")
    weeks = as_float_vector(exposure_weeks, "exposure_weeks")
    if counts.size != weeks.size:
        raise ComputationError(
            f"events and exposure_weeks must be aligned per patient; got {counts.size} and "
            f"{weeks.size}"
        )
    if np.any(counts < 0) or np.any(counts != np.floor(counts)):
        raise ComputationError("event counts must be non-negative integers")
    if np.any(weeks < 0):
        raise ComputationError("exposure weeks must be non-negative")
    return event_rate(
        int(counts.sum()), float(np.sum(weeks)), conf_level=conf_level,
        n_patients=int(np.count_nonzero(counts > 0)), n_exposed=int(np.count_nonzero(weeks > 0)),
    )
