"""The report renders from typed ``Results``, not from the results dict (issue 14, item 5).

``jdmtrack.results`` reads the results file once, at the boundary (``results/read.py``);
report code reads the typed values. The scan parses every module of ``jdmtrack.report``
and checks that none imports or defines a dict-walking helper (``dig``, ``section_of``,
``printable_tree``) and none reads ``.results``, ``.section(...)`` or ``.data``, except
where ``DATA_READERS`` says why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import jdmtrack

SRC = Path(jdmtrack.__file__).parent
WALKERS = {"dig", "section_of", "printable_tree"}
DICT_ATTRIBUTES = {"results", "section", "data"}
REPORT_MODULES = sorted(str(p.relative_to(SRC)) for p in (SRC / "report").rglob("*.py"))

# Modules that read a ``.data`` attribute that is not the results dict, or that write the
# results file as it is (module -> why).
DATA_READERS = {
    "report/render.py": "writes results.json from Results.data, byte for byte",
    "report/png.py": "the pixel rows' memoryview (bytes), not the results",
    "report/figure_job.py": "pickles Results.data unread for the prepared figures' process, "
                            "which reads it into typed Results",
}


def _imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name.rsplit(".", 1)[-1] for alias in node.names}
    return names


def _dict_reads(node: ast.AST) -> list[str]:
    """The dict walkers a function names and the dict attributes it reads (line: name)."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in WALKERS:
            found.append(f"{sub.lineno}: {sub.id}")
        elif isinstance(sub, ast.Attribute) and (sub.attr in WALKERS
                                                 or sub.attr in DICT_ATTRIBUTES):
            found.append(f"{sub.lineno}: .{sub.attr}")
    return found


@pytest.mark.parametrize("module", REPORT_MODULES)
def test_report_modules_read_no_results_dict(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"), module)
    assert not _imported_names(tree) & WALKERS, module
    defined = {n.name for n in ast.walk(tree)
               if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    assert not defined & WALKERS, module
    reads = _dict_reads(tree)
    if module in DATA_READERS:
        reads = [r for r in reads if not r.endswith(".data")]
    assert reads == [], module


def test_the_context_holds_no_results_dict() -> None:
    from jdmtrack.report.context import Context

    assert not hasattr(Context, "results") and not hasattr(Context, "section")
    assert set(Context.__dataclass_fields__) >= {"typed"}


def test_the_scan_finds_a_dict_read() -> None:
    """The scan itself: a function reading ``ctx.results`` through ``dig`` is caught."""
    tree = ast.parse("def f(ctx):\n    return dig(ctx.results, 'cohort')\n")
    assert _dict_reads(tree) == ["2: dig", "2: .results"]
    assert _imported_names(ast.parse("from .cells import count, dig\n")) & WALKERS == {"dig"}
    assert len(REPORT_MODULES) > 20
