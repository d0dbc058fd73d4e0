"""Descriptive statistics, the public API of jdmtrack.stats, and JSON-ready results.

Descriptive values are checked against R ``median``, ``mean`` and ``sd`` (reference.R,
``emit_quantiles``) to 1e-9; quartiles are covered by test_stats_quantiles.py.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import re

import numpy as np
import pytest
from stats_reference import assert_close, datasets, paired, value

import jdmtrack.stats as stats_api
from jdmtrack.errors import SettingsError
from jdmtrack.stats import (
    compare_with_baseline,
    describe,
    describe_categorical,
    event_rate,
    friedman_test,
    kaplan_meier,
    mixed_model,
    sample_quantiles,
    skillings_mack_test,
)


@pytest.mark.parametrize("name", datasets("paired_"))
def test_describe_matches_r(name: str) -> None:
    base, follow = paired(name)
    for label, column in (("baseline", base), ("followup", follow)):
        r = describe(column)
        assert r.n == value(name, f"{label}.n")
        assert r.missing == int(np.isnan(column).sum())
        assert_close(r.median, value(name, f"{label}.median"), f"{name} {label} median")
        assert_close(r.mean, value(name, f"{label}.mean"), f"{name} {label} mean")
        assert_close(r.sd, value(name, f"{label}.sd"), f"{name} {label} sd")
        assert_close(r.q1, value(name, f"{label}.q.type6.3"), f"{name} {label} q1")
        assert_close(r.q3, value(name, f"{label}.q.type6.6"), f"{name} {label} q3")


def test_describe_edge_cases() -> None:
    empty = describe([None, math.nan])
    assert (empty.n, empty.missing, empty.median, empty.sd) == (0, 2, None, None)
    one = describe([41.0])
    assert (one.median, one.q1, one.q3, one.sd) == (41.0, 41.0, 41.0, None)
    assert one.note == "SD needs at least two values"
    const = describe([52.0] * 5)
    assert (const.sd, const.q1, const.q3) == (0.0, 52.0, 52.0)
    assert describe([1.0, 2.0, 3.0, 4.0], quantile_type=7).q1 == 1.75
    with pytest.raises(SettingsError):
        describe([1.0], quantile_type=0)


def test_describe_categorical() -> None:
    r = describe_categorical(["baricitinib", "tofacitinib", None, "", "tofacitinib"],
                             levels=["tofacitinib", "baricitinib", "ruxolitinib"])
    assert (r.n, r.missing) == (3, 2)
    assert r.counts == {"tofacitinib": 2, "baricitinib": 1, "ruxolitinib": 0}
    assert r.percent["ruxolitinib"] == 0.0
    assert describe_categorical([None]).percent == {}


def test_all_is_complete_importable_and_sorted() -> None:
    """Every name in __all__ exists, every public module's names are re-exported, and the
    list is in ruff's isort-style order (RUF022): constants, classes, then functions."""
    names = stats_api.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(stats_api, name), name

    def kind(name: str) -> int:
        if re.fullmatch(r"[A-Z0-9_]+", name):
            return 0
        return 1 if name[0].isupper() else 2

    assert names == sorted(names, key=lambda n: (kind(n), n))
    for module_name in ("adjust", "descriptive", "friedman", "layout", "mixed", "paired",
                        "proportions", "quantiles", "safety", "skillings_mack", "survival",
                        "wilcoxon"):
        module = importlib.import_module(f"jdmtrack.stats.{module_name}")
        assert set(module.__all__) <= set(names), module_name


def _walk(value: object) -> None:
    """Fail on NaN / inf anywhere in a result (never a silent NaN)."""
    if isinstance(value, float):
        assert math.isfinite(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _walk(item)


@pytest.mark.parametrize("make", [
    lambda: compare_with_baseline([], []),
    lambda: compare_with_baseline([1.0], [1.0]),
    lambda: compare_with_baseline([52.0, 52.0], [52.0, 52.0]),
    lambda: friedman_test(np.full((4, 3), 52.0)),
    lambda: friedman_test([[1.0, math.nan, 2.0]]),
    lambda: friedman_test([[1.0, 3.0, 2.0]]),
    lambda: skillings_mack_test(np.full((4, 3), 52.0)),
    lambda: mixed_model([], [], []),
    lambda: kaplan_meier([5.0, 6.0], [0, 0]),
    lambda: kaplan_meier([5.0, 6.0], [1, 1]),
    lambda: event_rate(0, 0.0),
    lambda: describe([]),
])
def test_edge_cases_never_return_nan(make: object) -> None:
    result = make()  # type: ignore[operator]
    _walk(result)
    json.dumps(result.as_dict(), allow_nan=False)


def test_results_are_frozen() -> None:
    r = describe([1.0, 2.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n = 3  # type: ignore[misc]


def test_every_result_names_its_method() -> None:
    r = compare_with_baseline([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 12])
    for part in (r, r.wilcoxon, r.hodges_lehmann, r.t_test):
        assert part.method
    assert "coin::wilcoxsign_test" in r.wilcoxon.method
    assert sample_quantiles([1, 2], [0.5]) == (1.5,)
