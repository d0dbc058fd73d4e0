"""Data warnings, aggregated: one record per code x table x column x rule, built from masks.

Scoring 200,000 visits used to create one Python object per affected row (1.66 million
objects, most of the scoring time). A :class:`WarningLog` instead receives, for each rule
that fires, the positions of the rows it fired on (a NumPy array, made from a boolean
mask) and keeps them as arrays. What a person reads is the aggregate
(:class:`WarningRecord`: the code, table, column, rule, count and the first few rows as
examples); the full per-row list is produced from the stored positions only when asked
(:meth:`WarningLog.per_row`, ``--warnings-file``).

Records are of two kinds. ``quality``: something in the data needs a look (a partly
filled instrument, a dose without a weight, two doses that disagree). ``completeness``:
the warning only restates that optional data were not recorded (a criterion left not
evaluable because an input is missing); the report counts these in its data-completeness
table instead of listing them as problems.

>>> import numpy as np
>>> rows = RowSource("visits", np.array(["a", "a", "b"], dtype=object),
...                  np.array([0.0, 4.0, 0.0]), np.array([2, 3, 4]))
>>> log = WarningLog()
>>> log.add_mask("item_missing", "cmas_total left missing: cmas_04 not recorded",
...              rows, np.array([False, True, True]), column="cmas_04")
>>> [(r.code, r.column, r.count) for r in log]
[('item_missing', 'cmas_04', 2)]
>>> log.records()[0].examples[0]
{'patient_id': 'a', 'week': 4.0, 'row': 3}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import DataWarning

__all__ = [
    "EXAMPLES_KEPT",
    "RowSource",
    "WarningKind",
    "WarningLog",
    "WarningRecord",
    "summary_lines",
]

# How many example rows each aggregated record keeps (the first ones, in table order).
EXAMPLES_KEPT = 3

WarningKind = Literal["quality", "completeness"]
Ints = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class RowSource:
    """The rows of one table, as arrays: whose rows the positions in a record point at.

    ``patient_id`` and ``week`` (None for a table without weeks) give each row's patient
    and week; ``row`` its label (the spreadsheet row for tables read from a file).
    """

    table: str
    patient_id: npt.NDArray[Any]
    week: npt.NDArray[np.float64] | None
    row: npt.NDArray[Any]

    @classmethod
    def of_frame(cls, table: str, frame: pd.DataFrame) -> RowSource:
        """The row source of a cohort table (``patient_id`` and ``week`` when present)."""
        n = len(frame)
        ids = (frame["patient_id"].to_numpy(dtype=object) if "patient_id" in frame.columns
               else np.full(n, None, dtype=object))
        week = (pd.to_numeric(frame["week"], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan) if "week" in frame.columns else None)
        return cls(table, ids, week, frame.index.to_numpy())

    def describe(self, rows: Ints) -> list[dict[str, Any]]:
        """``{patient_id, week, row}`` of each position (for examples: a few rows only)."""
        out = []
        for position in rows.tolist():
            pid = self.patient_id[position]
            week = None if self.week is None else float(self.week[position])
            label = self.row[position]
            out.append({"patient_id": None if _missing(pid) else str(pid),
                        "week": None if week is None or week != week else week,
                        "row": label.item() if isinstance(label, np.generic) else label})
        return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


@dataclass(frozen=True)
class WarningRecord:
    """One kind of warning: what fired (``message``, the rule), where, how often, examples."""

    code: str
    table: str | None
    column: str | None
    message: str
    count: int
    examples: tuple[dict[str, Any], ...]
    kind: WarningKind = "quality"

    def as_dict(self) -> dict[str, Any]:
        """The results-file form (``docs/results.schema.json``, ``warnings`` items)."""
        return {"code": self.code, "table": self.table, "column": self.column,
                "message": self.message, "count": self.count, "kind": self.kind,
                "examples": [dict(e) for e in self.examples]}


@dataclass
class _Entry:
    code: str
    table: str | None
    column: str | None
    message: str
    kind: WarningKind
    chunks: list[tuple[RowSource, Ints]] = field(default_factory=list)
    # Rows of converted DataWarning objects (patient_id, week, message): not on the
    # scoring path, from readers that build warnings one at a time.
    singles: list[tuple[str | None, float | None, str]] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(rows) for _, rows in self.chunks) + len(self.singles)

    def examples(self) -> tuple[dict[str, Any], ...]:
        out: list[dict[str, Any]] = []
        for source, rows in self.chunks:
            out += source.describe(rows[:EXAMPLES_KEPT - len(out)])
            if len(out) >= EXAMPLES_KEPT:
                return tuple(out)
        for pid, week, _ in self.singles[:EXAMPLES_KEPT - len(out)]:
            out.append({"patient_id": pid, "week": week, "row": None})
        return tuple(out)


class WarningLog:
    """Aggregated data warnings (see the module docstring). Iterating gives the records."""

    def __init__(self, warnings: Iterable[DataWarning | WarningLog] = ()) -> None:
        self._entries: dict[tuple[str, str | None, str | None, str], _Entry] = {}
        self._singles: dict[tuple[str, str | None, str | None], _Entry] = {}
        for item in warnings:
            if isinstance(item, WarningLog):
                self.extend(item)
            else:
                self.add_warning(item)

    def _entry(self, code: str, table: str | None, column: str | None, message: str,
               kind: WarningKind) -> _Entry:
        key = (code, table, column, message)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(code, table, column, message, kind)
        return entry

    def add_rows(self, code: str, message: str, source: RowSource, rows: Ints, *,
                 column: str | None = None, kind: WarningKind = "quality") -> None:
        """Record that the rule ``message`` fired on the rows at positions ``rows``."""
        if len(rows) == 0:
            return
        entry = self._entry(code, source.table, column, message, kind)
        entry.chunks.append((source, np.asarray(rows, dtype=np.intp)))

    def add_mask(self, code: str, message: str, source: RowSource,
                 mask: npt.NDArray[np.bool_], *, column: str | None = None,
                 kind: WarningKind = "quality") -> None:
        """Record that the rule ``message`` fired on the rows where ``mask`` is True."""
        self.add_rows(code, message, source, np.flatnonzero(mask), column=column, kind=kind)

    def add_warning(self, warning: DataWarning) -> None:
        """Convert one :class:`DataWarning` (from code that builds them one at a time).

        Warnings of one code, table and column are counted together; the first message
        stands for them and each row keeps its own message in :meth:`per_row`.
        """
        table = warning.table or ("visits" if warning.week is not None
                                  else "patients" if warning.patient_id is not None else None)
        key = (warning.code, table, warning.column)
        entry = self._singles.get(key)
        if entry is None:
            entry = self._singles[key] = self._entry(*key, warning.message, "quality")
        entry.singles.append((warning.patient_id, warning.week, warning.message))

    def extend(self, other: WarningLog | Iterable[DataWarning]) -> None:
        """Add every record of ``other`` (another log, or DataWarning objects)."""
        if not isinstance(other, WarningLog):
            for warning in other:
                self.add_warning(warning)
            return
        for theirs in other._entries.values():
            mine = self._entry(theirs.code, theirs.table, theirs.column, theirs.message,
                               theirs.kind)
            mine.chunks += theirs.chunks
            mine.singles += theirs.singles

    def __iadd__(self, other: WarningLog | Iterable[DataWarning]) -> WarningLog:
        self.extend(other)
        return self

    def records(self, kind: WarningKind | None = None) -> list[WarningRecord]:
        """The aggregated records, in the order their rules first fired."""
        return [WarningRecord(e.code, e.table, e.column, e.message, e.count(), e.examples(),
                              e.kind)
                for e in self._entries.values() if kind is None or e.kind == kind]

    def __iter__(self) -> Iterator[WarningRecord]:
        return iter(self.records())

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return bool(self._entries)

    @property
    def total(self) -> int:
        """The number of (row, rule) warnings the records stand for."""
        return sum(e.count() for e in self._entries.values())

    _COLUMNS = ("code", "kind", "table", "row", "patient_id", "week", "column", "message")

    def _blocks(self) -> Iterator[pd.DataFrame]:
        """The per-row listing, one block of rows per stored chunk."""
        for e in self._entries.values():
            for source, rows in e.chunks:
                yield pd.DataFrame({
                    "code": e.code, "kind": e.kind, "table": source.table,
                    "row": source.row[rows], "patient_id": source.patient_id[rows],
                    "week": (np.full(len(rows), np.nan) if source.week is None
                             else source.week[rows]),
                    "column": e.column, "message": e.message}, columns=list(self._COLUMNS))
            if e.singles:
                yield pd.DataFrame({
                    "code": e.code, "kind": e.kind, "table": e.table, "row": None,
                    "patient_id": [s[0] for s in e.singles],
                    "week": [np.nan if s[1] is None else s[1] for s in e.singles],
                    "column": e.column, "message": [s[2] for s in e.singles]},
                    columns=list(self._COLUMNS))

    def per_row(self) -> pd.DataFrame:
        """Every row a rule fired on: code, kind, table, row, patient_id, week, column, message.

        Built from the stored positions, one block of rows per record (nothing per row is
        kept before this is asked for).
        """
        blocks = list(self._blocks())
        if not blocks:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in self._COLUMNS})
        return pd.concat(blocks, ignore_index=True)

    def write_csv(self, path: Any) -> int:
        """Write :meth:`per_row` to ``path`` (CSV, UTF-8), block by block; rows written."""
        from .io.write import csv_frame

        written = 0
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(",".join(self._COLUMNS) + "\n")
            for block in self._blocks():
                # Text a spreadsheet would run as a formula gets a quote (docs/output.md).
                csv_frame(block).to_csv(handle, header=False, index=False, lineterminator="\n")
                written += len(block)
        return written


def summary_lines(log: WarningLog | Sequence[WarningRecord], limit: int = 20) -> list[str]:
    """At most ``limit`` lines for a terminal: one per record (data-quality kinds first, then
    those that restate missing optional data), then how many more kinds there are."""
    records = log.records() if isinstance(log, WarningLog) else list(log)
    records.sort(key=lambda r: r.kind != "quality")
    lines = []
    shown = records if len(records) <= limit else records[:limit - 1]
    for r in shown:
        where = ".".join(p for p in (r.table, r.column) if p) or "cohort"
        first = r.examples[0] if r.examples else {}
        example = ""
        if first.get("patient_id") is not None:
            week = first.get("week")
            example = f" (e.g. patient {first['patient_id']}" + (
                "" if week is None else f", week {week:g}") + ")"
        lines.append(f"  {r.count:>6} x {r.code} [{where}]: {r.message}{example}")
    if len(shown) < len(records):
        lines.append(f"  ... {len(records) - len(shown)} more kinds; use --warnings-file "
                     "FILE for every row")
    return lines
