"""Checks of planning settings: an impossible request is a ``SettingsError`` naming the fix."""

from __future__ import annotations

import math

from jdmtrack.errors import SettingsError


def probability(value: float, name: str, *, open_low: bool = True, open_high: bool = True) -> float:
    """``value`` as a float in (0, 1) (ends included when ``open_low``/``open_high`` is off).

    >>> probability(0.2, "--p0")
    0.2
    >>> probability(1.0, "--alpha")
    Traceback (most recent call last):
    ...
    jdmtrack.errors.SettingsError: --alpha must be between 0 and 1 (exclusive); got 1.0
    """
    v = float(value)
    low_ok = v > 0.0 if open_low else v >= 0.0
    high_ok = v < 1.0 if open_high else v <= 1.0
    if not (math.isfinite(v) and low_ok and high_ok):
        ends = "exclusive" if open_low and open_high else "inclusive"
        raise SettingsError(f"{name} must be between 0 and 1 ({ends}); got {value!r}")
    return v


def alpha_beta(alpha: float, beta: float) -> tuple[float, float]:
    """Check a significance level and a type II error rate (power = 1 - beta < 1)."""
    a = probability(alpha, "--alpha")
    if not math.isfinite(float(beta)) or float(beta) <= 0.0:
        raise SettingsError(
            f"--beta must be above 0 (power = 1 - beta must be below 1; no finite study "
            f"has power 1); got {beta!r}"
        )
    b = probability(beta, "--beta")
    if a + b >= 1.0:
        raise SettingsError(
            f"alpha + beta must be below 1 (power above alpha); got alpha = {a!r}, beta = {b!r}"
        )
    return a, b


def rates(p0: float, p1: float) -> tuple[float, float]:
    """Null and alternative response rates with p0 < p1 (the one-sided test looks for more)."""
    lo = probability(p0, "--p0")
    hi = probability(p1, "--p1")
    if hi <= lo:
        raise SettingsError(
            f"--p1 must be above --p0 (the rate worth detecting exceeds the rate to rule "
            f"out); got p0 = {lo!r}, p1 = {hi!r}"
        )
    return lo, hi


def count(value: int, name: str, minimum: int) -> int:
    """An integer at least ``minimum``."""
    if isinstance(value, bool) or int(value) != value or int(value) < minimum:
        raise SettingsError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)
