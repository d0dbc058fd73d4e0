"""Screenshot a rendered report.html in headless Chromium (for docs/screenshots/report.png).

Usage::

    python tools/screenshot_report.py [REPORT.html] [-o docs/screenshots/report.png]
    python tools/screenshot_report.py --fixture      # the report tests' hand-built results

Without REPORT.html it renders the bundled demo (``jdmtrack report --demo baricitinib``).
Needs Chromium (Debian: ``apt-get install -y chromium``). Chromium runs with every
background network feature off, so the screenshot also shows the page as it looks with
no network: the report must not need one.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "screenshots" / "report.png"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    sys.exit("No Chromium found. On Debian: apt-get update && apt-get install -y chromium")


def demo_report(work: Path) -> Path:
    out = work / "demo"
    subprocess.run(["jdmtrack", "report", "--demo", "baricitinib", "-o", str(out)], check=True)
    return out / "report.html"


def fixture_report(work: Path) -> Path:
    """Render the report tests' fixture (tests/report/conftest.py)."""
    spec = importlib.util.spec_from_file_location(
        "report_fixture", ROOT / "tests" / "report" / "conftest.py")
    if spec is None or spec.loader is None:
        sys.exit("cannot load tests/report/conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from jdmtrack.report import render_report

    files = render_report(module.make_results(), module.make_visits(), work / "fixture")
    return files.html


def screenshot(html: Path, out: Path, width: int, height: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        command = [
            find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--screenshot={out}", f"--window-size={width},{height}", html.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, timeout=180, capture_output=True)
    print(f"wrote {out} ({width} x {height}) from {html}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, help="report.html to capture")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--fixture", action="store_true",
                        help="capture the report tests' fixture instead of the demo")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        if args.html is not None:
            html = args.html
        elif args.fixture:
            html = fixture_report(Path(work))
        else:
            html = demo_report(Path(work))
        screenshot(html, args.output, args.width, args.height)


if __name__ == "__main__":
    main()
