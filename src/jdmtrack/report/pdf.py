"""``report.pdf``: the HTML report printed by headless Chromium (its print stylesheet).

Chromium rather than WeasyPrint (docs/report.md gives the measurements): it lays out the
page the reader sees in a browser, so the PDF and the screen cannot drift apart; it repeats
table headers, honours ``break-inside`` and named landscape pages; and it is a system
package most machines already have, where WeasyPrint would add Pango and its Python
dependencies to jdmtrack. Nothing is fetched: the page is self-contained, and the flags
below switch off Chromium's own network traffic (updates, sync, first-run pages); each
run uses a fresh temporary profile, removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import JdmtrackError

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "ChromiumMissingError", "find_chromium", "print_pdf",
           "require_chromium"]

#: Where Debian and Ubuntu install Chromium; JDMTRACK_CHROMIUM names another binary.
CHROMIUM = "/usr/bin/chromium"

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
)
_TIMEOUT_S = 180


class ChromiumMissingError(JdmtrackError):
    """No Chromium to print with."""


def find_chromium() -> Path | None:
    """The Chromium binary: ``$JDMTRACK_CHROMIUM``, else /usr/bin/chromium, else
    ``chromium`` or ``chromium-browser`` on the PATH; None when there is none."""
    named = os.environ.get("JDMTRACK_CHROMIUM")
    candidates = [named] if named else [CHROMIUM, shutil.which("chromium"),
                                        shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def require_chromium() -> Path:
    """The Chromium binary, or :class:`ChromiumMissingError` saying how to get one."""
    binary = find_chromium()
    if binary is None:
        raise ChromiumMissingError(
            "report --pdf needs Chromium to print report.html, and none was found "
            f"({CHROMIUM}, or chromium on the PATH). Install it (Debian/Ubuntu: apt-get "
            "install chromium), name it with JDMTRACK_CHROMIUM=/path/to/chromium, or open "
            "report.html in a browser and print it to PDF (its print layout is the same).")
    return binary


def print_pdf(html: Path, pdf: Path, *, chromium: Path | None = None) -> Path:
    """Print ``html`` to ``pdf`` with headless Chromium; returns ``pdf``.

    Raises
    ------
    ChromiumMissingError
        When no Chromium is installed (the message says how to get one).
    JdmtrackError
        When Chromium fails or writes no PDF (its last lines of output are quoted).
    """
    binary = chromium or require_chromium()
    pdf = Path(pdf).resolve()
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="jdmtrack-chromium-") as profile:
        command = [str(binary), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                   Path(html).resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise JdmtrackError(f"Chromium ({binary}) could not print {html}: {err}") from err
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise JdmtrackError(f"Chromium ({binary}) did not write {pdf} (exit code "
                            f"{done.returncode}): {tail or 'no output'}")
    return pdf
