"""benchmarks/bench_report_stages.py runs at its toy size and prints a stage per row.

Not a timed test: only that each report is run, timed stage by stage, and printed as a
markdown table whose stages add up to the process's total.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_report_stages.py"


def test_bench_report_stages_tiny(tmp_path: Path) -> None:
    out = tmp_path / "stages.md"
    done = subprocess.run([sys.executable, str(SCRIPT), "--tiny", "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "**`report` 20 patients**" in text and "**`report --demo baricitinib`**" in text
    for table in text.split("**")[2::2]:
        rows = {line.split(" | ")[0].lstrip("| ").replace("&nbsp;", ""): line.split(" | ")[1]
                .rstrip(" |") for line in table.splitlines() if line.startswith("| ")
                and not line.startswith("| stage") and not line.startswith("|---")}
        for stage in ("analysis", "results.json", "figure 1, trajectories", "tables.xlsx",
                      "report.docx", "start-up, CLI, the rest"):
            assert float(rows[stage]) >= 0.0, (stage, rows)
        parts = sum(float(v) for k, v in rows.items() if k != "total")
        assert abs(parts - float(rows["total"])) < 0.05, rows
    assert out.read_text(encoding="utf-8").strip() == text.strip()
