"""The pinned R values of tests/reference/groupstats (no R needed).

``expected.json`` is written by ``groupstats.R``: one object per section and case holding
the case's input data and R's values. jsonlite prints 15 significant digits, so values are
compared with a relative tolerance of 1e-12 (R's own results are accurate to about 1e-14).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "groupstats"
#: Relative tolerance for values R printed with 15 significant digits.
REL = 1e-12
#: Absolute tolerance for Monte Carlo p-values compared with an exact value (1e5 resamples:
#: the standard error of a p near 0.5 is 0.0016; 0.006 is about four of them).
MONTE_CARLO_ABS = 0.006


def _decode(value: Any) -> Any:
    """R's NA, Inf and -Inf are written as strings; read them as None, inf and -inf."""
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return {"NA": None, "NaN": None, "Inf": math.inf, "-Inf": -math.inf}.get(value, value) \
        if isinstance(value, str) else value


@cache
def expected() -> dict[str, Any]:
    data: dict[str, Any] = _decode(json.loads((REFERENCE / "expected.json").read_text("utf-8")))
    return data


def cases(section: str) -> list[str]:
    return sorted(expected()[section])


def case(section: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = expected()[section][name]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def assert_close(actual: float | None, reference: float | None, what: str,
                 rel: float = REL, abs_tol: float = 1e-14) -> None:
    if reference is None or actual is None:
        if actual is None and reference is None:
            return
        raise AssertionError(f"{what}: got {actual!r}, R gives {reference!r}")
    if not math.isclose(actual, reference, rel_tol=rel, abs_tol=abs_tol):
        raise AssertionError(f"{what}: got {actual!r}, R gives {reference!r} (rel {rel})")
