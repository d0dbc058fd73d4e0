"""jdmtrack's own analysis of the demo cohorts gives the published figures.

For every published.json entry with a results-file key: load the cohort (or the entry's
subgroup of patients) with jdmtrack, score it, analyse it with the default settings, read
the key, apply the entry's scale, and compare at the printed rounding. This is the check
the report's "published versus reproduced" table makes; it depends on jdmtrack's
criteria (rash improved, response) and statistics, not only on the CSV files.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from jdmtrack import demo
from jdmtrack.analysis import AnalysisSettings, analyze
from jdmtrack.pipeline import load_cohort, score_cohort


def _lookup(results, path):
    node = results
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _matches(entry, value):
    if entry["statistic"] == "upper_bound":
        return value < entry["value"]
    if entry["statistic"] == "at_most":
        return value <= entry["value"]

    def rounded(x):
        return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-entry["decimals"]),
                                                ROUND_HALF_UP)

    return rounded(value) == rounded(entry["value"])


@pytest.fixture(scope="module")
def analysed():
    """Results of the whole demo cohort, or of the population an entry's ``where``
    conditions define (the --where mechanism, on derived patient columns too)."""
    cache = {}
    scored = {}

    def get(name, where):
        key = (name, tuple(where))
        if key not in cache:
            if name not in scored:
                scored[name] = score_cohort(load_cohort(Path(str(demo.path(name)))))
            cache[key] = analyze(scored[name], AnalysisSettings(where=tuple(where)))
        return cache[key]

    return get


ENTRIES = [(name, e) for name in demo.available()
           for e in json.loads((demo.path(name) / "published.json")
                               .read_text(encoding="utf-8"))["figures"] if e["path"]]


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[f"{n}:{e['id']}" for n, e in ENTRIES])
def test_jdmtrack_analysis_reproduces_the_figure(name, entry, analysed):
    value = _lookup(analysed(name, entry["where"]), entry["path"])
    assert isinstance(value, (int, float)), f"{entry['path']} is {value!r}"
    if entry["scale"] is not None:
        value *= entry["scale"]
    if entry["reproducible"]:
        assert _matches(entry, value), f"printed {entry['printed']}, jdmtrack gives {value!r}"
    else:
        assert not _matches(entry, value)
