"""The report renders from typed ``Results``, not from the results dict (issue 14, item 5).

``jdmtrack.results`` reads the results file once, at the boundary; report code reads the
typed values. The scan parses the report modules and checks that

- the modules listed in ``TYPED_MODULES`` import none of the dict-walking helpers
  (``dig``, ``section_of``, ``printable_tree``);
- the functions listed in ``TYPED_FUNCTIONS`` (in modules some of whose functions still
  read the dict) name none of those helpers and read neither ``ctx.results``,
  ``ctx.section(...)`` nor ``typed.data``.

A module or function joins the lists when it is converted; when every function of a
module is listed, the module moves to ``TYPED_MODULES``. What still reads the dict is
what these lists leave out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import jdmtrack

SRC = Path(jdmtrack.__file__).parent
WALKERS = {"dig", "section_of", "printable_tree"}
DICT_ATTRIBUTES = {"results", "section", "data"}

TYPED_MODULES = (
    "report/labels.py", "report/measures.py", "report/notes.py", "report/rounding.py",
    "report/tables_response.py", "report/tables_windows.py", "report/weeks.py",
)

TYPED_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "report/build.py": ("_subtitle", "_facts", "_cohort", "_baseline", "_patients",
                        "_outcomes", "_response", "_methods", "_provenance"),
    "report/context.py": ("of", "label", "unit", "weeks", "decimals"),
    "report/figures.py": ("response_figure", "tis_figure", "trajectories_figure",
                          "_median_line", "_week_ticks"),
    "report/tables.py": ("visits_per_week_table", "baseline_table", "_categorical_rows",
                         "missing_table", "patients_table", "files_table", "settings_table",
                         "_setting"),
    "report/tables_outcomes.py": ("friedman_p", "outcomes_summary_table", "_change_cells",
                                  "outcome_table", "_comparison_notes", "_friedman_note",
                                  "_test_notes", "comparisons_table"),
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


@pytest.mark.parametrize("module", TYPED_MODULES)
def test_typed_modules_import_no_dict_walker(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"), module)
    assert not _imported_names(tree) & WALKERS
    assert not [r for r in _dict_reads(tree) if not r.endswith(".data")], module


@pytest.mark.parametrize(("module", "function"),
                         [(m, fn) for m, fns in TYPED_FUNCTIONS.items() for fn in fns])
def test_typed_functions_read_no_results_dict(module: str, function: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"), module)
    defs = [n for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function]
    assert len(defs) == 1, f"{module}: no single function {function}"
    assert _dict_reads(defs[0]) == [], f"{module}:{function}"


def test_the_scan_finds_a_dict_read() -> None:
    """The scan itself: a function reading ``ctx.results`` through ``dig`` is caught."""
    tree = ast.parse("def f(ctx):\n    return dig(ctx.results, 'cohort')\n")
    assert _dict_reads(tree) == ["2: dig", "2: .results"]
    assert _imported_names(ast.parse("from .cells import count, dig\n")) & WALKERS == {"dig"}
