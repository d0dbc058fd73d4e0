"""Manual Muscle Testing, 8 muscle groups (MMT-8), unilateral, total 0-80.

Source: IMACS Form 04 (manual muscle testing scoring sheet); Rider LG et al. Arthritis
Care Res 2010;62:465-472. Each group is graded 0-10 (Kendall scale as numbered by IMACS),
normally on the right side; the unilateral total of the 8 groups is 0-80. Only the
unilateral 0-80 scale is supported in cohort format v1: the PRINTO threshold (>= 78) and
the Total Improvement Score's MMT range assume it.
"""

from __future__ import annotations

from ..fields import MMT8_GROUPS

__all__ = ["MMT8_COLUMNS", "MMT8_GROUP_MAXIMUM", "MMT8_MAXIMUM"]

MMT8_COLUMNS: tuple[str, ...] = tuple(name for name, _ in MMT8_GROUPS)
MMT8_GROUP_MAXIMUM = 10  # Kendall 0-10 per group (Rider 2010)
MMT8_MAXIMUM = 80  # unilateral: 8 groups x 10
