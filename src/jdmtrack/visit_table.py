"""Scored visits as arrays, three-valued logic and warnings: what criteria and protocol share.

Warnings are aggregated records built from masks (:mod:`jdmtrack.warning_log`).

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

from .warning_log import RowSource, WarningKind, WarningLog

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
    warnings: WarningLog = field(default_factory=WarningLog)
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
        self._source: RowSource | None = None
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

    @property
    def source(self) -> RowSource:
        """These rows as a warning :class:`~jdmtrack.warning_log.RowSource` (table visits)."""
        if self._source is None:
            self._source = RowSource("visits", self.patient_ids_of_rows(), self.week,
                                     self.index.to_numpy())
        return self._source

    def patient_ids_of_rows(self) -> npt.NDArray[np.object_]:
        """Each row's patient id (None without one), as an object array."""
        padded = np.append(self.patient_ids, np.array([None], dtype=object))
        return np.asarray(padded[self.patient_code], dtype=object)

    def row_warnings(self, rows: npt.NDArray[np.intp] | Bools, code: str, message: str,
                     column: str | None, kind: WarningKind = "quality") -> WarningLog:
        """One aggregated record: rule ``message`` fired on ``rows`` (positions or a mask)."""
        log = WarningLog()
        positions = np.flatnonzero(rows) if rows.dtype == np.bool_ else np.asarray(rows, np.intp)
        log.add_rows(code, message, self.source, positions, column=column, kind=kind)
        return log

    def patterned_warnings(self, missing: Mapping[str, Bools], mask: Bools, code: str,
                           template: str, column_of: Mapping[str, str | None] | None = None,
                           kind: WarningKind = "completeness") -> WarningLog:
        """Per name in ``missing``: one record of the rows of ``mask`` where it is missing.

        ``template`` receives ``{columns}`` (the name). A row missing several names counts
        in each of their records; a row of ``mask`` missing none of them is counted under
        "inputs undecided". The record's column is the name mapped through ``column_of``.
        """
        log = WarningLog()
        if not mask.any():
            return log
        explained = np.zeros(self.n, dtype=np.bool_)
        for name, absent in missing.items():
            column = name if column_of is None else column_of.get(name, name)
            log.add_mask(code, template.format(columns=name), self.source, mask & absent,
                         column=column, kind=kind)
            explained |= absent
        log.add_mask(code, template.format(columns="inputs undecided"), self.source,
                     mask & ~explained, kind=kind)
        return log


def as_visit_table(visits: pd.DataFrame | VisitTable) -> VisitTable:
    """Accept either a visits DataFrame or an already-built VisitTable."""
    return visits if isinstance(visits, VisitTable) else VisitTable(visits)

