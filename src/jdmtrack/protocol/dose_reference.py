"""The JAK-inhibitor dose reference table: its columns, and reading and checking a file of it.

The table is data, not code: a CSV file, one row per band (see ``jdmtrack.protocol.dosing``
for what each column means and how the check uses it). It is read and its cells checked by
the same machinery as a cohort table (``jdmtrack.io`` and ``jdmtrack.validate``), so a bad
reference file is reported as a bad cohort file is: file, row, column, value and what was
expected, every problem at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem, sorted_problems
from ..fields import JAKI_DRUGS, Field
from ..io.raw import RawCohort, RawTable
from ..io.read import csv_table
from ..validate.cells import parse_column

__all__ = [
    "DOSE_REFERENCE_COLUMNS",
    "DOSE_REFERENCE_FIELDS",
    "DoseBand",
    "DoseReference",
    "load_dose_reference",
    "parse_dose_reference",
]

_TABLE = "dose_reference"
_BUNDLED = "jaki_dose_reference.csv"


def _amount(name: str, label: str, unit: str) -> Field:
    return Field(_TABLE, name, "number", label, unit=unit, minimum=0)


# Every column must be present; a band's open limits and absent doses are empty cells.
DOSE_REFERENCE_FIELDS: tuple[Field, ...] = (
    Field(_TABLE, "drug", "choice", "JAK inhibitor", choices=JAKI_DRUGS, required=True),
    _amount("weight_min_kg", "Lower weight of the band (inclusive)", "kg"),
    _amount("weight_max_kg", "Upper weight of the band (exclusive)", "kg"),
    _amount("egfr_min", "Lower eGFR of the band (inclusive)", "mL/min/1.73 m2"),
    _amount("egfr_max", "Upper eGFR of the band (exclusive)", "mL/min/1.73 m2"),
    Field(_TABLE, "recommended", "bool", "Recommended in this band", required=True),
    _amount("reference_mg_day", "Reference daily dose", "mg/day"),
    _amount("maximum_mg_day", "Maximum daily dose", "mg/day"),
    _amount("reference_mg_kg_day", "Reference daily dose per kg", "mg/kg/day"),
    _amount("maximum_mg_kg_day", "Maximum daily dose per kg", "mg/kg/day"),
    Field(_TABLE, "source", "text", "Where the band comes from", required=True),
)
DOSE_REFERENCE_COLUMNS = tuple(f.name for f in DOSE_REFERENCE_FIELDS)
_LIMITS = (("weight_min_kg", "weight_max_kg"), ("egfr_min", "egfr_max"))
_DOSES = (("reference_mg_day", "maximum_mg_day"), ("reference_mg_kg_day", "maximum_mg_kg_day"))


@dataclass(frozen=True)
class DoseBand:
    """One row of the reference table (open limits are +-inf; absent doses are None)."""

    row: int
    drug: str
    weight_min_kg: float
    weight_max_kg: float
    egfr_min: float
    egfr_max: float
    recommended: bool
    reference_mg_day: float | None
    maximum_mg_day: float | None
    reference_mg_kg_day: float | None
    maximum_mg_kg_day: float | None
    source: str

    @property
    def weight_banded(self) -> bool:
        return not (math.isinf(self.weight_min_kg) and math.isinf(self.weight_max_kg))

    @property
    def egfr_banded(self) -> bool:
        return not (math.isinf(self.egfr_min) and math.isinf(self.egfr_max))


@dataclass(frozen=True)
class DoseReference:
    """A validated dose reference table and the file it came from."""

    path: str
    bands: tuple[DoseBand, ...]
    bundled: bool = False


def load_dose_reference(path: str | Path | None = None) -> DoseReference:
    """Read and validate a dose reference table; None reads the bundled one.

    Examples
    --------
    >>> reference = load_dose_reference()
    >>> [(b.drug, b.weight_min_kg, b.reference_mg_day) for b in reference.bands][:2]
    [('tofacitinib', -inf, 5.0), ('tofacitinib', 25.0, 10.0)]
    """
    if path is None:
        source = resources.files("jdmtrack").joinpath("data", "dose_reference", _BUNDLED)
        return _parse(source.read_bytes(), _BUNDLED, bundled=True)
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, None, "an existing file")]) from None
    except OSError as err:
        raise InputError([Problem(name, None, None, None,
                                  f"a readable CSV file ({err.strerror or err})")]) from None
    return _parse(data, name)


def parse_dose_reference(text: str, name: str, *, bundled: bool = False) -> DoseReference:
    """Validate the text of a dose reference CSV; every problem is reported at once.

    Raises
    ------
    InputError
        Listing each bad cell by file, row (header = 1), column, value and what was expected.

    Examples
    --------
    >>> header = ",".join(DOSE_REFERENCE_COLUMNS)
    >>> rows = ["filgotinib,,25,,,yes,5,15,,,Ding 2021", "tofacitinib,30,20,,,maybe,,,,,x"]
    >>> try:
    ...     parse_dose_reference("\\n".join([header, *rows]), "my.csv")
    ... except InputError as err:
    ...     print(err)
    3 problems in the input:
      my.csv, row 2, column 'drug': got 'filgotinib', expected one of 'tofacitinib', \
'ruxolitinib', 'baricitinib'
      my.csv, row 3, column 'recommended': got 'maybe', expected 'yes' or 'no'
      my.csv, row 3, column 'weight_max_kg': got '20', expected a number greater than \
weight_min_kg (30)
    """
    return _parse(text.encode("utf-8"), name, bundled=bundled)


def _parse(data: bytes, name: str, *, bundled: bool = False) -> DoseReference:
    read = RawCohort(Path(name))
    raw = csv_table(data, name, _TABLE, read)
    if raw is None:
        raise InputError(read.problems)
    problems = _check_columns(raw)
    absent = [c for c in DOSE_REFERENCE_COLUMNS if c not in raw.frame.columns]
    # Check what can be checked without the absent columns (their problem is said above).
    frame = raw.frame.assign(**{c: pd.Series(None, index=raw.frame.index, dtype=object)
                                for c in absent})
    typed: dict[str, pd.Series] = {}
    for spec in DOSE_REFERENCE_FIELDS:
        typed[spec.name], found = parse_column(raw, spec, frame[spec.name])
        problems += [p for p in found if spec.name not in absent]
    bands = []
    for row in frame.index:
        # Every column is read as text: a cell is given when it holds more than spaces.
        given = {c for c in DOSE_REFERENCE_COLUMNS if _filled(frame.at[row, c])}
        values: dict[str, object] = {c: typed[c].at[row] for c in DOSE_REFERENCE_COLUMNS}
        found = [p for p in _check_band(raw, int(row), values, given)
                 if p.column not in absent]
        if not found and not any(p.row == int(row) for p in problems):
            bands.append(_band(int(row), values))
        problems += found
    problems += _overlaps(raw, bands)
    if not bands and not problems:
        problems.append(raw.problem(None, None, None, "at least one band"))
    if problems:
        raise InputError(sorted_problems(problems))
    return DoseReference(name, tuple(bands), bundled)


def _check_columns(raw: RawTable) -> list[Problem]:
    problems = [raw.problem(1, str(column), str(column),
                            "one of the columns " + ", ".join(DOSE_REFERENCE_COLUMNS))
                for column in raw.frame.columns if column not in DOSE_REFERENCE_COLUMNS]
    problems += [raw.problem(1, column, None, f"a column {column!r} (every column of the "
                             "dose reference table must be present)")
                 for column in DOSE_REFERENCE_COLUMNS if column not in raw.frame.columns]
    return problems


def _filled(cell: object) -> bool:
    return isinstance(cell, str) and bool(cell.strip())


def _cell(raw: RawTable, row: int, column: str) -> str:
    return str(raw.frame.at[row, column]).strip()


def _flag(value: object) -> bool | None:
    """A typed yes/no cell: True, False, or None when empty or bad."""
    return bool(value) if isinstance(value, (bool, np.bool_)) else None


def _number(value: object) -> float | None:
    """A typed number cell: the number, or None when empty or bad (NaN)."""
    if isinstance(value, (int, float, np.floating)) and not math.isnan(value):
        return float(value)
    return None


def _check_band(raw: RawTable, row: int, values: dict[str, object],
                given: set[str]) -> list[Problem]:
    """The checks across the cells of one band (each cell's own check is done)."""
    problems = []
    for low, high in _LIMITS:
        lo, hi = _number(values[low]), _number(values[high])
        if lo is not None and hi is not None and lo >= hi:
            problems.append(raw.problem(row, high, raw.frame.at[row, high],
                                        f"a number greater than {low} ({_cell(raw, row, low)})"))
    doses = [c for pair in _DOSES for c in pair if c in given]
    recommended = _flag(values["recommended"])
    if recommended is True and not doses:
        problems.append(raw.problem(row, "reference_mg_day", None,
                                    "a reference or maximum dose when recommended is 'yes'"))
    if recommended is False:
        problems += [raw.problem(row, c, raw.frame.at[row, c],
                                 "an empty cell when recommended is 'no'") for c in doses]
    for reference, maximum in _DOSES:
        ref, top = _number(values[reference]), _number(values[maximum])
        if ref is not None and top is not None and top < ref:
            problems.append(raw.problem(row, maximum, raw.frame.at[row, maximum],
                                        f"a number >= {reference} "
                                        f"({_cell(raw, row, reference)})"))
    return problems


def _band(row: int, values: dict[str, object]) -> DoseBand:
    def limit(column: str, default: float) -> float:
        value = _number(values[column])
        return default if value is None else value

    return DoseBand(
        row=row, drug=str(values["drug"]),
        weight_min_kg=limit("weight_min_kg", -math.inf),
        weight_max_kg=limit("weight_max_kg", math.inf),
        egfr_min=limit("egfr_min", -math.inf), egfr_max=limit("egfr_max", math.inf),
        recommended=_flag(values["recommended"]) is True,
        reference_mg_day=_number(values["reference_mg_day"]),
        maximum_mg_day=_number(values["maximum_mg_day"]),
        reference_mg_kg_day=_number(values["reference_mg_kg_day"]),
        maximum_mg_kg_day=_number(values["maximum_mg_kg_day"]), source=str(values["source"]))


def _overlaps(raw: RawTable, bands: list[DoseBand]) -> list[Problem]:
    """Two bands of one drug that share a weight and eGFR: the later one is the problem."""
    problems = []
    for i, later in enumerate(bands):
        for earlier in bands[:i]:
            if (earlier.drug == later.drug and earlier.weight_min_kg < later.weight_max_kg
                    and later.weight_min_kg < earlier.weight_max_kg
                    and earlier.egfr_min < later.egfr_max and later.egfr_min < earlier.egfr_max):
                problems.append(raw.problem(
                    later.row, "weight_min_kg", None,
                    f"a weight/eGFR band for {later.drug} that does not overlap row "
                    f"{earlier.row}"))
    return problems
