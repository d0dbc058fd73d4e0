"""The terminal progress line: drawn on a terminal after the delay, silent otherwise."""

from __future__ import annotations

import io

from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.pipeline import example_path
from jdmtrack.progress import Progress, progress_line, report_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_stages_print_and_a_long_loop_draws_a_bar() -> None:
    """Stage lines with the elapsed time; the bar appears only once the stage has run
    for the delay (1.5 s), redraws at most every 0.1 s, and is cleared at the next stage."""
    screen, clock = Terminal(), Clock()
    with progress_line(screen, clock=clock) as line:
        line.stage("analysing")
        clock.now = 1.0
        report_progress(10, 100, "Friedman permutations")   # before the delay: nothing
        assert screen.getvalue() == "[  0.0 s] analysing\n"
        clock.now = 2.0
        report_progress(50, 100, "Friedman permutations")
        clock.now = 2.05
        report_progress(60, 100, "Friedman permutations")   # within 0.1 s: not redrawn
        clock.now = 3.0
        line.stage("report.html")
    out = screen.getvalue()
    bar = "\r  [" + "#" * 15 + "-" * 15 + "]  50% Friedman permutations\x1b[K"
    assert out == ("[  0.0 s] analysing\n" + bar + "\r\x1b[K" + "[  3.0 s] report.html\n")
    assert " 60%" not in out


def test_silent_when_not_a_terminal_and_without_an_open_line() -> None:
    piped = io.StringIO()
    line = Progress(piped, delay=0.0, interval=0.0)
    line.stage("analysing")
    line.update(5, 10, "resamples")
    line.close()
    assert piped.getvalue() == "" and not line.enabled
    report_progress(5, 10)  # no line open: a no-op, never an error


def test_full_bar_and_degenerate_totals() -> None:
    screen, clock = Terminal(), Clock()
    line = Progress(screen, delay=0.0, interval=0.0, width=4, clock=clock)
    line.update(3, 0, "nothing to do")     # total 0: nothing drawn
    assert screen.getvalue() == ""
    line.update(12, 10)                    # over 100%: capped
    assert screen.getvalue() == "\r  [####] 100%\x1b[K"


def test_cli_output_has_no_progress_when_piped(tmp_path: object) -> None:
    """Under CliRunner stderr is not a terminal: no stage lines, no carriage returns."""
    done = CliRunner().invoke(main, ["analyze", str(example_path()), "--json",
                                     f"{tmp_path}/results.json", "--resamples", "1000"])
    assert done.exit_code == 0, done.output
    assert "\r" not in done.output and "[  " not in done.output
