"""Shared machinery of the criteria: scored visits as arrays, three-valued logic, warnings.

Three-valued (Kleene) logic is held in ``int8`` arrays with ``FALSE = 0``, ``UNKNOWN = 1``
and ``TRUE = 2``, so that "and" is the element-wise minimum, "or" the maximum and "not"
``2 - x``. A clause that is unknown stays unknown unless the known clauses decide the
result (``False and unknown`` is ``False``; ``True or unknown`` is ``True``).

>>> import numpy as np
>>> a = np.array([FALSE, UNKNOWN, TRUE], dtype=np.int8)
>>> both(a, np.full(3, UNKNOWN, dtype=np.int8)).tolist()
[0, 1, 1]
>>> either(a, np.full(3, UNKNOWN, dtype=np.int8)).tolist()
[1, 1, 2]
>>> negate(a).tolist()
[2, 1, 0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import DataWarning

__all__ = [
    "FALSE",
    "TRUE",
    "UNKNOWN",
    "CriterionResult",
    "VisitTable",
    "as_visit_table",
    "both",
    "category_series",
    "either",
    "negate",
    "tri_from_bool",
    "tri_series",
]

FALSE = np.int8(0)
UNKNOWN = np.int8(1)
TRUE = np.int8(2)

Tri = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]


def both(*values: Tri) -> Tri:
    """Kleene "and" of three-valued arrays."""
    out = values[0]
    for value in values[1:]:
        out = np.minimum(out, value)
    return out


def either(*values: Tri) -> Tri:
    """Kleene "or" of three-valued arrays."""
    out = values[0]
    for value in values[1:]:
        out = np.maximum(out, value)
    return out


def negate(value: Tri) -> Tri:
    """Kleene "not" of a three-valued array."""
    return (TRUE - value).astype(np.int8)


def tri_from_bool(condition: Bools, known: Bools) -> Tri:
    """Three-valued array: ``condition`` where ``known``, else UNKNOWN.

    >>> tri_from_bool(np.array([True, False, True]), np.array([True, True, False])).tolist()
    [2, 0, 1]
    """
    out = condition.astype(np.int8)
    out *= TRUE
    out[~known] = UNKNOWN
    return out


def compare(values: Floats, op: str, threshold: float) -> Tri:
    """Three-valued comparison with a constant; NaN gives UNKNOWN.

    Comparing the binary value of a recorded decimal with the binary value of a decimal
    threshold is exact: rounding to the nearest double is monotonic, so ``x <= t`` in
    decimals gives ``x <= t`` in doubles, and equal decimals give equal doubles.

    >>> compare(np.array([0.2, 0.3, np.nan]), "<=", 0.2).tolist()
    [2, 0, 1]
    """
    known = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        if op == "<=":
            cond = values <= threshold
        elif op == "<":
            cond = values < threshold
        elif op == ">=":
            cond = values >= threshold
        elif op == ">":
            cond = values > threshold
        else:  # pragma: no cover - programming error
            raise ValueError(op)
    return tri_from_bool(cond, known)


def tri_series(values: Tri, index: pd.Index) -> pd.Series:
    """A pandas nullable ``"boolean"`` Series from a three-valued array."""
    array = pd.arrays.BooleanArray(values == TRUE, values == UNKNOWN)
    return pd.Series(array, index=index, copy=False)


def category_series(codes: npt.NDArray[np.integer[Any]], labels: Sequence[str],
                    index: pd.Index) -> pd.Series:
    """An ``object`` Series of ``str`` labels picked by integer codes."""
    table = np.array(list(labels), dtype=object)
    return pd.Series(table[codes], index=index, dtype=object, copy=False)


@dataclass(frozen=True)
class CriterionResult:
    """What one definition derives: columns aligned on the input index, warnings, methods text.

    ``columns`` holds only derived columns. ``methods`` holds the sentences the report's
    methods section prints for the definition as it was applied.
    """

    columns: pd.DataFrame
    warnings: list[DataWarning] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)


class VisitTable:
    """Scored visits as NumPy arrays, with each row's week-0 (baseline) row located.

    Columns absent from the frame read as all-missing. ``baseline_pos[i]`` is the position
    of the week-0 visit of row ``i``'s patient, or -1 when that patient has none.
    """

    def __init__(self, visits: pd.DataFrame) -> None:
        self.frame = visits
        self.index = visits.index
        self.n = len(visits)
        self._numbers: dict[str, Floats] = {}
        self._tris: dict[str, Tri] = {}
        if "patient_id" in visits.columns:
            codes, uniques = pd.factorize(visits["patient_id"], use_na_sentinel=True)
        else:
            codes, uniques = np.full(self.n, -1, dtype=np.intp), pd.Index([], dtype=object)
        self.patient_code: Ints = np.asarray(codes, dtype=np.intp)
        self.patient_ids: npt.NDArray[np.object_] = np.asarray(uniques, dtype=object)
        self.week: Floats = self.number("week")
        self.is_baseline: Bools = self.week == 0
        base_of_patient = np.full(len(self.patient_ids) + 1, -1, dtype=np.intp)
        rows = np.flatnonzero(self.is_baseline & (self.patient_code >= 0))
        base_of_patient[self.patient_code[rows]] = rows
        # code -1 (no patient id) indexes the last slot, which stays -1.
        self.baseline_pos: Ints = base_of_patient[self.patient_code]
        self.has_baseline: Bools = self.baseline_pos >= 0
        self.is_followup: Bools = (self.week > 0) & self.has_baseline

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def number(self, name: str) -> Floats:
        """A numeric column as float64 with NaN for missing (absent column: all NaN)."""
        cached = self._numbers.get(name)
        if cached is not None:
            return cached
        if name in self.frame.columns:
            values = pd.to_numeric(self.frame[name], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan)
        else:
            values = np.full(self.n, np.nan)
        self._numbers[name] = values
        return values

    def tri(self, name: str) -> Tri:
        """A yes/no column as a three-valued array (absent column: all UNKNOWN)."""
        cached = self._tris.get(name)
        if cached is not None:
            return cached
        if name in self.frame.columns:
            column = self.frame[name]
            if str(column.dtype) != "boolean":
                column = column.astype("boolean")
            floats = column.to_numpy(dtype=np.float64, na_value=np.nan)
            values = np.where(np.isnan(floats), UNKNOWN,
                              np.where(floats == 1.0, TRUE, FALSE)).astype(np.int8)
        else:
            values = np.full(self.n, UNKNOWN, dtype=np.int8)
        self._tris[name] = values
        return values

    def at_baseline(self, values: npt.NDArray[Any], missing: Any = np.nan) -> npt.NDArray[Any]:
        """Each row's patient's week-0 value of ``values`` (``missing`` without a week 0)."""
        if self.n == 0:
            return values.copy()
        return np.where(self.has_baseline, values[self.baseline_pos], missing)

    def patient_of(self, rows: npt.NDArray[np.intp]) -> list[str | None]:
        padded = np.append(self.patient_ids, np.array([None], dtype=object))
        ids: list[str | None] = padded[self.patient_code[rows]].tolist()
        return ids

    def codes_of(self, patient_ids: pd.Series) -> Ints:
        """The patient code of each id in ``patient_ids`` (-1: no visit of that patient)."""
        codes = pd.Index(self.patient_ids, dtype=object).get_indexer(
            pd.Index(patient_ids.to_numpy(dtype=object), dtype=object))
        return np.asarray(codes, dtype=np.intp)

    def per_patient(self, values: npt.NDArray[Any], codes: Ints, missing: Any
                    ) -> npt.NDArray[Any]:
        """``values`` (one per patient code) picked by ``codes`` (-1 gives ``missing``)."""
        padded = np.append(values, np.asarray([missing], dtype=values.dtype))
        return padded[codes]

    def row_warnings(self, rows: npt.NDArray[np.intp], code: str,
                     messages: Sequence[str] | str,
                     columns: Sequence[str | None] | str | None) -> list[DataWarning]:
        """One DataWarning per row in ``rows`` (patient and week filled in)."""
        count = len(rows)
        if count == 0:
            return []
        message_list = [messages] * count if isinstance(messages, str) else list(messages)
        if columns is None or isinstance(columns, str):
            column_list: list[str | None] = [columns] * count
        else:
            column_list = list(columns)
        weeks = self.week[rows].tolist()
        return [
            DataWarning(code, message, pid, None if week != week else week, column)
            for pid, week, message, column in zip(
                self.patient_of(rows), weeks, message_list, column_list, strict=True)
        ]

    def patterned_warnings(self, missing: Mapping[str, Bools], mask: Bools, code: str,
                           template: str, column_of: Mapping[str, str | None] | None = None
                           ) -> list[DataWarning]:
        """One warning per row of ``mask`` listing which of ``missing``'s names are missing.

        ``template`` receives ``{columns}``: the missing names joined with ", ". The
        warning's ``column`` is the single missing name (mapped through ``column_of`` when
        given), or None when several are.
        """
        names = list(missing)
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return []
        pattern = np.zeros(len(rows), dtype=np.int64)
        for bit, name in enumerate(names):
            pattern |= missing[name][rows].astype(np.int64) << bit
        texts: dict[int, tuple[str, str | None]] = {}
        for value in np.unique(pattern).tolist():
            absent = [name for bit, name in enumerate(names) if value >> bit & 1]
            listed = ", ".join(absent) if absent else "inputs undecided"
            single = absent[0] if len(absent) == 1 else None
            if single is not None and column_of is not None:
                single = column_of.get(single, single)
            texts[value] = (template.format(columns=listed), single)
        chosen = [texts[p] for p in pattern.tolist()]
        return self.row_warnings(rows, code, [c[0] for c in chosen], [c[1] for c in chosen])


def as_visit_table(visits: pd.DataFrame | VisitTable) -> VisitTable:
    """Accept either a visits DataFrame or an already-built VisitTable."""
    return visits if isinstance(visits, VisitTable) else VisitTable(visits)

