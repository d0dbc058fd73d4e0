"""report.html: self-contained (no network request of any kind) and true to the results."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jdmtrack.report import render_report

REMOTE = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.IGNORECASE)
URL_ATTRS = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data",
             "background", "manifest", "ping", "cite", "longdesc", "usemap", "codebase"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        for name, value in attrs:
            if name in URL_ATTRS and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
            if name == "id" and value:
                self.ids.append(value)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)


def audit(html: str) -> _Audit:
    parser = _Audit()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def html(rendered: tuple[Any, Any]) -> str:
    return str(rendered[1].html.read_text(encoding="utf-8"))


def test_html_makes_no_network_request(html: str) -> None:
    """(b) No src/href to http(s):// or //, no remote url(), no stylesheet link, no @import,
    no script: the page renders offline exactly as it was written."""
    found = audit(html)
    remote = [u for u in found.urls if REMOTE.match(u[2])]
    assert remote == []
    for _tag, _name, value in found.urls:
        assert value.startswith(("#", "data:")), value
    assert not [t for t, a in found.tags if t == "link"]
    assert not [t for t, a in found.tags if t in ("script", "iframe", "object", "embed", "img")]
    css = "\n".join(found.styles)
    assert "@import" not in css
    for target in re.findall(r"url\(\s*['\"]?([^)'\"]*)", css + html):
        assert target.startswith(("#", "data:")), target
    assert "@font-face" not in css
    assert "http://" not in html and "https://" not in html


def test_html_has_a_print_stylesheet_and_inline_figures(html: str,
                                                        rendered: tuple[Any, Any]) -> None:
    found = audit(html)
    assert "@media print" in "\n".join(found.styles)
    svgs = [t for t, _a in found.tags if t == "svg"]
    assert len(svgs) == len(rendered[1].figures) // 2
    assert len(found.ids) == len(set(found.ids)), "ids repeat across the inline SVGs"


def test_html_holds_every_section(html: str) -> None:
    for heading in ("Cohort and follow-up", "Baseline characteristics", "Patients",
                    "Outcomes over time", "Response and criteria per week",
                    "Corticosteroid taper", "Time to event", "Safety",
                    "JAK-inhibitor dose check", "Published versus reproduced", "Data quality",
                    "Methods", "Provenance"):
        assert f"</span>{heading}</h2>" in html, heading


def _r(x: float, decimals: int) -> str:
    """Half away from zero on the printed decimal, written independently of the package."""
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:f}".replace("-", "\u2212")


def test_numbers_in_html_match_results_at_stated_rounding(html: str,
                                                          rendered: tuple[Any, Any]) -> None:
    """(e) Spot checks: each printed number is the result rounded as the footnote says."""
    results = rendered[0]
    text = " ".join(audit(html).text)
    skin0 = results["outcomes"]["das_skin"]["by_week"]["0"]
    assert f"{_r(skin0['median'], 1)} ({_r(skin0['q1'], 1)}, {_r(skin0['q3'], 1)}) [6]" in text
    cs0 = results["outcomes"]["cs_mg_kg_day"]["by_week"]["0"]
    assert f"{_r(cs0['median'], 2)} ({_r(cs0['q1'], 2)}, {_r(cs0['q3'], 2)})" in text
    age = results["baseline"]["age_start_years"]
    assert f"{_r(age['median'], 1)} ({_r(age['q1'], 1)}, {_r(age['q3'], 1)})" in text
    assert f"{_r(age['mean'], 1)} ± {_r(age['sd'], 1)}" in text
    cr = results["response"]["24"]
    assert f"{cr['CR']} ({_r(cr['percent']['CR'], 0)}%)" in text
    lo, hi = results["response"]["24"]["ci95"]["CR"]
    assert f"{_r(100 * lo, 0)}% to {_r(100 * hi, 0)}%" in text
    safety = results["safety"]
    assert f"{_r(safety['rate_per_100py'], 1)} events per 100 patient-years" in text
    assert f"95% CI {_r(safety['rate_ci95'][0], 1)} to {_r(safety['rate_ci95'][1], 1)}" in text
    holm = results["outcomes"]["das_skin"]["vs_baseline"]["24"]["p_adjusted"]
    assert _r(holm, 3) in text
    assert "permutation p < 0.001" in text  # Friedman p_value_exact 0.000412
    assert "p < 0.023" not in text
    assert "Hyndman–Fan type 6" in text


def test_every_warning_kind_is_printed_and_escaped(html: str, rendered: tuple[Any, Any]) -> None:
    """Data-quality kinds one line each (rule, count, examples); completeness kinds summed
    per code with their missing inputs."""
    text = " ".join(audit(html).text)
    for warning in rendered[0]["warnings"]:
        if warning["kind"] == "quality":
            assert warning["message"] in text
    assert "P05 wk 4; P06 wk 0" in text
    # Missing inputs by their dictionary labels; the column names in small type (issue 19)
    assert "Patient/parent global disease activity, 10-cm VAS (5)" in text
    assert '<small class="code">ptga_cm</small>' in html
    assert "weight &lt;b&gt;" in html and "weight <b>" not in html


def test_methods_text_is_rendered(html: str, rendered: tuple[Any, Any]) -> None:
    text = " ".join(audit(html).text)
    for paragraph in rendered[0]["methods"]:
        assert paragraph in text


def test_synthetic_banner_only_for_demo_cohorts(tmp_path: Path, results: dict[str, Any],
                                                visits: pd.DataFrame) -> None:
    demo = render_report(results, visits, tmp_path / "demo").html.read_text(encoding="utf-8")
    assert 'class="banner"' in demo and "Synthetic data" in demo
    del results["demo"]
    real = render_report(results, visits, tmp_path / "real").html.read_text(encoding="utf-8")
    assert 'class="banner"' not in real
    assert "Published versus reproduced" not in real


def test_published_versus_reproduced_table(html: str) -> None:
    text = " ".join(audit(html).text)
    assert "1 of 2 published figures that patient-level data can give are reproduced" in text
    assert "3 (60%)" in text and "fixture, not study B" in text
