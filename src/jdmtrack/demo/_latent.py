"""The latent patients of a SYNTHETIC cohort: who they are, how their muscle and skin
activity, steroid dose and visit schedule run (see ``_synthetic``). Every draw comes from
one ``numpy.random.Generator`` in a fixed order, so the files stay byte-identical."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..fields import SCHEDULED_WEEKS
from ._csvbytes import text

__all__ = ["START", "SYNTHETIC_WEEKS", "LatentCohort", "clip01", "draw_codes"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

# The study schedule, followed on to weeks 36 and 48 as a registry's longer follow-up.
SYNTHETIC_WEEKS = (*SCHEDULED_WEEKS, 36, 48)
START = np.datetime64("2018-01-01")
_START_SPAN_DAYS = 7 * 365


def clip01(x: F64) -> F64:
    return np.clip(x, 0.0, 1.0)


def draw_codes(rng: np.random.Generator, n: int, p: tuple[float, ...]) -> I64:
    """``n`` draws of a code 0..len(p)-1 with probabilities ``p`` (normalised)."""
    weights = np.asarray(p, dtype=np.float64)
    return rng.choice(len(weights), size=n, p=weights / weights.sum()).astype(np.int64)


def _ids(prefix: str, n: int) -> npt.NDArray[np.str_]:
    width = max(6, len(str(n)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


class LatentCohort:
    """The latent patients and their visits (all arrays, one entry per patient or visit)."""

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        self.n, self.rng = n, rng
        self.ids = text(_ids("S", n))
        self.draw_patients()
        self.draw_schedule()

    # -- patients -------------------------------------------------------------------

    def draw_patients(self) -> None:
        rng, n = self.rng, self.n
        self.site = rng.integers(0, max(1, min(24, n // 40)), n)
        self.female = rng.random(n) < 0.65
        self.age = np.round(np.clip(rng.gamma(4.0, 1.9, n) + 1.0, 1.5, 17.9), 1)
        months = np.exp(rng.normal(np.log(16.0), 0.8, n))
        self.months = np.round(np.clip(months, 0.2, np.maximum(0.2, self.age * 12 - 3)), 1)
        delay = rng.uniform(0.05, 0.6, n)
        self.onset = np.round(np.clip(self.age - self.months / 12 - delay, 0.3, None), 1)
        self.onset = np.minimum(self.onset, self.age)
        self.drug = draw_codes(rng, n, (0.35, 0.25, 0.40))
        self.start_days = rng.integers(0, _START_SPAN_DAYS, n)
        base = np.array([24.0, 36.0, 52.0])[draw_codes(rng, n, (0.6, 0.15, 0.25))]
        lost = rng.random(n) < 0.08
        self.followup = np.round(np.where(lost, rng.uniform(6, base), base), 1)
        stops = rng.random(n) < 0.12
        self.stop = np.where(stops, np.round(rng.uniform(2, self.followup), 1), np.nan)
        self.stop_reason = np.where(stops, draw_codes(rng, n, (0.35, 0.2, 0.2, 0.15, 0.1)), -1)
        # Latent disease: muscle and skin activity at week 0, residual fraction, speed.
        involved = rng.random(n) < 0.5
        self.muscle_involved = involved  # recorded as muscle_involvement (no extra draw)
        self.muscle0 = np.where(involved, rng.uniform(0.15, 0.85, n), rng.uniform(0, 0.05, n))
        skin_active = rng.random(n) < 0.92
        self.skin0 = np.where(skin_active, rng.uniform(0.25, 0.95, n), rng.uniform(0, 0.08, n))
        kind = draw_codes(rng, n, (0.7, 0.2, 0.1))  # responder, partial, non-responder
        low = np.array([0.0, 0.3, 0.8])[kind]
        high = np.array([0.15, 0.6, 1.1])[kind]
        self.skin_residual = rng.uniform(low, high)
        self.muscle_residual = clip01(self.skin_residual + rng.normal(0, 0.1, n))
        self.skin_tau = rng.uniform(3, 16, n)
        self.muscle_tau = rng.uniform(6, 24, n)
        self.ck_susceptible = rng.uniform(0.2, 1.0, n)
        self.weight0 = (8 + 2.6 * self.age + 0.15 * self.age**2) * np.exp(rng.normal(0, 0.12, n))
        self.height0 = np.clip(75 + 6.6 * self.age - 0.06 * self.age**2 + rng.normal(0, 5, n),
                               70, 185)
        self.cs0 = np.where(rng.random(n) < 0.05, 0.0, np.round(rng.uniform(0.1, 1.5, n), 2))
        self.cs_floor = rng.uniform(0.15, 0.7, n)
        self.cs_tau = rng.uniform(8, 24, n)
        cs_stops = (rng.random(n) < 0.12) & (self.cs0 > 0) & (self.followup > 12)
        self.cs_stop = np.where(cs_stops, np.round(rng.uniform(12, np.maximum(12, self.followup)), 1),
                                np.nan)
        self.cs_in_mg = rng.random(n) < 0.15
        self.ulcer = rng.random(n) < 0.08
        self.calcinosis = rng.random(n) < 0.15
        self.damage = rng.integers(0, 4, n) + self.calcinosis
        self.totals_only = rng.random(n) < 0.1
        new_is = rng.random(n) < 0.05
        self.new_is_week = np.where(new_is, rng.uniform(4, self.followup), np.inf)
        self.ck_uln = np.array([170.0, 190.0, 200.0, 210.0])[self.site % 4]
        self.ldh_uln = np.array([300.0, 350.0, 400.0])[self.site % 3]
        # Baricitinib: 2 mg (under 30 kg) or 4 mg a day, as one dose or split in two.
        bari_split = rng.random(n) < 0.3
        small = self.weight0 < (np.where(self.drug == 2, 30.0, 25.0))
        mg_day = np.where(self.drug == 2, np.where(small, 2.0, 4.0), np.where(small, 5.0, 10.0))
        self.per_day = np.where((self.drug == 2) & ~bari_split, 1.0, 2.0)
        self.mg_dose = mg_day / self.per_day

    # -- visits ---------------------------------------------------------------------

    def draw_schedule(self) -> None:
        rng, n = self.rng, self.n
        weeks = np.array(SYNTHETIC_WEEKS, dtype=np.float64)
        due = weeks[None, :] <= self.followup[:, None]
        missed = rng.random((n, len(weeks))) < 0.07
        missed[:, 0] = False
        rows, cols = np.nonzero(due & ~missed)
        extra = rng.random(n) < 0.15
        extra_week = np.round(rng.uniform(1, np.minimum(self.followup, 30)) * 2) / 2
        clash = np.isin(extra_week, weeks) | (extra_week > self.followup)
        extra_rows = np.flatnonzero(extra & ~clash)
        patient = np.concatenate([rows, extra_rows]).astype(np.int64)
        week = np.concatenate([weeks[cols], extra_week[extra_rows]])
        order = np.lexsort((week, patient))
        self.v_patient, self.v_week = patient[order], week[order]

    def activity(self, level0: F64, residual: F64, tau: F64, noise: float) -> F64:
        p, t = self.v_patient, self.v_week
        fraction = residual[p] + (1 - residual[p]) * np.exp(-t / tau[p])
        return clip01(level0[p] * fraction + self.rng.normal(0, noise, len(t)))

    def steroid(self) -> F64:
        p, t = self.v_patient, self.v_week
        floor = self.cs_floor[p]
        dose = self.cs0[p] * (floor + (1 - floor) * np.exp(-t / self.cs_tau[p]))
        stopped = t >= np.nan_to_num(self.cs_stop, nan=np.inf)[p]
        return np.where(stopped, 0.0, np.round(dose, 2))
