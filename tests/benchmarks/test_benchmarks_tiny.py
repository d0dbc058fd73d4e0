"""benchmarks/bench_perf.py and bench_report_stages.py run (at their toy size, as CI runs
them) and print their tables.

Not timed tests: the figures are not checked, only that every row of issue 16's table is
measured and printed as markdown, and that the report's stages add up to its total.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPT = BENCHMARKS / "bench_perf.py"


def run_tiny(script: Path, out: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, str(script), "--tiny", "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done


def test_bench_perf_tiny_prints_every_row(tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    done = run_tiny(SCRIPT, out)
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


def test_bench_report_stages_tiny(tmp_path: Path) -> None:
    out = tmp_path / "stages.md"
    text = run_tiny(BENCHMARKS / "bench_report_stages.py", out).stdout
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


def test_bench_report_tiny_prints_both_targets(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    text = run_tiny(BENCHMARKS / "bench_report.py", out).stdout
    rows = [line.split(" | ") for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| work")]
    works = [r[0].lstrip("| ") for r in rows]
    assert works == ['`python -c "import jdmtrack"`', "`report --demo baricitinib`",
                     "`report` 20 patients"], works
    for r in rows:
        assert float(r[2]) > 0.0 and float(r[3]) > 0.0, r  # one run: one wall time, CPU
        assert r[5].rstrip(" |") in ("met", "MISSED"), r
    assert "every run" in rows[1][4] and "<= 5 s" in rows[2][4]
    assert out.read_text(encoding="utf-8").strip() == text.strip()
