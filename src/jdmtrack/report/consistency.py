"""The results file's consistency check, which lives at the results boundary
(:mod:`jdmtrack.results.consistency`); kept here under its old import path."""

from __future__ import annotations

from ..results.consistency import check_results

__all__ = ["check_results"]
