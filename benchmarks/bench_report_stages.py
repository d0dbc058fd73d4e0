"""Where ``jdmtrack report``'s CPU time goes, stage by stage, side by side for source trees.

Each run is a fresh ``python -m jdmtrack report`` process (imports included, as a user runs
it) with the stages timed in process by ``time.process_time``: functions are wrapped by
module and name, so a stage a tree does not have is left blank. Lazy imports count in the
stage that triggers them (matplotlib in the first figure, python-docx in report.docx).
Each tree runs ``--repeat`` times; each cell is that stage's minimum over the runs.

Usage (from the repository root)::

    python benchmarks/bench_report_stages.py [--patients 2000] [--demo baricitinib]
        [--tree NAME=SRC_DIR ...] [--repeat 3] [--out FILE] [--tiny]

``--tree before=/path/to/old/checkout/src`` puts that source tree first on ``sys.path`` for
its runs; with no ``--tree`` only the installed jdmtrack runs. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_perf import emit

# (label, module, function). Times are exclusive: a stage called inside another (a figure
# inside the report sections, the per-site section inside the analysis) is counted only in
# its own row. Indented labels are those parts.
STAGES = [
    ("read + validate", "jdmtrack.api", "read_cohort"),
    ("score", "jdmtrack.api", "score"),
    ("analysis", "jdmtrack.analysis", "analyze"),
    ("  per-site section", "jdmtrack.analysis.sites", "summarise_sites"),
    ("  per-patient listing", "jdmtrack.analysis.listing", "per_patient_listing"),
    ("comparison with the published figures", "jdmtrack.analysis.published", "attach_published"),
    ("results.json", "jdmtrack.report.json_text", "indented_json"),
    ("tables (report sections)", "jdmtrack.report.build", "build_document"),
    ("tables (report sections)", "jdmtrack.report.build", "draft_document"),
    ("  figure 1, trajectories", "jdmtrack.report.figures", "trajectories_figure"),
    ("  response and TIS figures", "jdmtrack.report.figures", "response_figure"),
    ("  response and TIS figures", "jdmtrack.report.figures", "tis_figure"),
    ("  Kaplan-Meier figure", "jdmtrack.report.figures", "km_figure"),
    ("  dose figure", "jdmtrack.report.figures_dose", "dose_figure"),
    ("report.html", "jdmtrack.report.html", "render_html"),
    ("report.docx", "jdmtrack.report.word", "write_docx"),
    ("tables.xlsx", "jdmtrack.report.excel", "write_xlsx"),
]

# Run inside the measured process: wrap the stages, run the CLI, print the times as JSON.
_PROBE = r"""
import importlib, json, sys, time
start = time.process_time()
import jdmtrack.cli as cli
spent = {}
running = []  # [label, started] of the stages entered; only the innermost one's clock runs
def enter(label):
    now = time.process_time()
    if running:
        outer = running[-1]
        spent[outer[0]] = spent.get(outer[0], 0.0) + now - outer[1]
    running.append([label, now])
def leave():
    now = time.process_time()
    label, began = running.pop()
    spent[label] = spent.get(label, 0.0) + now - began
    if running:
        running[-1][1] = now
def wrap(label, module, name):
    try:
        mod = importlib.import_module(module)
        inner = getattr(mod, name)
    except (ImportError, AttributeError):
        return
    def timed(*args, **kwargs):
        enter(label)
        try:
            return inner(*args, **kwargs)
        finally:
            leave()
    setattr(mod, name, timed)
for label, module, name in json.loads(sys.argv[1]):
    wrap(label, module, name)
try:  # before report/json_text.py: the standard library's indenting encoder
    render = importlib.import_module("jdmtrack.report.render")
    if hasattr(render, "json"):
        import types
        dumps = render.json.dumps
        def timed_dumps(*args, **kwargs):
            enter("results.json")
            try:
                return dumps(*args, **kwargs)
            finally:
                leave()
        render.json = types.SimpleNamespace(dumps=timed_dumps)
except ImportError:
    pass
sys.argv = ["jdmtrack", *sys.argv[2:]]
try:
    cli.run()
except SystemExit as stop:
    if stop.code:
        raise
spent["total"] = time.process_time()
print("STAGES " + json.dumps(spent), file=sys.stderr)
"""


def run(src: str | None, args: list[str]) -> dict[str, float]:
    env = dict(os.environ)
    # The stages are timed in this process: the figures are drawn in it, not in children
    # (jdmtrack.report.figure_job; a tree without them ignores the variable).
    env.setdefault("JDMTRACK_FIGURE_PROCESS", "0")
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", _PROBE,
                           json.dumps([list(s) for s in STAGES]), *args],
                          capture_output=True, text=True, env=env)
    line = next((x for x in done.stderr.splitlines() if x.startswith("STAGES ")), None)
    if done.returncode != 0 or line is None:
        sys.exit(f"failed ({done.returncode}): {' '.join(args)}\n{done.stderr[-3000:]}")
    spent: dict[str, float] = json.loads(line[len("STAGES "):])
    return spent


def table(spent: dict[str, float]) -> dict[str, float]:
    """The stages in order; the rest of the process (start-up, imports at the top, the CLI,
    writing the files) as one row."""
    rows = {label: spent[label] for label, _, _ in STAGES if label in spent}
    rows["start-up, CLI, the rest"] = spent["total"] - sum(rows.values())
    rows["total"] = spent["total"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--demo", default="baricitinib")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=SRC",
                        help="a source tree to time (repeatable); default: the installed one")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--tiny", action="store_true",
                        help="20 patients, one run, 1,000 Friedman permutations (CI)")
    args = parser.parse_args()
    extra = []
    if args.tiny:
        args.patients, args.repeat, extra = 20, 1, ["--resamples", "1000"]
    trees = [tuple(t.split("=", 1)) for t in args.tree] or [("installed", "")]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cohort = work / "cohort"
        subprocess.run([sys.executable, "-m", "jdmtrack", "demo", "synthetic", "--patients",
                        str(args.patients), "--seed", "1", "-o", str(cohort)], check=True,
                       capture_output=True)
        cases = [(f"`report` {args.patients:,} patients", [str(cohort), *extra]),
                 (f"`report --demo {args.demo}`", ["--demo", args.demo, *extra])]
        lines = []
        for title, data in cases:
            columns: dict[str, dict[str, float]] = {}
            for name, src in trees:
                best: dict[str, float] = {}
                for _ in range(args.repeat):
                    rows = table(run(src or None, ["report", *data, "-o", str(work / "out")]))
                    best = {k: min(v, best.get(k, v)) for k, v in rows.items()}
                columns[name] = best
            labels = list(dict.fromkeys(k for c in columns.values() for k in c))
            lines += [f"**{title}**, CPU seconds (minimum of {args.repeat} runs)", "",
                      "| stage | " + " | ".join(columns) + " |",
                      "|---" * (len(columns) + 1) + "|"]
            for label in labels:
                cells = [f"{c[label]:.2f}" if label in c else "" for c in columns.values()]
                shown = label.replace("  ", "&nbsp;&nbsp;", 1) if label.startswith("  ") else label
                lines.append(f"| {shown} | " + " | ".join(cells) + " |")
            lines.append("")
    emit("\n".join(lines), args.out)


if __name__ == "__main__":
    main()
