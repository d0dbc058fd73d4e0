"""Disease Activity Score for JDM (DAS): total 0-20 = skin domain 0-9 + muscle domain 0-11.

Source: Bode RK et al. Arthritis Rheum 2003;49:7-15. Cohort format v1 records the two
domain scores (``das_skin``, ``das_muscle``); the item-level table of Bode 2003 Appendix A
has not been verified, so items are not accepted yet.
"""

from __future__ import annotations

__all__ = ["DAS_DOMAINS", "DAS_MAXIMUM"]

DAS_DOMAINS: tuple[str, ...] = ("das_skin", "das_muscle")
DAS_MAXIMUM = 20  # 9 (skin) + 11 (muscle), Bode 2003
