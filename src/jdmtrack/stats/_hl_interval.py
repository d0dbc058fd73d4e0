"""The fields a Hodges-Lehmann estimate and its distribution-free CI hold, one- or two-sample.

``jdmtrack.stats.wilcoxon`` (one sample: the median of Walsh averages) and
``jdmtrack.stats.mann_whitney`` (two samples: the median of the pairwise differences) give
the same estimate-and-interval record; each puts its sample size(s) first through a small
base of its own (a dataclass takes its bases' fields in reverse method-resolution order, so
``class R(HodgesLehmannInterval, Sizes)`` holds Sizes' fields, then these, then its own).

Bauer DF. Constructing confidence sets using rank statistics. JASA. 1972;67:687-690.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HodgesLehmannInterval"]


@dataclass(frozen=True)
class HodgesLehmannInterval:
    """Estimate, CI bounds, the confidence asked for and achieved, and the method used."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    conf_level: float
    achieved_conf_level: float | None
    method: str
