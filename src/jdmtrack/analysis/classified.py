"""Criteria and response per week, with n evaluable and Clopper-Pearson 95% CIs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..stats.proportions import clopper_pearson
from .common import describe_dict, week_key
from .settings import AnalysisSettings

__all__ = ["summarise_criteria", "summarise_response"]

_TIS_LEVELS = ("none", "minimal", "moderate", "major")
_RESPONSES = ("CR", "PR", "NR")


def _proportion(met: int, evaluable: int) -> dict[str, Any]:
    r = clopper_pearson(met, evaluable)
    return {"n_evaluable": evaluable, "n_met": met, "proportion": r.proportion,
            "ci95": None if r.ci_low is None else [r.ci_low, r.ci_high],
            "not_run": None if evaluable else {"reason": "no patient evaluable at this week"}}


def summarise_criteria(visits: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """``criteria``: PRINTO inactive, inactive skin, rash improved and TIS, per week."""
    out: dict[str, Any] = {}
    for week in settings.weeks:
        at = visits[visits["week"] == week]
        key = week_key(week)
        if "printo_cid" in at.columns:
            printo = at["printo_cid"]
            out.setdefault("printo_cid", {})[key] = _proportion(
                int((printo == "met").sum()), int(printo.isin(["met", "not_met"]).sum()))
        for name in ("skin_inactive", "rash_improved"):
            if name in at.columns and (week > settings.baseline_week or name == "skin_inactive"):
                flags = at[name]
                out.setdefault(name, {})[key] = _proportion(int(flags.fillna(False).sum()),
                                                            int(flags.notna().sum()))
        if "tis" in at.columns and week > settings.baseline_week:
            summary = describe_dict(at["tis"].to_numpy(dtype="float64"),
                                    settings.quantile_method)
            categories = at["tis_category"] if "tis_category" in at.columns else pd.Series()
            out.setdefault("tis", {})[key] = {
                "n": summary["n"], "median": summary["median"], "q1": summary["q1"],
                "q3": summary["q3"],
                **{level: int((categories == level).sum()) for level in _TIS_LEVELS},
                "not_evaluable": int((categories == "not_evaluable").sum()),
                "not_run": None if summary["n"] else {"reason": "no TIS at this week"},
            }
    return out


def summarise_response(visits: pd.DataFrame, settings: AnalysisSettings) -> dict[str, Any]:
    """``response``: CR / PR / NR per post-baseline week; percentages of n evaluable."""
    if "response" not in visits.columns:
        return {}
    out: dict[str, Any] = {}
    for week in settings.weeks[1:]:
        at = visits.loc[visits["week"] == week, "response"]
        counts = {level: int((at == level).sum()) for level in _RESPONSES}
        evaluable = sum(counts.values())
        out[week_key(week)] = {
            "n_evaluable": evaluable, **counts,
            "not_evaluable": int((at == "not_evaluable").sum()),
            "percent": {k: (100.0 * v / evaluable if evaluable else None)
                        for k, v in counts.items()},
            "ci95": {k: _proportion(v, evaluable)["ci95"] for k, v in counts.items()},
            "not_run": None if evaluable else {"reason": "no visit with a decided response at "
                                                         "this week"},
        }
    return out
