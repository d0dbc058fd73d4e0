"""A fact of the field dictionary is written once, in ``jdmtrack.fields``.

The scan parses every module of ``src/jdmtrack`` outside ``fields/`` (and the registry's
generated migrations) and looks for literals that restate a dictionary fact:

- a tuple, list or set of two or more strings equal to a field's codes (its ``choices``);
- a tuple or list of numbers equal to the visit schedule (``SCHEDULED_WEEKS``);
- a tuple or list of two or more numbers equal to the maxima of consecutive fields of
  one instrument group (e.g. the DAS domain maxima 9 and 11);
- a field's name written beside its own minimum or maximum in one tuple, list or dict
  entry (e.g. ``("das_skin", 9)`` or ``{"weight_kg": 200}``);
- a string equal to a field's label of three or more words (short labels such as
  "Weight" are ordinary words in headings).

Numbers are compared as values (``24`` and ``24.0`` are the same week).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jdmtrack
from jdmtrack.fields import FIELDS, SCHEDULED_WEEKS

SRC = Path(jdmtrack.__file__).parent
EXCLUDED = (SRC / "fields", SRC / "registry" / "migrations")

# Second copies known and being removed, each with its reason; an entry that no longer
# matches anything fails the test, so the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {
    ("jdmtrack/report/figures.py", "the label of events.week"):
        "figure axis titles; report/ is moving to dictionary labels (issue 19 part 2)",
}


@dataclass(frozen=True)
class Facts:
    code_lists: dict[frozenset[str], str]  # codes -> "table.field"
    number_lists: dict[tuple[float, ...], str]  # schedule, group maxima -> what they are
    limits: dict[str, set[float]]  # field name -> its minimum and maximum
    labels: dict[str, str]  # label -> "table.field"


def dictionary_facts() -> Facts:
    code_lists = {frozenset(f.choices): f"codes of {f.table}.{f.name}" for f in FIELDS
                  if len(f.choices) >= 2}
    numbers: dict[tuple[float, ...], str] = {
        tuple(float(w) for w in SCHEDULED_WEEKS): "the visit schedule (SCHEDULED_WEEKS)"}
    groups: dict[str, list[float]] = {}
    for f in FIELDS:
        if f.group and f.maximum is not None and not f.name.endswith(("_total", "_seconds")):
            groups.setdefault(f"{f.table}.{f.group}", []).append(float(f.maximum))
    for group, maxima in groups.items():
        if len(maxima) >= 2:
            numbers[tuple(maxima)] = f"the item maxima of {group}"
    limits = {f.name: {float(v) for v in (f.minimum, f.maximum) if v not in (None, 0)}
              for f in FIELDS}
    labels = {f.label: f"{f.table}.{f.name}" for f in FIELDS if len(f.label.split()) >= 3}
    return Facts(code_lists, numbers, limits, labels)


def _constant(node: ast.AST) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def second_copies(tree: ast.AST, facts: Facts) -> Iterator[tuple[int, str]]:
    """(line, what) for each literal in ``tree`` that restates a dictionary fact."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values = [_constant(e) for e in node.elts]
            if len(values) >= 2 and all(isinstance(v, str) for v in values):
                found = facts.code_lists.get(frozenset(str(v) for v in values))
                if found:
                    yield node.lineno, found
            numbers = [_number(v) for v in values]
            if len(numbers) >= 2 and all(n is not None for n in numbers):
                key = tuple(n for n in numbers if n is not None)
                if key in facts.number_lists:
                    yield node.lineno, facts.number_lists[key]
            yield from _paired(node.lineno, values, facts)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None:
                    yield from _paired(node.lineno, [_constant(key), _constant(value)], facts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in facts.labels:
            yield node.lineno, f"the label of {facts.labels[node.value]}"


def _paired(line: int, values: list[object], facts: Facts) -> Iterator[tuple[int, str]]:
    names = [v for v in values if isinstance(v, str) and v in facts.limits]
    numbers = {n for n in (_number(v) for v in values) if n is not None}
    for name in names:
        for limit in sorted(facts.limits[name] & numbers):
            yield line, f"the range of {name} ({limit:g})"


def scan(root: Path, facts: Facts) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(path.is_relative_to(excluded) for excluded in EXCLUDED):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, what in second_copies(tree, facts):
            found.append(f"{path.relative_to(root.parent)}:{line}: {what}")
    return found


def test_no_dictionary_fact_is_written_twice_in_src() -> None:
    found = scan(SRC, dictionary_facts())
    known = [f for f in found if (f.split(":")[0], f.split(": ", 1)[1]) in KNOWN]
    assert [f for f in found if f not in known] == []
    assert {(f.split(":")[0], f.split(": ", 1)[1]) for f in known} == set(KNOWN)


def test_the_scan_finds_planted_second_copies() -> None:
    """Each kind of second copy, planted in a module, is found on its line."""
    code = (
        "DRUGS = ('tofacitinib', 'ruxolitinib', 'baricitinib')\n"  # jaki_drug's codes
        "WEEKS = (0.0, 4.0, 12.0, 24.0)\n"  # the schedule, as floats
        "_DAS_MAXIMA = (9, 11)\n"  # das_skin, das_muscle maxima
        "LIMITS = {'weight_kg': 200}\n"  # weight_kg's maximum
        "ITEM = ('cmas_05', 6)\n"  # cmas_05's maximum
        "TITLE = 'MMT-8 total, 0-80 (when groups were not recorded)'\n"  # a label
        "FINE = ('yes', 'maybe', 'no'), (0, 4, 12), {'weight_kg': 201}, 'Weight'\n"
    )
    found = sorted(second_copies(ast.parse(code), dictionary_facts()))
    assert [line for line, _ in found] == [1, 2, 3, 4, 5, 6]
    assert "codes of patients.jaki_drug" in found[0][1]
    assert found[1][1] == "the visit schedule (SCHEDULED_WEEKS)"
    assert found[2][1] == "the item maxima of visits.das"
    assert found[3][1] == "the range of weight_kg (200)"
    assert found[4][1] == "the range of cmas_05 (6)"
    assert found[5][1] == "the label of visits.mmt8_total"
