"""Parametric models of a study, when no pilot cohort is given.

Every model draws ``sims`` studies of ``n`` patients (per arm for two-arm tests) from a
``numpy.random.Generator``:

* **Change from baseline** (signed-rank; rank-sum between arms): change = effect + site + e,
  the site effect with variance ``icc * sd^2`` and e with ``(1 - icc) * sd^2``, so ``sd`` is the
  total SD of the change and ``icc`` the share of it between sites.
* **Repeated measures** (Friedman): ``visits`` post-baseline visits; the mean moves linearly to
  ``effect`` at the last visit; y = patient + mean(visit) + e with var(e) = sd^2 / 2, so the
  change to any visit has SD ``sd``; the site effect grows linearly with the visit likewise.
* **Response** (Fisher): each arm's rate on the logit scale plus a site effect of variance
  ``icc / (1 - icc) * pi^2 / 3`` (the latent-variable ICC; Snijders & Bosker 2012, §17.3).
* **Time to event** (log-rank): exponential times, control median ``median`` weeks, hazard
  ratio ``effect`` (arm 1 vs arm 2), a log-normal site frailty of the same latent variance;
  censored at ``followup`` weeks.

Patients are spread over ``sites`` sites in turn (1, 2, ..., K, 1, 2, ...), so sites are as
equal as n allows; in two-arm studies each arm is spread the same way (randomised within
site). Dropout: at each of ``visits`` scheduled visits a patient still in the study leaves
with probability ``dropout``; a patient who left is missing from then on (a change endpoint
needs the last visit; a time to event is censored at the last visit attended).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jdmtrack.plan._types import BoolArray, FloatArray, IntArray

__all__ = [
    "Design",
    "changes",
    "completed_visits",
    "event_times",
    "responder_matrix",
    "responders",
    "site_effects",
    "trajectories",
]


_LOGISTIC_VARIANCE = math.pi**2 / 3.0


@dataclass(frozen=True)
class Design:
    """What the simulated study looks like, apart from its size."""

    effect: float = 0.0
    sd: float = 1.0
    p1: float = 0.5
    p2: float = 0.5
    sites: int = 1
    icc: float = 0.0
    dropout: float = 0.0
    visits: int = 1
    median: float = 24.0
    followup: float = 52.0


def site_effects(rng: np.random.Generator, sims: int, n: int, sites: int, variance: float) -> FloatArray:
    """(sims, n) site effect of each patient: patient i is at site i mod ``sites``."""
    if sites <= 1 or variance <= 0.0:
        return np.zeros((sims, n))
    per_site = rng.normal(0.0, math.sqrt(variance), size=(sims, sites))
    return per_site[:, np.arange(n) % sites]


def completed_visits(rng: np.random.Generator, shape: tuple[int, ...], dropout: float,
                     visits: int) -> IntArray:
    """Scheduled visits each patient attends before leaving (``visits`` = stayed to the end)."""
    if dropout <= 0.0:
        return np.full(shape, visits, dtype=np.int64)
    return np.minimum(visits, rng.geometric(dropout, size=shape) - 1).astype(np.int64)


def changes(rng: np.random.Generator, sims: int, n: int, d: Design, effect: float) -> FloatArray:
    """(sims, n) changes from baseline, NaN for a patient who left before the last visit."""
    site = site_effects(rng, sims, n, d.sites, d.icc * d.sd**2)
    noise = rng.normal(0.0, d.sd * math.sqrt(1.0 - d.icc), size=(sims, n))
    values = effect + site + noise
    stayed = completed_visits(rng, (sims, n), d.dropout, d.visits) == d.visits
    return np.where(stayed, values, np.nan)


def trajectories(rng: np.random.Generator, sims: int, n: int, d: Design) -> FloatArray:
    """(sims, n, visits + 1) repeated measures, NaN after a patient leaves."""
    fraction = np.arange(d.visits + 1) / d.visits
    site = site_effects(rng, sims, n, d.sites, d.icc * d.sd**2)[..., None] * fraction
    noise = rng.normal(0.0, d.sd * math.sqrt((1.0 - d.icc) / 2.0), size=(sims, n, d.visits + 1))
    patient = rng.normal(0.0, d.sd, size=(sims, n, 1))
    values = patient + d.effect * fraction + site + noise
    attended = completed_visits(rng, (sims, n), d.dropout, d.visits)[..., None]
    return np.where(np.arange(d.visits + 1) <= attended, values, np.nan)


def responder_matrix(rng: np.random.Generator, sims: int, n: int, d: Design, rate: float
                     ) -> tuple[BoolArray, BoolArray]:
    """(sims, n) responded and evaluable (stayed to the last visit), patient by patient."""
    site = site_effects(rng, sims, n, d.sites, d.icc / (1.0 - d.icc) * _LOGISTIC_VARIANCE)
    p = 1.0 / (1.0 + np.exp(-(math.log(rate / (1.0 - rate)) + site)))
    respond = rng.random((sims, n)) < p
    stayed = completed_visits(rng, (sims, n), d.dropout, d.visits) == d.visits
    return respond & stayed, stayed


def responders(rng: np.random.Generator, sims: int, n: int, d: Design, rate: float
               ) -> tuple[IntArray, IntArray]:
    """Responders and patients evaluable (stayed to the last visit) in one arm, per study."""
    respond, stayed = responder_matrix(rng, sims, n, d, rate)
    return np.sum(respond, axis=1), np.sum(stayed, axis=1)


def event_times(rng: np.random.Generator, sims: int, n: int, d: Design, hazard_ratio: float
                ) -> tuple[FloatArray, BoolArray]:
    """Observed times and event indicators of one arm, per study."""
    frailty = site_effects(rng, sims, n, d.sites, d.icc / (1.0 - d.icc) * _LOGISTIC_VARIANCE)
    rate = math.log(2.0) / d.median * hazard_ratio * np.exp(frailty)
    times = rng.exponential(1.0, size=(sims, n)) / rate
    last_seen = completed_visits(rng, (sims, n), d.dropout, d.visits) * (d.followup / d.visits)
    censor = np.minimum(d.followup, last_seen)
    return np.minimum(times, censor), times <= censor
