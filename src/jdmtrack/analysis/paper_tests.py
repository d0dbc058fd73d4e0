"""Tests as the papers ran them, beside jdmtrack's exact defaults.

For every outcome measure:

* ``pairwise``: after the Friedman test, any two analysis weeks compared by the Wilcoxon
  signed-rank test on the patients observed at both (e.g. week 24 vs week 4), exact and
  SPSS asymptotic p, adjusted over all pairs by Holm (or Bonferroni when ``p_adjust`` is
  bonferroni), keyed ``"<a>_vs_<b>"``;
* ``vs_baseline``: each week against week 0 by SPSS's asymptotic Wilcoxon signed-rank test
  (normal approximation, tie-corrected variance, no continuity correction) and the paired
  t-test, beside the exact p, with ``p_value`` the one chosen by the ``paper_p`` setting
  and ``difference_from_exact`` (asymptotic minus exact).

The statistics are :func:`jdmtrack.stats.pairwise_signed_rank` and
:func:`jdmtrack.stats.spss_paired_tests` (pinned against R there).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from .common import week_key
from .settings import AnalysisSettings

__all__ = ["summarise_paper_tests"]


def _chosen(result: dict[str, Any], kind: str) -> float | None:
    if kind == "spss_asymptotic":
        value: Any = result["wilcoxon_asymptotic"]["p_value"]
    elif kind == "paired_t":
        value = result["t_test"]["p_value_t"]
    else:
        value = result["p_value_exact"]
    return None if value is None else float(value)


def summarise_paper_tests(at_weeks: pd.DataFrame, measures: list[str],
                          settings: AnalysisSettings) -> dict[str, Any]:
    """Pairwise weeks after Friedman and SPSS-style tests against week 0, per measure."""
    from ..stats import pairwise_signed_rank, spss_paired_tests

    adjust: Literal["holm", "bonferroni"] = (
        "bonferroni" if settings.p_adjust == "bonferroni" else "holm")
    weeks = list(settings.weeks)
    rows = at_weeks[at_weeks["week"].isin(weeks)].drop_duplicates(["patient_id", "week"])
    out: dict[str, Any] = {"paper_p": settings.paper_p, "adjust": adjust, "measures": {}}
    for measure in measures:
        if measure not in rows.columns:
            continue
        wide = rows.pivot(index="patient_id", columns="week", values=measure).apply(
            pd.to_numeric, errors="coerce").reindex(columns=weeks)
        table = wide.to_numpy(dtype="float64")
        present = [w for j, w in enumerate(weeks) if np.isfinite(table[:, j]).sum() >= 1]
        entry: dict[str, Any] = {"pairwise": None, "vs_baseline": {}}
        if len(present) >= 2:
            pairwise = pairwise_signed_rank(wide[present].to_numpy(dtype="float64"),
                                            weeks=[week_key(w) for w in present],
                                            adjust=adjust).as_dict()
            entry["pairwise"] = {k: v for k, v in pairwise.items() if k != "comparisons"} | {
                "pairs": {f"{c['week_a']}_vs_{c['week_b']}": c
                          for c in pairwise["comparisons"]}}
        base = wide[weeks[0]].to_numpy(dtype="float64")
        for week in weeks[1:]:
            later = wide[week].to_numpy(dtype="float64")
            if (np.isfinite(base) & np.isfinite(later)).sum() < 2:
                continue
            result = spss_paired_tests(base, later).as_dict()
            asym, exact = result["wilcoxon_asymptotic"]["p_value"], result["p_value_exact"]
            entry["vs_baseline"][week_key(week)] = result | {
                "p_value": _chosen(result, settings.paper_p),
                "difference_from_exact": (None if asym is None or exact is None
                                          else float(asym) - float(exact))}
        out["measures"][measure] = entry
    return out
