"""Defaults shared by the statistics and the analysis settings (design.md, settings).

A leaf module: the analysis settings read these without loading the statistics (scipy).
"""

from __future__ import annotations

__all__ = ["DEFAULT_ALPHA", "DEFAULT_CONF_LEVEL", "DEFAULT_RESAMPLES", "DEFAULT_SEED"]

#: The significance level used when none is given (design.md, settings.alpha).
DEFAULT_ALPHA = 0.05
#: The confidence level of every interval unless stated otherwise (design.md: ``ci95``).
DEFAULT_CONF_LEVEL = 0.95
#: Monte Carlo resamples and seed when none are given (design.md settings.resamples, seed):
#: the one default of every statistic and of the analysis settings.
DEFAULT_RESAMPLES = 100_000
DEFAULT_SEED = 20240607
