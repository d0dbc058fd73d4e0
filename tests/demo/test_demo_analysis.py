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

import pandas as pd
import pytest

from jdmtrack import demo
from jdmtrack.analysis import AnalysisSettings, analyze
from jdmtrack.pipeline import load_cohort, score_cohort

TABLES = ("patients", "visits", "events", "adverse_events")


def _lookup(results, path):
    node = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
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
def analysed(tmp_path_factory):
    cache = {}

    def get(name, subgroup):
        key = (name, None if subgroup is None else (subgroup["column"], subgroup["value"]))
        if key not in cache:
            folder = Path(str(demo.path(name)))
            if subgroup is not None:
                out = tmp_path_factory.mktemp("subgroup")
                patients = pd.read_csv(folder / "patients.csv", dtype=str,
                                       keep_default_na=False)
                keep = set(patients.loc[patients[subgroup["column"]] == subgroup["value"],
                                        "patient_id"])
                for table in TABLES:
                    frame = pd.read_csv(folder / f"{table}.csv", dtype=str,
                                        keep_default_na=False)
                    frame[frame["patient_id"].isin(keep)].to_csv(out / f"{table}.csv",
                                                                 index=False)
                folder = out
            cache[key] = analyze(score_cohort(load_cohort(folder)), AnalysisSettings())
        return cache[key]

    return get


ENTRIES = [(name, e) for name in demo.available()
           for e in json.loads((demo.path(name) / "published.json")
                               .read_text(encoding="utf-8"))["figures"] if e["path"]]


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[f"{n}:{e['id']}" for n, e in ENTRIES])
def test_jdmtrack_analysis_reproduces_the_figure(name, entry, analysed):
    value = _lookup(analysed(name, entry["subgroup"]), entry["path"])
    assert isinstance(value, (int, float)), f"{entry['path']} is {value!r}"
    if entry["scale"] is not None:
        value *= entry["scale"]
    if entry["reproducible"]:
        assert _matches(entry, value), f"printed {entry['printed']}, jdmtrack gives {value!r}"
    else:
        assert not _matches(entry, value)
