"""Quantiles of all nine Hyndman-Fan types against R ``quantile(x, probs, type = k)``.

Reference: tests/reference/stats/reference.R, ``emit_quantiles`` (R 4.2.2), at the
probabilities 0, 0.1, 0.25, 1/3, 0.5, 0.75, 0.9, 1, for every data vector of the reference
sets (paired baseline, follow-up and differences; each week of the repeated sets; the
quantile sets). Tolerance 1e-9 relative.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_reference import PROBS, assert_close, datasets, expected, long, paired, read_columns

from jdmtrack.errors import ComputationError, SettingsError
from jdmtrack.stats import QUANTILE_TYPES, quantile, sample_quantiles


def _vectors() -> list[tuple[str, str, np.ndarray]]:
    out: list[tuple[str, str, np.ndarray]] = []
    for name in datasets("paired_"):
        base, follow = paired(name)
        both = ~np.isnan(base) & ~np.isnan(follow)
        out += [(name, "baseline", base[~np.isnan(base)]),
                (name, "followup", follow[~np.isnan(follow)]),
                (name, "difference", (follow - base)[both])]
    for name in datasets("repeated_"):
        _, weeks, values = long(name)
        for week in sorted(set(weeks.tolist())):
            column = values[(weeks == week) & ~np.isnan(values)]
            label = f"week{int(week)}" if week.is_integer() else f"week{week}"
            out.append((name, label, column))
    for name in datasets("quantile_"):
        out.append((name, "x", np.array([float(v) for v in read_columns(name)["value"]])))
    return [item for item in out if item[2].size]


VECTORS = _vectors()


def test_there_are_many_reference_vectors() -> None:
    assert len(VECTORS) >= 80


@pytest.mark.parametrize(("dataset", "prefix", "x"), VECTORS,
                         ids=[f"{d}-{p}" for d, p, _ in VECTORS])
def test_all_nine_types_match_r(dataset: str, prefix: str, x: np.ndarray) -> None:
    ref = expected()[dataset]
    assert ref[f"{prefix}.n"] == x.size
    for kind in range(1, 10):
        got = sample_quantiles(x, PROBS, type=kind)
        for i, p in enumerate(PROBS, start=1):
            assert_close(got[i - 1], ref[f"{prefix}.q.type{kind}.{i}"],
                         f"{dataset} {prefix} type {kind} p={p}")


@pytest.mark.parametrize(("dataset", "prefix", "x"), VECTORS,
                         ids=[f"{d}-{p}" for d, p, _ in VECTORS])
def test_python_parsed_the_same_doubles_as_r(dataset: str, prefix: str, x: np.ndarray) -> None:
    """R wrote back its parsed non-integer values with %.17g: they must be bit-identical."""
    ref = expected()[dataset]
    fractional = [v for v in x.tolist() if v != round(v)]
    r_values = [ref[k] for k in sorted(
        (k for k in ref if k.startswith(f"{prefix}.parsed_fractional")),
        key=lambda k: int(k.rsplit(".", 1)[1]) if k[-1].isdigit() else 0)]
    assert fractional == r_values


def test_landscape_worked_example() -> None:
    """landscape.md §4.3: x = 29,33,38,41,41,43,44,46,50,52. Type 6 (SPSS/Prism) Q1/Q3 =
    36.75/47.0 (ranks 2.75 and 8.25); type 7 (R/numpy) 38.75/45.5; type 2 (SAS) 38/46; the
    median is 42."""
    x = [29, 33, 38, 41, 41, 43, 44, 46, 50, 52]
    assert sample_quantiles(x, [0.25, 0.5, 0.75]) == (36.75, 42.0, 47.0)
    assert sample_quantiles(x, [0.25, 0.5, 0.75], type=7) == (38.75, 42.0, 45.5)
    assert sample_quantiles(x, [0.25, 0.5, 0.75], type=2) == (38.0, 42.0, 46.0)


def test_type6_with_n7_gives_order_statistics() -> None:
    """landscape.md §4.3: with n = 7, type 6 puts Q1 at rank 0.25 x 8 = 2 and Q3 at rank 6."""
    x = [24, 29, 33, 38, 41, 44, 52]
    assert sample_quantiles(x, [0.25, 0.75]) == (29.0, 44.0)
    assert sample_quantiles(x, [0.25, 0.75], type=7) == (31.0, 42.5)


def test_types_match_numpy_methods() -> None:
    """numpy's named methods are the same nine definitions (numpy >= 1.22)."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 53, 23).astype(float)
    for kind, (method, _) in QUANTILE_TYPES.items():
        ours = sample_quantiles(x, [0.25, 0.5, 0.75], type=kind)
        theirs = np.quantile(x, [0.25, 0.5, 0.75], method=method)  # type: ignore[call-overload]
        assert np.allclose(ours, theirs, rtol=1e-12), kind


@settings(deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
       st.floats(0, 1), st.integers(1, 9))
def test_quantile_lies_within_the_data(x: list[float], p: float, kind: int) -> None:
    q = quantile(x, p, type=kind)
    assert min(x) - 1e-9 * (1 + abs(min(x))) <= q <= max(x) + 1e-9 * (1 + abs(max(x)))


@settings(deadline=None)
@given(st.lists(st.integers(0, 52), min_size=1, max_size=30), st.integers(1, 9))
def test_quantiles_are_monotone_in_p(x: list[int], kind: int) -> None:
    got = sample_quantiles(x, [i / 20 for i in range(21)], type=kind)
    assert all(a <= b for a, b in itertools.pairwise(got))


def test_errors_are_named() -> None:
    with pytest.raises(ComputationError, match="n = 0"):
        quantile([], 0.5)
    with pytest.raises(ComputationError, match="missing"):
        quantile([1.0, math.nan], 0.5)
    with pytest.raises(ComputationError, match=r"\[0, 1\]"):
        quantile([1.0, 2.0], 1.5)
    with pytest.raises(SettingsError, match="1-9"):
        quantile([1.0, 2.0], 0.5, type=10)
