"""Results as the papers ran and printed them, typed: the tests as the papers ran them
(``paper_tests``) and a demo cohort's published figures beside the reproduced ones
(``demo``).

>>> t = read_paper_tests({"paper_tests": {"measures": {"cmas_total": {"vs_baseline": {
...     "12": {"n_pairs": 9, "p_value_exact": 0.02, "t_test": {"p_value_t": 0.03}}}}}}})
>>> t.adjust, t.rows[0].comparison, t.rows[0].p_value_t, t.rows[0].paired_t
('holm', 'week 12 vs 0', 0.03, True)
>>> demo = read_demo({"demo": {"name": "x", "published": [{"label": "n", "match": True}, 3]}})
>>> [(p.label, p.printed, p.match, p.reproducible) for p in demo.published]
[('n', '', True, None)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .read import entries, flag, integer, num, rows, section, text

__all__ = ["Demo", "PaperTestRow", "PaperTests", "PublishedFigure", "read_demo",
           "read_paper_tests"]


@dataclass(frozen=True)
class PaperTestRow:
    """One comparison of one measure: a week against week 0 (``paired_t`` True: with SPSS's
    asymptotic Wilcoxon and the paired t-test beside the exact p), or two later weeks after
    the Friedman test (with the adjusted p)."""

    measure: str
    comparison: str
    paired_t: bool
    n_pairs: int | None
    p_value_exact: float | None
    p_value_asymptotic: float | None
    difference_from_exact: float | None
    p_value_t: float | None
    p_adjusted: float | None


@dataclass(frozen=True)
class PaperTests:
    """Every comparison, measure by measure; ``adjust`` the multiplicity adjustment."""

    adjust: str
    rows: tuple[PaperTestRow, ...]


@dataclass(frozen=True)
class PublishedFigure:
    """A number a demo's source article printed, and jdmtrack's from the demo cohort."""

    label: str | None
    printed: str
    reproduced: float | None
    reproduced_text: str | None
    match: bool | None
    reproducible: bool | None
    note: str


@dataclass(frozen=True)
class Demo:
    """The demo a results file was computed from (``present`` False for real data)."""

    present: bool
    name: str | None
    citation: str | None
    published: tuple[PublishedFigure, ...]


def _measure_rows(measure: str, entry: Mapping[str, Any]) -> list[PaperTestRow]:
    out = [PaperTestRow(measure, f"week {week} vs 0", True, integer(r.get("n_pairs")),
                        num(r.get("p_value_exact")),
                        num(section(r, "wilcoxon_asymptotic").get("p_value")),
                        num(r.get("difference_from_exact")),
                        num(section(r, "t_test").get("p_value_t")), None)
           for week, r in entries(entry, "vs_baseline").items()]
    for name, c in entries(section(entry, "pairwise"), "pairs").items():
        if c.get("week_a") == "0":
            continue
        exact, asymptotic = num(c.get("p_value_exact")), num(c.get("p_value_asymptotic"))
        out.append(PaperTestRow(measure, text(name.replace("_vs_", " vs ")) or name, False,
                                integer(c.get("n_pairs")), exact, asymptotic,
                                None if exact is None or asymptotic is None
                                else asymptotic - exact, None, num(c.get("p_adjusted"))))
    return out


def read_paper_tests(data: Mapping[str, Any]) -> PaperTests:
    """The ``paper_tests`` section, flattened to its table's rows."""
    tests = section(data, "paper_tests")
    found = [row for m, e in entries(tests, "measures").items() for row in _measure_rows(m, e)]
    adjust = tests.get("adjust", "holm")
    return PaperTests(text(str(adjust)) or "holm", tuple(found))


def read_demo(data: Mapping[str, Any]) -> Demo:
    """The ``demo`` section."""
    demo = section(data, "demo")
    published = tuple(PublishedFigure(text(p.get("label")), text(str(p.get("printed") or "")) or "",
                                      num(p.get("reproduced")), text(p.get("reproduced_text")),
                                      flag(p.get("match")), flag(p.get("reproducible")),
                                      text(str(p.get("note") or "")) or "")
                      for p in rows(demo, "published"))
    return Demo(bool(demo), text(demo.get("name")),
                text(section(demo, "source").get("citation")), published)
