"""check_results: every total and percentage the report prints agrees with its counts.

The corrupted cases are the slips published case series have printed (study B: "CR 15
(79%)" for 15 of 20; "CR and PR in 19 of 20" when CR 15 + PR 3 = 18).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from jdmtrack.report import check_results
from jdmtrack.report import format as f


def test_fixture_is_consistent(results: dict[str, Any]) -> None:
    assert check_results(results) == []


def test_results_json_written_by_the_report_is_consistent(rendered: tuple[Any, Any]) -> None:
    """(a) Recompute every total and percentage from the results.json the report wrote."""
    results, files = rendered
    written = json.loads(files.json.read_text(encoding="utf-8"))
    assert written == results
    assert check_results(written) == []
    for week, s in written["response"].items():
        assert s["CR"] + s["PR"] + s["NR"] == s["n_evaluable"], week
        for k in ("CR", "PR", "NR"):
            assert s["percent"][k] == pytest.approx(100 * s[k] / s["n_evaluable"])
    for name in ("printo_cid", "skin_inactive", "rash_improved"):
        for s in written["criteria"][name].values():
            assert s["n_met"] <= s["n_evaluable"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(results: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = results
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (_set("response.24.percent.CR", 79.0), "percent CR is 79.0, but 100 × 3 / 5 = 60.0"),
    (_set("response.24.PR", 2), "CR + PR + NR = 6, but n_evaluable = 5"),
    (_set("criteria.printo_cid.24.n_met", 6), "n_met = 6 exceeds n_evaluable = 5"),
    (_set("criteria.printo_cid.24.proportion", 0.5), "proportion 0.5, but 3 / 5 = 0.6000"),
    (_set("criteria.skin_inactive.12.ci95", [0.5, 0.9]), "estimate 0.333333 below its 95% CI"),
    (_set("criteria.tis.24.major", 4), "none + minimal + moderate + major = 6, but n = 5"),
    (_set("baseline.sex.percent.F", 60.0), "percent F is 60.0, but 100 × 4 / 6 = 66.7"),
    (_set("baseline.age_start_years.missing", 1), "n + missing = 7, but the cohort has 6"),
    (_set("baseline.age_start_years.q1", 9.0), "q1 = 9 > median = 7.95"),
    (_set("safety.n_events", 5), "events by category add to 4, but n_events = 5"),
    (_set("safety.rate_per_100py", 150.0), "rate_per_100py 150.0, but 100 × 4 /"),
    (_set("safety.n_patients", 7), "n_patients (with an event) = 7 exceeds n_exposed = 6"),
    (_set("safety.serious", 2), "1 listed events are serious, but serious = 2"),
    (_set("outcomes.das_skin.vs_baseline.24.n_pairs", 6), "n_pairs = 6 exceeds n at week 24 = 5"),
    (_set("outcomes.das_skin.vs_baseline.24.p_adjusted", 0.01), "Holm-adjusted p 0.01 is below"),
    (_set("outcomes.das_skin.friedman.kendall_w", 1.2), "Kendall's W = 1.2 outside [0, 1]"),
    (_set("time_to_event.rash_improvement.events", 7), "events = 7 exceeds n = 6"),
    (_set("time_to_event.rash_improvement.curve.survival", [0.8, 0.9, 0.5, 0.3, 0.2, 0.2]),
     "curve survival is not non-increasing"),
    (_set("dosing.below_reference", ["P99"]), "unknown patients ['P99']"),
    (_set("patients.0.adverse_events", 3), "adverse events per patient add to 5"),
    (_set("cohort.visits_per_week.24", 7), "patients seen = 7 exceeds n_patients = 6"),
])
def test_each_inconsistency_is_named(results: dict[str, Any],
                                     change: Callable[[dict[str, Any]], None],
                                     message: str) -> None:
    broken = copy.deepcopy(results)
    change(broken)
    problems = check_results(broken)
    assert any(message in p for p in problems), problems


def test_absent_sections_are_not_inconsistent() -> None:
    assert check_results({}) == []
    assert check_results({"schema_version": 1, "response": {}, "safety": None}) == []


class _Tables(HTMLParser):
    """Rows of text of each <table>, keyed by the id of the enclosing figure."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure" and (found.get("id") or "").startswith("table-"):
            self._key = str(found["id"])[len("table-"):]
            self.tables[self._key] = []
        elif tag == "tr" and self._key is not None:
            self.tables[self._key].append([])
        elif tag in ("td", "th") and self._key is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._key is not None:
            self.tables[self._key][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


_COUNT_PCT = re.compile(r"^(\d+) \((\d+(?:\.\d+)?)%\)$")


def test_every_printed_percentage_of_response_and_criteria_is_count_over_denominator(
        rendered: tuple[Any, Any]) -> None:
    """Each printed "k (p%)" equals 100 k / n rounded as stated, n being the row's evaluable
    count; and the printed counts add up to it."""
    results, files = rendered
    tables = html_tables(files.html.read_text(encoding="utf-8"))
    decimals = f.percent_decimals(results["cohort"]["n_patients"])
    checked = 0
    for key in ("response", "criteria"):
        _header, *rows = tables[key]
        for row in rows:
            if row[1] == "":
                continue  # a criterion's heading row
            n = int(row[1])
            counts = []
            for cell in row[2:]:
                match = _COUNT_PCT.match(cell)
                if match:
                    k = int(match.group(1))
                    counts.append(k)
                    assert match.group(2) == f.fmt_number(100 * k / n, decimals), (key, row)
                    checked += 1
            if key == "response":
                assert sum(counts) == n, row
            else:
                assert counts[0] + int(row[4]) == n, row
    assert checked == 3 * 3 + 9
