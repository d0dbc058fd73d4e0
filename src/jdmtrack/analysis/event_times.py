"""Each patient's time to each event and who is at risk of it, computed once per cohort.

The Kaplan-Meier summaries (whole cohort and each ``--by`` group) and the log-rank tests
read the same per-patient facts: the end of follow-up, the week-0 visit (rash, steroid
dose), the first recorded week of each event and the first visit meeting the rash
improvement criterion. ``event_times`` gathers them as arrays over the sorted patient
identifiers; a group is then a boolean ``pool`` over those arrays, so no table is split
or searched again per group, event or patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..fields import field
from .common import column, end_of_followup

__all__ = ["EVENT_ORDER", "RASH_EVENTS", "EventTimes", "event_times"]

# Who is at risk of each event: rash events need a rash at baseline, steroid
# discontinuation a steroid dose at baseline; everyone is at risk of the others.
RASH_EVENTS = ("rash_improvement", "rash_marked_improvement", "rash_resolution")
EVENT_ORDER = field("events", "event").choices  # dictionary order

Mask = np.ndarray[Any, np.dtype[np.bool_]]
Floats = np.ndarray[Any, np.dtype[np.float64]]


def _first_visit_met(visits: pd.DataFrame, column_name: str) -> pd.Series:
    """Week of each patient's first visit whose nullable boolean ``column_name`` is true."""
    if column_name not in visits.columns:
        return pd.Series(dtype="float64")
    met = visits[visits[column_name].fillna(False).astype(bool)]
    return met.groupby("patient_id")["week"].min().astype("float64")


@dataclass(frozen=True)
class EventTimes:
    """Per-patient arrays over ``ids`` (sorted: the patients table and the week-0 visits).

    ``logged[e]`` is the first recorded week of event ``e`` (NaN: none, or a missing week;
    ``has[e]`` tells them apart); ``seen`` the first visit meeting the rash improvement
    criterion (``seen_has`` likewise)."""

    ids: np.ndarray[Any, np.dtype[np.object_]]
    in_patients: Mask
    end: Floats
    baseline: Mask
    rash: Mask
    rash_known: Mask
    steroid: Mask
    steroid_known: Mask
    recorded: frozenset[str]
    logged: dict[str, Floats]
    has: dict[str, Mask]
    seen: Floats
    seen_has: Mask
    any_seen: bool

    def at_risk(self, event: str, pool: Mask | None = None) -> tuple[Mask, str]:
        """Who in ``pool`` (default: everyone) is at risk of ``event``, and that population.

        Rash events: the patients of ``pool`` with a rash at week 0 when anyone there has
        rash recorded at week 0; steroid discontinuation: those on corticosteroids at week 0
        when anyone there has a dose recorded; otherwise every patient of ``pool``."""
        inside = np.ones(self.ids.size, dtype=bool) if pool is None else pool
        first = self.baseline & inside
        if event in RASH_EVENTS and (self.rash_known & first).any():
            return self.rash & first, "patients with rash at week 0"
        if event == "cs_discontinuation" and (self.steroid_known & first).any():
            return self.steroid & first, "patients on corticosteroids at week 0"
        return self.in_patients & inside, "all patients"

    def present(self, pool: Mask | None = None) -> list[str]:
        """The events with a Kaplan-Meier estimate in ``pool``, in dictionary order: those
        recorded there, and rash improvement when a visit there meets its criterion."""
        if pool is None:
            return [e for e in EVENT_ORDER
                    if e in self.recorded or (e == "rash_improvement" and self.any_seen)]
        return [e for e in EVENT_ORDER
                if (e in self.has and bool((self.has[e] & pool).any()))
                or (e == "rash_improvement" and bool((self.seen_has & pool).any()))]

    def times(self, event: str, risk: Mask) -> tuple[Floats, Mask, int]:
        """Time and event flag of the patients ``risk`` as the Kaplan-Meier estimate and the
        log-rank test both take them, and how many of the events come from visits alone.

        Rash improvement: the earlier of the recorded event and the first visit meeting the
        criterion (``followup.RASH_IMPROVEMENT_DEFINITION``); other events: the events
        table alone (``logged_times``)."""
        if event != "rash_improvement":
            when, happened = self.logged_times(event, risk)
            return when, happened, 0
        logged = (self.logged[event][risk] if event in self.logged
                  else np.full(int(risk.sum()), np.nan))
        seen = self.seen[risk]
        combined = np.fmin(logged, seen)
        happened = ~np.isnan(combined)
        from_visits = int((~np.isnan(seen) & (np.isnan(logged) | (seen < logged))).sum())
        return np.where(happened, combined, self.end[risk]), happened, from_visits

    def logged_times(self, event: str, risk: Mask) -> tuple[Floats, Mask]:
        """Time and event flag of the patients ``risk`` from the events table alone: the
        first recorded week, else censored at the end of follow-up."""
        if event not in self.has:
            return self.end[risk], np.zeros(int(risk.sum()), dtype=bool)
        happened = self.has[event][risk]
        return np.where(happened, self.logged[event][risk], self.end[risk]), happened


def _on_ids(values: pd.Series, ids: pd.Index) -> tuple[Floats, Mask]:
    """A per-patient series on ``ids``: (values, NaN where absent; present)."""
    return (values.reindex(ids).to_numpy(dtype="float64"),
            np.asarray(ids.isin(values.index), dtype=bool))


def event_times(patients: pd.DataFrame, visits: pd.DataFrame, events: pd.DataFrame,
                baseline_week: float) -> EventTimes:
    """Gather the per-patient facts of the time-to-event summaries (see ``EventTimes``)."""
    first = visits[visits["week"] == baseline_week].drop_duplicates("patient_id")
    ids = pd.Index(sorted(set(patients["patient_id"]) | set(first["patient_id"])),
                   dtype=object)
    end = end_of_followup(patients, visits, events).reindex(ids).to_numpy(dtype="float64")
    rash = column(first, "rash")
    das = column(first, "das_skin").astype("float64")
    dose = column(first, "cs_mg_kg_day").astype("float64")
    row = pd.Series(np.arange(len(first)), index=first["patient_id"].to_numpy())
    at = row.reindex(ids).to_numpy(dtype="float64")
    baseline = ~np.isnan(at)
    pick = np.where(baseline, at, 0).astype(np.int64)

    def per_patient(flags: Any) -> Mask:
        if not len(first):
            return np.zeros(ids.size, dtype=bool)
        chosen: Mask = baseline & np.asarray(flags, dtype=bool)[pick]
        return chosen

    recorded = frozenset(events["event"]) if len(events) else frozenset()
    logged: dict[str, Floats] = {}
    has: dict[str, Mask] = {}
    if recorded:
        firsts = events.groupby(["event", "patient_id"])["week"].min()
        for event in EVENT_ORDER:
            if event in recorded:
                logged[event], has[event] = _on_ids(firsts.loc[event], ids)
    from_visits = _first_visit_met(visits, "rash_improved")
    seen, seen_has = _on_ids(from_visits, ids)
    return EventTimes(
        ids=ids.to_numpy(dtype=object),
        in_patients=np.asarray(ids.isin(patients["patient_id"]), dtype=bool), end=end,
        baseline=baseline,
        rash=per_patient((das > 0) if "rash" not in first.columns
                         else rash.fillna(False).astype(bool) | (das > 0)),
        rash_known=per_patient(rash.notna() | das.notna()),
        steroid=per_patient(dose > 0), steroid_known=per_patient(dose.notna()),
        recorded=recorded, logged=logged, has=has, seen=seen, seen_has=seen_has,
        any_seen=bool(len(from_visits)))
