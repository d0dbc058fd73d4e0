"""Descriptive statistics for "Table 1" and the by-week summaries of the results file.

Continuous variables: n, missing, median, Q1, Q3 (Hyndman-Fan type 6 by default, see
``jdmtrack.stats.quantiles``), mean, SD (n - 1 denominator, as R ``sd``), min and max.
Categorical variables: counts and percentages of the non-missing values.

The median is always the usual sample median (the mean of the two middle values when n is
even, as R ``median``), whatever the quartile type: types 1, 3 and 4 would otherwise report an
order statistic next to the middle.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jdmtrack.stats._common import as_float_vector_with_missing, finite_or_none
from jdmtrack.stats.continuous import STATISTICS, ContinuousSummary
from jdmtrack.stats.quantiles import DEFAULT_QUANTILE_TYPE, sample_quantiles

__all__ = ["CategoricalResult", "DescriptiveResult", "describe", "describe_categorical"]


@dataclass(frozen=True)
class DescriptiveResult(ContinuousSummary[int]):
    """Summary of one continuous variable. Statistics that need more data are ``None``."""

    quantile_type: int
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{type: continuous, n, missing, median, q1, q3, mean, sd,
        min, max}`` plus ``quantile_type`` and ``note``."""
        return {
            "type": "continuous",
            "n": self.n,
            "missing": self.missing,
            **{name: finite_or_none(getattr(self, name)) for name in STATISTICS},
            "quantile_type": self.quantile_type,
            "note": self.note,
        }


def describe(
    values: Sequence[float | None] | Any, quantile_type: int = DEFAULT_QUANTILE_TYPE
) -> DescriptiveResult:
    """Describe a continuous variable; ``NaN`` / ``None`` count as missing.

    Parameters
    ----------
    values
        The observations; missing values may be ``None`` or ``NaN``.
    quantile_type
        Hyndman-Fan type of Q1 and Q3 (default 6: SPSS, Prism).

    Returns
    -------
    DescriptiveResult
        With n = 0 every statistic is ``None``; with n = 1 the SD is ``None`` (it needs two
        values); the ``note`` says why.

    Examples
    --------
    >>> r = describe([29, 33, 38, 41, 41, 43, 44, 46, 50, 52, None])
    >>> r.n, r.missing, r.median, r.q1, r.q3, r.min, r.max
    (10, 1, 42.0, 36.75, 47.0, 29.0, 52.0)
    >>> r.mean
    41.7
    >>> describe([None, float("nan")]).note
    'no non-missing values'
    """
    array = as_float_vector_with_missing(values, "values")
    observed = array[~np.isnan(array)]
    n = int(observed.size)
    missing = int(array.size - n)
    method = f"median, quartiles by Hyndman-Fan type {quantile_type}, mean, SD (n - 1)"
    if n == 0:
        # Validate the setting even when there is nothing to summarise.
        sample_quantiles([0.0], [0.5], quantile_type)
        return DescriptiveResult(
            0, missing, None, None, None, None, None, None, None, quantile_type, method,
            "no non-missing values",
        )
    q1, q3 = sample_quantiles(observed, [0.25, 0.75], quantile_type)
    median = sample_quantiles(observed, [0.5], 7)[0]  # the usual median, as R median()
    mean = math.fsum(observed.tolist()) / n
    sd: float | None = None
    note = None
    if n >= 2:
        sd = math.sqrt(math.fsum(((observed - mean) ** 2).tolist()) / (n - 1))
    else:
        note = "SD needs at least two values"
    return DescriptiveResult(
        n, missing, median, q1, q3, mean, sd, float(observed.min()), float(observed.max()),
        quantile_type, method, note,
    )


@dataclass(frozen=True)
class CategoricalResult:
    """Counts and percentages (of the non-missing values) of one categorical variable."""

    n: int
    missing: int
    counts: dict[str, int]
    percent: dict[str, float | None]
    method: str = "counts; percent of non-missing values"
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Results-file form: ``{type: categorical, n, missing, counts, percent}``."""
        return {
            "type": "categorical",
            "n": self.n,
            "missing": self.missing,
            "counts": dict(self.counts),
            "percent": {k: finite_or_none(v) for k, v in self.percent.items()},
            "note": self.note,
        }


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def describe_categorical(
    values: Iterable[Hashable | None], levels: Sequence[str] | None = None
) -> CategoricalResult:
    """Count each level of a categorical variable; ``None``, ``NaN`` and ``""`` are missing.

    Parameters
    ----------
    values
        The observations (converted to ``str`` for the level names).
    levels
        The levels to report, in order, including those never observed (count 0). By default
        the observed levels, sorted. An observed value outside ``levels`` is counted under its
        own name after them.

    Examples
    --------
    >>> r = describe_categorical(["F", "M", "F", None], levels=["F", "M"])
    >>> r.n, r.missing, r.counts, r.percent
    (3, 1, {'F': 2, 'M': 1}, {'F': 66.66666666666667, 'M': 33.333333333333336})
    """
    all_values = list(values)
    observed = [str(v) for v in all_values if not _is_missing(v)]
    missing = len(all_values) - len(observed)
    order = list(levels) if levels is not None else sorted(set(observed))
    order += sorted(set(observed) - set(order))
    counts = {level: 0 for level in order}
    for value in observed:
        counts[value] += 1
    n = len(observed)
    percent: dict[str, float | None] = {
        level: (100.0 * count / n if n else None) for level, count in counts.items()
    }
    return CategoricalResult(
        n, missing, counts, percent, note=None if n else "no non-missing values"
    )
