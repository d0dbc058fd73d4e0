"""jdmtrack plan on the command line: JSON shapes of design.md, files written, clean errors."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from jdmtrack.cli import main

DEMO = str(resources.files("jdmtrack") / "data" / "demo" / "baricitinib")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["plan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_simon_json_shape():
    code, out, _ = _run("--design", "simon", "--p0", "0.05", "--p1", "0.25", "--alpha", "0.05",
                        "--beta", "0.2")
    assert code == 0
    data = json.loads(out)
    assert data["design"] == "simon"
    keys = {"r1", "n1", "r", "n", "en_p0", "pet_p0", "alpha", "power"}
    assert keys <= set(data["optimal"]) and keys <= set(data["minimax"])
    assert (data["optimal"]["r1"], data["optimal"]["n1"], data["optimal"]["r"],
            data["optimal"]["n"]) == (0, 9, 2, 17)


def test_binomial_json_shape(tmp_path: Path):
    target = tmp_path / "b.json"
    code, _, _ = _run("--design", "binomial", "--n", "20", "--p0", "0.2", "--p1", "0.5",
                      "--json", str(target))
    assert code == 0
    data = json.loads(target.read_text())
    assert {"design", "critical", "alpha", "power"} <= set(data)
    assert data["critical"] == 8


def test_simulation_json_shape_and_seed():
    args = ("--test", "wilcoxon", "--n", "6,8,10", "--effect", "1", "--sd", "1",
            "--sims", "200", "--seed", "3")
    code, out, _ = _run(*args)
    again = _run(*args)[1]
    assert code == 0 and out == again
    data = json.loads(out)
    assert {"test", "sims", "seed", "grid"} <= set(data)
    assert [g["n"] for g in data["grid"]] == [6, 8, 10]
    assert all({"n", "power", "mc_se"} <= set(g) for g in data["grid"])


def test_pilot_with_sites_writes_figure_table_and_paragraph(tmp_path: Path):
    """The issue's example: --pilot <baricitinib demo> --endpoint cmas_change --sites 8."""
    out = tmp_path / "plan"
    code, _, err = _run("--pilot", DEMO, "--endpoint", "cmas_change", "--sites", "8",
                        "--n", "10,20", "--sims", "200", "-o", str(out))
    assert code == 0, err
    assert (out / "power.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = (out / "power.csv").read_text().splitlines()
    assert rows[0].startswith("n,power,mc_se") and len(rows) == 3
    paragraph = (out / "protocol.md").read_text()
    for needed in ("Wilcoxon signed-rank", "0.05", "200 studies", "seed 20261204",
                   "Monte Carlo standard error", "cmas_total", "8 sites"):
        assert needed in paragraph


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--design", "simon", "--p0", "0.3", "--p1", "0.2"), "--p1 must be above --p0"),
        (("--design", "simon", "--p0", "0.1", "--p1", "0.3", "--beta", "0"), "must be below 1"),
        (("--test", "wilcoxon", "--n", "3", "--effect", "1", "--sd", "1"), "below the minimum"),
        (("--pilot", DEMO, "--endpoint", "das_total_change"), "measured twice"),
    ],
)
def test_impossible_requests_exit_1_without_traceback(args, message):
    code, _, err = _run(*args)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_usage_errors_exit_2():
    assert _run()[0] == 2
    assert _run("--test", "wilcoxon", "--n", "six")[0] == 2
