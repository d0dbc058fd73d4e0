"""validate / score / dictionary on the bundled example and on bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from jdmtrack.cli import main
from jdmtrack.fields.markdown import dictionary_markdown
from jdmtrack.pipeline import example_path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_validate_example():
    result = CliRunner().invoke(main, ["validate", str(example_path())])
    assert result.exit_code == 0, result.output
    assert "valid. 4 patients, 15 visits" in result.output


def test_score_example_csv_and_xlsx(tmp_path):
    for name in ("scored.csv", "scored.xlsx"):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["score", str(example_path()), "-o", str(out)])
        assert result.exit_code == 0, result.output
        frame = (pd.read_csv(out, dtype={"patient_id": str}) if name.endswith(".csv")
                 else pd.read_excel(out, dtype={"patient_id": str}))
        assert len(frame) == 15
        # SYN-001 week 0: CMAS items sum to 40 (hand-checked in the instrument tests).
        first = frame[(frame["patient_id"] == "SYN-001") & (frame["week"] == 0)]
        assert first["cmas_total"].item() == 40


def test_score_rejects_unknown_output_suffix(tmp_path):
    result = CliRunner().invoke(main, ["score", str(example_path()), "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 2


def test_bad_input_exit_1_no_traceback(tmp_path):
    (tmp_path / "patients.csv").write_text("patient_id,sex\nP1,X\n", encoding="utf-8")
    (tmp_path / "visits.csv").write_text("patient_id,week,cmas_01\nP1,0,9\nP2,-1,\n",
                                         encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output
    assert "patients.csv, row 2, column 'sex': got 'X', expected one of 'F', 'M'" in lines
    assert "visits.csv, row 2, column 'cmas_01': got '9', expected an integer 0-5" in lines
    assert "visits.csv, row 3, column 'patient_id': got 'P2'" in lines
    assert "visits.csv, row 3, column 'week': got '-1', expected a number 0-1040" in lines


def test_docs_fields_page_is_in_sync():
    """docs/fields.md is `jdmtrack dictionary --format markdown`; regenerate it if this fails."""
    assert (DOCS / "fields.md").read_text(encoding="utf-8") == dictionary_markdown()


def test_dictionary_markdown_to_stdout():
    result = CliRunner().invoke(main, ["dictionary", "--format", "markdown"])
    assert result.exit_code == 0
    assert "| `cmas_05` | integer |  | 0-6 |" in result.output


def test_score_imports_no_statistics_and_no_analysis_section(tmp_path):
    """`score` needs the settings, not the analysis: no scipy, jdmtrack.stats or analysis
    section module is loaded (issue 16: imports were a fifth of score's time)."""
    import subprocess
    import sys

    code = ("import sys; from jdmtrack.cli import main\n"
            f"main(['score', {str(example_path())!r}, '-o', {str(tmp_path / 's.csv')!r}],"
            " standalone_mode=False)\n"
            "heavy = ('scipy', 'matplotlib', 'jdmtrack.stats', 'jdmtrack.analysis.outcomes',"
            " 'jdmtrack.analysis.baseline')\n"
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "s.csv").exists()
