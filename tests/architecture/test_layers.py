"""Data moves one way: no import from a lower layer to a higher one, no cycle of packages.

The layers follow the flow of the package docstring (``jdmtrack/__init__.py``) and the
design: read (io) -> validate -> derive (instruments, criteria, protocol) -> analyse
(stats, analysis) -> render (report); cli and registry are front ends over all of it.
Every import counts, including those inside functions and under ``TYPE_CHECKING``: an
import deferred into a function is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import jdmtrack

SRC = Path(jdmtrack.__file__).parent

# Lowest first. A module may import from its own layer or any layer below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    # Leaves: version, shared defaults, errors, XML-safe text, the progress line, work in a
    # forked child process.
    ("_version", "defaults", "errors", "parallel", "progress", "xmltext"),
    ("fields",),  # the field dictionary: every fact, no code above it
    ("cohort", "io"),  # read: raw tables; the typed cohort's conventions
    ("warning_log",),  # aggregated warnings (written out with io)
    ("validate",),  # raw tables -> typed cohort, driven by fields
    ("instruments",),  # derive: totals and doses from items
    ("visit_table",),  # derive: scored visits as arrays, shared by protocol and criteria
    ("protocol",),  # derive: steroid course, JAKi dose check
    ("courses", "criteria"),  # derive: per-patient courses; the clinical definitions (classify()
    #                         applies protocol too)
    ("pipeline",),  # load + score, the calls behind each command
    ("stats",),  # analyse: plain statistics
    ("analysis", "plan"),  # analyse: the study's analyses; study planning
    ("_frames", "results"),  # typed results over the analysis output, as flat tables
    ("report",),  # render
    ("demo", "redcap"),  # adapters: demo cohorts, REDCap export/import
    # Front ends over all of it; "jdmtrack" is the package's own __init__ (the front door).
    ("api", "cli", "registry", "jdmtrack", "__main__"),
)

# Imports that cross layers upwards on purpose, each with its reason. Empty: none is needed.
ALLOWED: dict[tuple[str, str], str] = {}


def package_of(module: str) -> str:
    """The first-level name under jdmtrack ("jdmtrack" for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (absolute names) with the line of the import."""
    module = module_name(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                # "from jdmtrack import fields": the submodule, when the name is one.
                sub = f"{target}.{alias.name}"
                found.append((sub if _is_module(sub, root) else target, node.lineno))
    return found


def _is_module(name: str, root: Path) -> bool:
    path = root.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def package_edges(root: Path) -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> "file:line" of each such import."""
    top = root.name
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        source = package_of(module_name(path, root))
        for target, line in imports_of(path, root):
            if target != top and not target.startswith(top + "."):
                continue
            imported = package_of(target)
            if imported != source:
                edges[(source, imported)].append(f"{path.relative_to(root.parent)}:{line}")
    return edges


def upward_imports(edges: dict[tuple[str, str], list[str]],
                   layers: tuple[tuple[str, ...], ...],
                   allowed: dict[tuple[str, str], str]) -> list[str]:
    """Each import from a lower layer to a higher one, and each package in no layer."""
    rank = {name: i for i, layer in enumerate(layers) for name in layer}
    problems = []
    for (source, target), where in sorted(edges.items()):
        for name in (source, target):
            if name not in rank:
                problems.append(f"{name} is in no layer (imported at {where[0]}): place it")
        if source in rank and target in rank and rank[target] > rank[source] \
                and (source, target) not in allowed:
            problems.append(f"{source} (layer {rank[source]}) imports {target} (layer "
                            f"{rank[target]}) at {', '.join(where)}")
    return sorted(set(problems))


def cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_package_has_a_layer() -> None:
    packages = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
                if (p.suffix == ".py" and p.stem != "__init__")
                or (p.is_dir() and (p / "__init__.py").exists())}
    placed = {name for layer in LAYERS for name in layer}
    assert packages - placed == set()


def test_no_import_goes_up_a_layer() -> None:
    assert upward_imports(package_edges(SRC), LAYERS, ALLOWED) == []


def test_no_cycle_between_packages() -> None:
    assert cycles(package_edges(SRC)) == []


def test_the_checks_catch_a_planted_back_edge(tmp_path: Path) -> None:
    """A planted tree: io imports report inside a function, report imports io at the top.

    The check must name the upward import with its file and line, and see the cycle.
    """
    root = tmp_path / "jdmtrack"
    for package in ("io", "report"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "io" / "xlsx.py").write_text(
        "def write():\n    from ..report.format import printable\n    return printable\n")
    (root / "report" / "format.py").write_text("from jdmtrack.io import xlsx\n")
    edges = package_edges(root)
    assert upward_imports(edges, LAYERS, ALLOWED) == [
        "io (layer 2) imports report (layer 13) at jdmtrack/io/xlsx.py:2"]
    assert cycles(edges) == [["io", "report"]]
    # A listed exception (with its reason) silences exactly that edge.
    assert upward_imports(edges, LAYERS, {("io", "report"): "planted"}) == []
