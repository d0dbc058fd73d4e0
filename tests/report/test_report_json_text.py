"""report/json_text.py writes results.json: the same bytes as the standard library's
``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)`` (the reference), on
generated trees, on a whole results file, and the same errors."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jdmtrack.report.json_text import indented_json


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(
    allow_nan=False, allow_infinity=False)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(
    allow_nan=False, allow_infinity=False)
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                     | st.lists(inner, max_size=3).map(tuple)
                     | st.dictionaries(keys, inner, max_size=4), max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(trees)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert indented_json(value) == reference(value)


def test_a_results_like_tree() -> None:
    """Nesting as results.json has it: sections of dicts, patients' values by week, curves
    of floats, lists of records, empty containers at several depths, non-ASCII text."""
    value = {
        "schema_version": 1, "generated": "2026-12-04T21:00:00+00:00",
        "listing": {"measures": ["alt_u_l"], "patients": {"P1": {"alt_u_l": {"0": 57.0}},
                                                          "P2": {"alt_u_l": {}}}},
        "curve": {"time": [0.0, 4.5, 1e-07, 1e16], "survival": [1.0, 0.75, 0.5, 0.0]},
        "warnings": [{"code": "W1", "examples": [], "note": "Müller – ≥ 2 × ULN"}],
        "empty": [], "nested": [[[]], [{}], [[1, [2, {"x": [None, True, False]}]]]],
    }
    assert indented_json(value) == reference(value)


@pytest.mark.parametrize("bad", [
    {"a": [1.0, math.nan]}, {"a": {"b": math.inf}}, [-math.inf], {"a": [{"b": [math.nan]}]},
])
def test_nan_and_infinity_refused_as_json_refuses_them(bad: Any) -> None:
    with pytest.raises(ValueError, match="Out of range float values"):
        reference(bad)
    with pytest.raises(ValueError, match="Out of range float values"):
        indented_json(bad)


@pytest.mark.parametrize("bad", [{"a": [object()]}, {"a": {"b": {1, 2}}}, {("t",): 1},
                                 {"a": {("t",): [1]}}, [{"a": [1]}, b"bytes"]])
def test_values_json_cannot_hold_refused_as_json_refuses_them(bad: Any) -> None:
    with pytest.raises(TypeError):
        reference(bad)
    with pytest.raises(TypeError):
        indented_json(bad)


def test_circular_reference() -> None:
    loop: dict[str, Any] = {"a": [1]}
    loop["b"] = [loop]
    with pytest.raises(ValueError, match="Circular reference"):
        reference(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        indented_json(loop)


def test_numpy_scalars_that_are_python_floats() -> None:
    """numpy's float64 is a float subclass: both encoders write it as a float."""
    np = pytest.importorskip("numpy")
    value = {"a": [np.float64(0.1), 2], "b": {"c": np.float64(3.0), "d": [np.float64(1e-9)]}}
    assert indented_json(value) == reference(value)


def test_without_the_c_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python built without the _json module: the same text through JSONEncoder.encode."""
    from jdmtrack.report import json_text

    monkeypatch.setattr(json_text, "_c_make_encoder", None)
    value = {"a": [{"b": [1.5, "x"], "c": {"d": None}}], "e": []}
    assert indented_json(value) == reference(value)
