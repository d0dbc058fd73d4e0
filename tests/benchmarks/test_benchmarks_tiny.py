"""benchmarks/bench_perf.py runs (at its toy size, as CI runs it) and prints its table.

Not a timed test: the figures are not checked, only that every row of issue 16's table is
measured and printed as markdown.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_perf.py"


def test_bench_perf_tiny_prints_every_row(tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    done = subprocess.run([sys.executable, str(SCRIPT), "--tiny", "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "| work | jdmtrack | floor / peer | ratio / target |"
    rows = [line for line in lines[2:] if line.startswith("| ")]
    works = [row.split(" | ")[0] for row in rows]
    for expected in ("`score` 400 visits, item columns only", "every column the demo fills",
                     "`analyze` 20 patients", "`analyze` 200 patients", "Kaplan-Meier",
                     "Hodges-Lehmann", "`report` 20 patients", "`report --demo baricitinib`",
                     "`analyze --by jaki_drug` 20 patients", "`analyze --by site` 20 patients"):
        assert any(expected in w for w in works), (expected, works)
    assert all(row.count(" | ") == 3 for row in rows)
    assert any(line.startswith("Machine: ") for line in lines)
    assert out.read_text(encoding="utf-8").strip() == done.stdout.strip()
