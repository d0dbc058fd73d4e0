"""The demo report as a reader gets it: printed to PDF by Chromium and shown at 1280 px.

Needs /usr/bin/chromium (or JDMTRACK_CHROMIUM) and poppler's pdftotext/pdfinfo: without
them these tests are skipped, saying so, unless JDMTRACK_REQUIRE_BROWSER=1 (CI), where a
missing browser fails them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_codes import raw_codes_in

from jdmtrack.report.pdf import find_chromium, print_pdf

VIEWPORT = 1280


def _need(tool: str, found: object) -> None:
    if found:
        return
    message = f"{tool} is not installed"
    if os.environ.get("JDMTRACK_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (JDMTRACK_REQUIRE_BROWSER=1)")
    pytest.skip(message)


def need_browser() -> Path:
    chromium = find_chromium()
    _need("Chromium (/usr/bin/chromium)", chromium)
    assert chromium is not None
    return chromium


def need_poppler() -> None:
    _need("pdftotext/pdfinfo (poppler-utils)", shutil.which("pdftotext") and
          shutil.which("pdfinfo"))


@dataclass
class PrintedTable:
    label: str          # "Table 7"
    header: list[str]
    first_note: str
    rows: int


class _Tables(HTMLParser):
    """Caption, header cells and first note of every table the HTML prints."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[PrintedTable] = []
        self._where: str | None = None
        self._text: list[str] = []
        self._current: PrintedTable | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "figure" and "table" in classes:
            self._current = PrintedTable("", [], "", 0)
        elif self._current is None:
            return
        elif tag == "span" and "label" in classes:
            self._where, self._text = "label", []
        elif tag == "th":
            self._where, self._text = "th", []
        elif tag == "tr" and self._current.header:
            self._current.rows += 1
        elif tag == "p" and self._where is None and not self._current.first_note:
            self._where, self._text = "note", []

    def handle_endtag(self, tag: str) -> None:
        current = self._current
        if current is None:
            return
        text = " ".join("".join(self._text).split())
        if tag == "span" and self._where == "label":
            current.label = text.rstrip(".")
        elif tag == "th" and self._where == "th":
            current.header.append(text)
        elif tag == "p" and self._where == "note":
            current.first_note = text
        elif tag == "figure":
            if current.header:
                self.tables.append(current)
            self._current = None
        if tag in ("span", "th", "p"):
            self._where = None

    def handle_data(self, data: str) -> None:
        if self._where is not None:
            self._text.append(data)


def printed_tables(html: str) -> list[PrintedTable]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _words(text: str, n: int) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(w) for w in text.split()[:n]))


def _has_header(page: str, header: list[str]) -> bool:
    """The header row opens the page: its first and last cells' first words are in the
    first lines (a header cell may wrap over two or three lines)."""
    top = "\n".join([line for line in page.splitlines() if line.strip()][:4])
    firsts = [cell.split()[0] for cell in (header[0], header[-1]) if cell.split()]
    return all(re.search(rf"(^|\s){re.escape(word)}(\s|$)", top) for word in firsts)


def split_without_header(pages: list[str], tables: list[PrintedTable],
                         continued: list[str] | None = None) -> list[str]:
    """Each page where a table goes on without its header row (``Table 7, page 5``);
    ``continued`` collects every page where a table goes on (with or without it).

    A table runs from the page of its caption to the page of its first note; a page in
    between, and the note's page when rows stand above the note, must open with the header.
    """
    problems: list[str] = []
    page, offset = 0, 0
    for table in tables:
        caption = re.compile(re.escape(table.label) + r"\.")
        while page < len(pages) and not caption.search(pages[page], offset):
            page, offset = page + 1, 0
        if page == len(pages):
            problems.append(f"{table.label}: caption not found")
            break
        offset = caption.search(pages[page], offset).end()  # type: ignore[union-attr]
        note = _words(table.first_note, 5)
        end, end_at = page, note.search(pages[page], offset)
        while end_at is None and end + 1 < len(pages):
            end += 1
            end_at = note.search(pages[end])
        if end_at is None:
            problems.append(f"{table.label}: first note not found")
            continue
        for later in range(page + 1, end + 1):
            above = pages[later][: end_at.start()] if later == end else pages[later]
            if not above.strip():
                continue
            if continued is not None:
                continued.append(f"{table.label}, page {later + 1}")
            if not _has_header(pages[later], table.header):
                problems.append(f"{table.label}, page {later + 1}")
        page, offset = end, end_at.end()
    return problems


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def test_split_check_catches_a_missing_header() -> None:
    """The page-by-page check can fail: a table running on to page 2 without its header
    is caught; with the header repeated, or when only the notes run on, it is not."""
    table = PrintedTable("Table 3", ["Week", "n", "Median (Q1, Q3)"], "Rounding: scores to 1 "
                         "decimal place, always.", 40)
    first = "Table 3. Scores\nWeek   n   Median (Q1,\n            Q3)\nWeek 0  20  5.0\n"
    assert split_without_header([first, "Week 4  20  4.0\nRounding: scores to 1 decimal "
                                 "place, always."], [table]) == ["Table 3, page 2"]
    assert split_without_header([first, "Week   n   Median (Q1,\n  Q3)\nWeek 4  20  4.0\n"
                                 "Rounding: scores to 1 decimal place, always."], [table]) == []
    assert split_without_header([first + "Week 4 20 4.0", "Rounding: scores to 1 decimal "
                                 "place, always."], [table]) == []


@pytest.fixture(scope="module")
def demo_pdf(demo_reports: dict[str, Path]) -> Path:
    """The PDF ``jdmtrack report --demo baricitinib --pdf`` wrote."""
    need_browser()
    need_poppler()
    pdf = demo_reports["baricitinib"] / "report.pdf"
    assert pdf.is_file()
    return pdf


def test_print_pdf_prints_a_page(tmp_path: Path) -> None:
    chromium = need_browser()
    need_poppler()
    html = tmp_path / "page.html"
    html.write_text("<!DOCTYPE html><title>t</title><p>Hello, printer.</p>", encoding="utf-8")
    pdf = print_pdf(html, tmp_path / "page.pdf", chromium=chromium)
    assert page_texts(pdf)[0].strip() == "Hello, printer."


def test_report_pdf_without_chromium_stops_at_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No Chromium: a message saying what to do, exit code 1, and no analysis run first."""
    from click.testing import CliRunner

    from jdmtrack.cli import main

    monkeypatch.setenv("JDMTRACK_CHROMIUM", str(tmp_path / "no-such-chromium"))
    done = CliRunner().invoke(main, ["report", "--demo", "baricitinib", "--pdf",
                                     "-o", str(tmp_path / "out")])
    assert done.exit_code == 1
    assert "needs Chromium" in done.output and "JDMTRACK_CHROMIUM" in done.output
    assert "Traceback" not in done.output
    assert not (tmp_path / "out").exists()


def test_demo_pdf_repeats_every_split_tables_header(demo_reports: dict[str, Path],
                                                    demo_pdf: Path) -> None:
    html = (demo_reports["baricitinib"] / "report.html").read_text(encoding="utf-8")
    tables = printed_tables(html)
    pages = page_texts(demo_pdf)
    assert len(tables) >= 20 and len(pages) >= 10
    continued: list[str] = []
    assert split_without_header(pages, tables, continued) == []
    # Tables do run over pages (Table 1 and the published-figure comparison), so the check
    # above checked something.
    assert len(continued) >= 2, continued


def test_demo_pdf_prints_wide_tables_on_landscape_pages(demo_pdf: Path) -> None:
    """A4 portrait for text, A4 landscape for the wide tables (per-measure outcomes)."""
    sizes = {(round(w), round(h)) for w, h in page_sizes(demo_pdf)}
    assert sizes == {(595, 842), (842, 595)}
    pages = page_texts(demo_pdf)
    landscape = [i for i, (w, h) in enumerate(page_sizes(demo_pdf)) if w > h]
    assert any("Change from week 0" in pages[i] for i in landscape)


def test_demo_pdf_shows_no_raw_code(demo_pdf: Path) -> None:
    """No cell-like run of text (columns are 2+ spaces apart) on any page is a raw code."""
    for number, page in enumerate(page_texts(demo_pdf), start=1):
        cells = [c.strip() for line in page.splitlines() for c in re.split(r"\s{2,}", line)]
        assert raw_codes_in(cells) == [], f"page {number}"


def _scroll_width(html: Path, chromium: Path) -> int:
    """document.documentElement.scrollWidth of ``html`` in a 1280-px-wide window.

    A copy of the page gets a one-line script writing the width into the DOM, which
    Chromium then dumps (the report itself has no script)."""
    probe = html.with_name("probe.html")
    page = html.read_text(encoding="utf-8")
    script = ("<script>addEventListener('load', () => document.body.setAttribute("
              "'data-scroll-width', document.documentElement.scrollWidth));</script>")
    probe.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [str(chromium), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--window-size={VIEWPORT},900", "--hide-scrollbars",
             "--run-all-compositor-stages-before-draw", "--virtual-time-budget=2000",
             "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120, check=True).stdout
    probe.unlink()
    found = re.search(r'data-scroll-width="(\d+)"', dom)
    assert found, "the probe did not run"
    return int(found.group(1))


def test_demo_report_fits_1280_px(demo_reports: dict[str, Path], tmp_path: Path) -> None:
    """At 1280 px nothing makes the page scroll sideways (wide tables scroll inside their
    own container); a page with a 2000-px block does, so the probe can fail."""
    chromium = need_browser()
    html = tmp_path / "report.html"
    shutil.copy(demo_reports["baricitinib"] / "report.html", html)
    assert _scroll_width(html, chromium) <= VIEWPORT
    wide = tmp_path / "wide.html"
    wide.write_text(html.read_text(encoding="utf-8").replace(
        "<main>", '<main><div style="width:2000px">x</div>'), encoding="utf-8")
    assert _scroll_width(wide, chromium) > VIEWPORT
