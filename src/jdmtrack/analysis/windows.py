"""Visit windows: each visit mapped to an analysis week, every visit counted.

Visits happen at week 5 or 13 as often as at 4 or 12. The analysis compares patients at the
analysis weeks of the settings (default 0, 4, 12, 24), so each visit is mapped as a trial
statistician would (ICH E9 "visit windows"; design.md, "Visit windows"):

* **Baseline** is the visit at the baseline week exactly (week 0, the JAKi start): changes,
  TIS and response are derived against that visit when the cohort is scored, so the analysis
  uses the same one. Weeks are >= 0 by the cohort format, so no earlier visit exists.
* **Follow-up week w** takes the visits with ``|week - w| <= h_w``. Default half-width: half
  the distance to the nearest other analysis week, at most 4 weeks (0, 4, 12, 24 give +-2 at
  week 4 and +-4 at weeks 12 and 24); windows then never overlap. The ``visit_window``
  setting gives one half-width for every follow-up week or a ``{week: half-width}`` table.
* A visit inside several windows goes to the nearest analysis week (the later one when
  equally near). Of a patient's visits in one window, the **closest to the analysis week is
  used, then the later one**; the others are counted as not used.
* Visits outside every window are counted under their nearest analysis week (``outside``);
  nothing is dropped without a count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SettingsError
from .common import week_key

__all__ = ["DEFAULT_MAX_HALF_WIDTH", "VisitWindows"]

#: Widest default half-width, in weeks (the +-4 weeks of the issue-13 defaults at weeks 12, 24).
DEFAULT_MAX_HALF_WIDTH = 4.0

Given = float | tuple[tuple[float, float], ...] | None


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SettingsError(f"visit_window: {what} is {value!r}; expected a number of weeks")
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"visit_window: {what} is {value!r}; expected a number of "
                            "weeks") from None
    if not math.isfinite(number) or number < 0:
        raise SettingsError(f"visit_window: {what} is {value!r}; expected a number of weeks "
                            ">= 0")
    return number


@dataclass(frozen=True)
class VisitWindows:
    """The half-width of each follow-up analysis week's window (baseline is exact)."""

    baseline_week: float
    half_widths: dict[float, float]
    given: Given

    @classmethod
    def parse(cls, given: Any, weeks: tuple[float, ...]) -> VisitWindows:
        """Windows from the setting: None (default rule), a number, or ``{week: half-width}``.

        >>> w = VisitWindows.parse(None, (0.0, 4.0, 12.0, 24.0))
        >>> w.half_widths
        {4.0: 2.0, 12.0: 4.0, 24.0: 4.0}
        >>> VisitWindows.parse({"12": 6}, (0.0, 4.0, 12.0)).half_widths
        {4.0: 2.0, 12.0: 6.0}
        """
        base, follow = weeks[0], weeks[1:]
        widths = {}
        for i, w in enumerate(follow, start=1):
            gaps = [w - weeks[i - 1]] + ([weeks[i + 1] - w] if i + 1 < len(weeks) else [])
            widths[w] = min(DEFAULT_MAX_HALF_WIDTH, min(gaps) / 2.0)
        normal: Given = None
        if isinstance(given, (dict, tuple, list)):
            pairs = given.items() if isinstance(given, dict) else given
            table = {}
            for item in pairs:
                if not (isinstance(item, (tuple, list)) and len(item) == 2):
                    raise SettingsError(f"visit_window: {item!r} is not a week: half-width pair")
                week = _number(item[0], "a week")
                if week not in widths:
                    raise SettingsError(
                        f"visit_window: week {week_key(week)} is not a follow-up analysis week "
                        f"(follow-up weeks: {', '.join(week_key(w) for w in follow)}; the "
                        f"baseline, week {week_key(base)}, takes only the visit at that week)")
                table[week] = _number(item[1], f"the half-width at week {week_key(week)}")
            widths.update(table)
            normal = tuple(sorted(table.items()))
        elif given is not None:
            half = _number(given, "the half-width")
            widths = dict.fromkeys(widths, half)
            normal = half
        return cls(base, widths, normal)

    def as_dict(self) -> dict[str, list[float]]:
        """``{week: [low, high]}`` in weeks, baseline included (a single point)."""
        out = {week_key(self.baseline_week): [self.baseline_week, self.baseline_week]}
        out |= {week_key(w): [max(self.baseline_week, w - h), w + h]
                for w, h in self.half_widths.items()}
        return out

    def describe(self) -> str:
        """The windows in words, for the methods text."""
        parts = [f"week {week_key(w)} \u00b1 {h:g}" for w, h in self.half_widths.items()]
        rule = ("" if self.given is not None else " (by default half the distance to the "
                f"nearest other analysis week, at most {DEFAULT_MAX_HALF_WIDTH:g} weeks)")
        return (f"Visits were mapped to the analysis weeks within windows of {', '.join(parts)} "
                f"weeks{rule}; baseline was the visit at week {week_key(self.baseline_week)}. "
                "A visit inside two windows went to the nearer analysis week (the later one "
                "when equally near); of a patient's visits in one window the one closest to the "
                "analysis week was used, then the later one. Visits outside every window were "
                "counted, not analysed.")

    def assign(self, visits: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
        """The visits used at each analysis week (``week`` set to the analysis week, the
        recorded week kept as ``visit_week``) and the accounting of every visit."""
        recorded = visits["week"].to_numpy(dtype="float64")
        targets = np.array([self.baseline_week, *self.half_widths], dtype="float64")
        halves = np.array([0.0, *self.half_widths.values()], dtype="float64")
        distance = np.abs(recorded[:, None] - targets[None, :])
        inside = distance <= halves[None, :]
        # Nearest window containing the visit; on equal distance the later week (argmin of
        # the reversed columns picks the last minimum).
        masked = np.where(inside, distance, np.inf)[:, ::-1]
        chosen = targets.size - 1 - np.argmin(masked, axis=1)
        mapped = inside.any(axis=1)
        nearest = targets.size - 1 - np.argmin(distance[:, ::-1], axis=1)
        frame = visits.assign(visit_week=recorded, _target=targets[chosen],
                              _distance=distance[np.arange(recorded.size), chosen])[mapped]
        frame = frame.sort_values(["patient_id", "_target", "_distance", "visit_week"],
                                  ascending=[True, True, True, False], kind="mergesort")
        used = frame.drop_duplicates(["patient_id", "_target"], keep="first")
        used = used.assign(week=used["_target"]).drop(columns=["_target", "_distance"])
        per_week = {}
        for j, week in enumerate(targets):
            n_mapped = int(np.count_nonzero(mapped & (chosen == j)))
            at = used["week"].to_numpy() == week
            n_used = int(np.count_nonzero(at))
            per_week[week_key(float(week))] = {
                "window": [max(self.baseline_week, week - halves[j]), week + halves[j]],
                "mapped": n_mapped, "used": n_used, "not_used": n_mapped - n_used,
                "off_target": int(np.count_nonzero(used["visit_week"].to_numpy()[at] != week)),
                "outside_nearest": int(np.count_nonzero(~mapped & (nearest == j))),
            }
        accounting = {
            "rule": self.describe(),
            "n_visits": int(recorded.size), "n_mapped": int(np.count_nonzero(mapped)),
            "n_used": len(used), "n_not_used": int(np.count_nonzero(mapped)) - len(used),
            "n_outside": int(np.count_nonzero(~mapped)),
            "outside_weeks": sorted({float(w) for w in recorded[~mapped]}),
            "per_week": per_week,
        }
        return used.sort_values(["patient_id", "week"], kind="mergesort"), accounting
