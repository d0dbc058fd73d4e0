"""Small helpers shared by the statistics modules (input checks, JSON-ready values).

Nothing here is public API; the public functions re-exported from ``jdmtrack.stats`` use them
so that every module checks its inputs the same way and raises the same named errors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

# Re-exported: the statistics import their defaults from here.
from jdmtrack.defaults import DEFAULT_ALPHA as DEFAULT_ALPHA
from jdmtrack.defaults import DEFAULT_CONF_LEVEL as DEFAULT_CONF_LEVEL
from jdmtrack.defaults import DEFAULT_RESAMPLES as DEFAULT_RESAMPLES
from jdmtrack.defaults import DEFAULT_SEED as DEFAULT_SEED
from jdmtrack.errors import ComputationError, SettingsError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]



def as_float_vector(values: Any, name: str, *, allow_nan: bool = False) -> FloatArray:
    """Return ``values`` as a 1-D float64 array, or raise ``ComputationError``.

    >>> as_float_vector([1, 2.5], "x")
    array([1. , 2.5])
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ComputationError(f"{name} must be numbers; got {values!r}") from err
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ComputationError(f"{name} must be one-dimensional; got shape {array.shape}")
    if np.isinf(array).any():
        raise ComputationError(f"{name} contains an infinite value")
    if not allow_nan and np.isnan(array).any():
        raise ComputationError(
            f"{name} contains missing values (NaN); drop them first or use a function "
            "that reports missing values"
        )
    return array


def _missing_to_nan(value: Any) -> Any:
    # None, and pandas' NA / NaT (recognised by type name: pandas is not needed here).
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return math.nan
    return value


def as_float_vector_with_missing(values: Any, name: str) -> FloatArray:
    """Like ``as_float_vector`` but ``None``, ``NaN`` and pandas ``NA`` become ``NaN``.

    >>> as_float_vector_with_missing([1, None, float("nan")], "x")
    array([ 1., nan, nan])
    """
    array = np.asarray(values)
    if array.dtype.kind in "fiub":  # numbers already (a float column): nothing to convert
        return as_float_vector(array.ravel(), name, allow_nan=True)
    raw = [_missing_to_nan(v) for v in np.asarray(values, dtype=object).ravel().tolist()]
    return as_float_vector(raw, name, allow_nan=True)


def as_float_matrix(values: Any, name: str) -> FloatArray:
    """Return ``values`` as a 2-D float64 array (NaN allowed), or raise ``ComputationError``."""
    array: FloatArray
    try:
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            array = values.astype(np.float64)
        else:
            objects = np.asarray(values, dtype=object)
            array = np.vectorize(_missing_to_nan, otypes=[object])(objects).astype(np.float64)
    except (TypeError, ValueError) as err:
        raise ComputationError(f"{name} must be a table of numbers") from err
    if array.ndim != 2:
        raise ComputationError(
            f"{name} must be two-dimensional (subjects x weeks); got shape {array.shape}"
        )
    if np.isinf(array).any():
        raise ComputationError(f"{name} contains an infinite value")
    return array


def check_alpha(alpha: float) -> float:
    """Validate a significance level: a number strictly between 0 and 1."""
    if not isinstance(alpha, (int, float)) or not 0.0 < float(alpha) < 1.0:
        raise SettingsError(f"alpha must be a number between 0 and 1 (exclusive); got {alpha!r}")
    return float(alpha)


def check_conf_level(conf_level: float) -> float:
    """Validate a confidence level: a number strictly between 0 and 1."""
    if not isinstance(conf_level, (int, float)) or not 0.0 < float(conf_level) < 1.0:
        raise SettingsError(
            f"conf_level must be a number between 0 and 1 (exclusive); got {conf_level!r}"
        )
    return float(conf_level)


def check_count(value: int, name: str) -> int:
    """Validate a count: a non-negative integer (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ComputationError(f"{name} must be a non-negative integer; got {value!r}")
    return int(value)


def finite_or_none(value: float | None) -> float | None:
    """``None`` for a missing or non-finite value, else the value as a plain float.

    >>> finite_or_none(float("nan")) is None, finite_or_none(np.float64(2.5))
    (True, 2.5)
    """
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def pair_or_none(low: float | None, high: float | None) -> list[float | None] | None:
    """A JSON interval ``[low, high]``; ``None`` when both ends are missing."""
    if low is None and high is None:
        return None
    return [finite_or_none(low), finite_or_none(high)]


def week_key(week: float | int | str) -> str:
    """The results-file key of a week: ``12.0`` -> ``"12"``, ``2.5`` -> ``"2.5"``.

    >>> [week_key(w) for w in (0, 12.0, 2.5, "24")]
    ['0', '12', '2.5', '24']
    """
    if isinstance(week, str):
        return week
    value = float(week)
    if value.is_integer():
        return str(int(value))
    return repr(value)


def week_keys(weeks: Iterable[float | int | str]) -> list[str]:
    """``week_key`` of each week, in order."""
    return [week_key(w) for w in weeks]


def join_notes(notes: Sequence[str | None]) -> str | None:
    """Join the non-empty notes with "; " (``None`` when there are none)."""
    kept = [note for note in notes if note]
    return "; ".join(kept) if kept else None
