"""Analysis populations: ``--where`` conditions on patient fields, parsed and applied.

A condition is ``FIELD=VALUE``, ``FIELD!=VALUE``, ``FIELD in A;B`` (one of the values),
or a numeric comparison ``FIELD<V``, ``<=``, ``>``, ``>=``. Several conditions are joined
by AND. FIELD is any column of the patients table in the field dictionary (recorded, or
derived from the visits such as ``cmas_course`` and ``enzymes_high_start``, see
jdmtrack.courses), or a user ``x_`` column of the data. A patient whose value is missing
meets no condition (as in SQL and as a statistician defines a subgroup: unknown is not
"not F"); the count of such patients is recorded. For a list field (``msa``,
``baseline_agents``) ``=`` means "the list holds the code", ``in`` "holds any of the
codes" and ``!=`` "does not hold it".

>>> parse_condition("jaki_drug in tofacitinib;ruxolitinib")
Condition(field='jaki_drug', op='in', values=('tofacitinib', 'ruxolitinib'))
>>> parse_condition(" age_start_years >= 6 ").text
'age_start_years>=6'
>>> parse_condition("sex")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
jdmtrack.errors.SettingsError: --where 'sex': expected FIELD=VALUE, FIELD!=VALUE, ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..cohort import Cohort
from ..errors import DataWarning, SettingsError
from ..fields import DERIVED_FIELDS, EXTRA_PREFIX, LIST_SEPARATOR, Field, fields_of

__all__ = ["Condition", "Population", "keep_warnings", "parse_condition", "parse_conditions",
           "patient_field", "population_mask", "restrict", "select"]

_NUMERIC_OPS = ("<", "<=", ">", ">=")
_SYNTAX = re.compile(r"^\s*(?P<field>[A-Za-z_][A-Za-z0-9_]*)\s*"
                     r"(?:(?P<op><=|>=|!=|=|<|>)|\s(?P<in>in)\s)\s*(?P<value>.*?)\s*$")
_EXPECTED = "expected FIELD=VALUE, FIELD!=VALUE, FIELD in A;B, or FIELD<V, <=, >, >= V"


@dataclass(frozen=True)
class Condition:
    """One condition on one patient field."""

    field: str
    op: str
    values: tuple[str, ...]

    @property
    def text(self) -> str:
        """The condition written back in its canonical form (as the results record it)."""
        if self.op == "in":
            return f"{self.field} in {LIST_SEPARATOR.join(self.values)}"
        return f"{self.field}{self.op}{self.values[0]}"


def parse_condition(text: str) -> Condition:
    """One ``--where`` condition; SettingsError naming the text when it cannot be read."""
    match = _SYNTAX.match(str(text))
    value = "" if match is None else match["value"]
    if match is None or not value or value[0] in "=<>!":
        raise SettingsError(f"--where {text!r}: {_EXPECTED}")
    op = "in" if match["in"] else match["op"]
    values = tuple(v.strip() for v in value.split(LIST_SEPARATOR)) if op == "in" else (value,)
    if any(not v for v in values):
        raise SettingsError(f"--where {text!r}: an empty value in the list; {_EXPECTED}")
    return Condition(match["field"], op, values)


def parse_conditions(texts: Iterable[str]) -> tuple[Condition, ...]:
    """Every condition; all syntax errors reported at once."""
    out, bad = [], []
    for text in texts:
        try:
            out.append(parse_condition(text))
        except SettingsError as err:
            bad.append(str(err))
    if bad:
        raise SettingsError("; ".join(bad))
    return tuple(out)


@dataclass(frozen=True)
class Population:
    """Who was analysed: the conditions, and how many patients met them of how many."""

    conditions: tuple[Condition, ...]
    n_patients: int
    n_source_patients: int
    n_missing: dict[str, int]

    @property
    def definition(self) -> str:
        """The conditions joined by AND, or "all patients".

        >>> Population((parse_condition("sex=F"), parse_condition("ild=yes")), 3, 9, {}).definition
        'sex=F AND ild=yes'
        """
        return " AND ".join(c.text for c in self.conditions) or "all patients"

    def as_dict(self) -> dict[str, Any]:
        return {"definition": self.definition, "where": [c.text for c in self.conditions],
                "n_patients": self.n_patients, "n_source_patients": self.n_source_patients,
                "n_missing": dict(self.n_missing)}

    def sentence(self) -> str:
        """The methods-text sentence stating the population."""
        if not self.conditions:
            return ""
        missing = sum(self.n_missing.values())
        tail = (f"; {missing} patient(s) with a condition's field missing were excluded"
                if missing else "")
        return (f"The analysis population was restricted to patients with {self.definition} "
                f"(n = {self.n_patients} of {self.n_source_patients}{tail}).")


def patient_field(name: str, patients: pd.DataFrame, option: str = "--where") -> Field | None:
    """The dictionary field ``name`` of the patients table; None for a user ``x_`` column of
    the data; SettingsError (naming ``option``) listing the fields when it is neither."""
    known = {f.name: f for f in (*fields_of("patients"),
                                  *(d for d in DERIVED_FIELDS if d.table == "patients"))}
    if name in known:
        return known[name]
    if name.startswith(EXTRA_PREFIX) and name in patients.columns:
        return None
    extras = sorted(c for c in patients.columns if str(c).startswith(EXTRA_PREFIX))
    raise SettingsError(
        f"{option}: no patient field {name!r}; expected one of the patients fields "
        f"({', '.join(known)})" + (f" or a user column of this cohort ({', '.join(extras)})"
                                     if extras else ""))


def _number(value: str, condition: Condition) -> float:
    try:
        return float(value)
    except ValueError:
        raise SettingsError(f"--where {condition.text!r}: {value!r} is not a number") from None


def _codes(spec: Field | None) -> tuple[str, ...] | None:
    """The values a condition on this field may name (None: any value may be named)."""
    if spec is None:
        return None
    if spec.kind == "bool":
        return ("yes", "no")
    if spec.kind in ("choice", "list"):
        return spec.choices
    return None


def _mask(condition: Condition, spec: Field | None, series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(meets the condition, value known) per patient."""
    kind = "x" if spec is None else spec.kind
    if kind == "x":  # a user column holds cells as read: a blank cell is missing
        series = series.astype(object).map(
            lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else v)
    c = condition
    codes = _codes(spec)
    if codes is not None and c.op not in _NUMERIC_OPS:
        wrong = [v for v in c.values if v not in codes]
        if wrong:
            raise SettingsError(f"--where {c.text!r}: {', '.join(map(repr, wrong))} is not a code "
                                f"of {c.field}; expected one of {', '.join(codes)}")
    if kind == "list":
        if c.op in _NUMERIC_OPS:
            raise SettingsError(f"--where {c.text!r}: {c.field} is a list of codes, not a number; "
                                "use =, != or in")
        known = series.notna().to_numpy()
        held = np.array([bool(v is not None and not (isinstance(v, float) and np.isnan(v))
                              and set(v) & set(c.values)) for v in series], dtype=bool)
        return (~held if c.op == "!=" else held) & known, known
    if kind in ("integer", "number"):
        values: Any = series.astype("float64").to_numpy()
        targets: list[Any] = [_number(v, c) for v in c.values]
    elif kind == "date":
        values = series.to_numpy(dtype="datetime64[ns]")
        try:
            targets = [np.datetime64(pd.Timestamp(v), "ns") for v in c.values]
        except ValueError:
            raise SettingsError(f"--where {c.text!r}: expected a date YYYY-MM-DD") from None
    elif c.op in _NUMERIC_OPS:
        if kind != "x":
            raise SettingsError(f"--where {c.text!r}: {c.field} is not numeric "
                                f"({spec.expected() if spec else 'text'}); use =, != or in")
        values = pd.to_numeric(series.astype(object), errors="coerce").to_numpy(dtype="float64")
        bad = series.notna().to_numpy() & np.isnan(values)
        if bad.any():
            example = series[bad].iloc[0]
            raise SettingsError(f"--where {c.text!r}: {c.field} is not numeric (it holds "
                                f"{example!r}); use =, != or in")
        targets = [_number(v, c) for v in c.values]
    elif kind == "bool":
        values = np.array([None if pd.isna(v) else bool(v) for v in series.astype("boolean")],
                          dtype=object)
        targets = [v == "yes" for v in c.values]
    else:
        values = np.array([None if v is None or (isinstance(v, float) and np.isnan(v))
                           else str(v) for v in series], dtype=object)
        targets = list(c.values)
    known = np.asarray(pd.notna(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if c.op in ("=", "in"):
            hit = np.zeros(len(values), dtype=bool)
            for target in targets:
                hit |= np.asarray(values == target, dtype=bool)
        elif c.op == "!=":
            hit = np.asarray(values != targets[0], dtype=bool)
        else:
            compare = {"<": np.less, "<=": np.less_equal, ">": np.greater,
                       ">=": np.greater_equal}[c.op]
            hit = np.asarray(compare(values[known], targets[0]), dtype=bool)
            full = np.zeros(len(values), dtype=bool)
            full[known] = hit
            hit = full
    return hit & known, known


def population_mask(patients: pd.DataFrame, conditions: Sequence[Condition | str],
                    ) -> tuple[np.ndarray, Population]:
    """Which rows of ``patients`` meet every condition, and the Population they form.

    Raises SettingsError for an unknown field, a value outside the field's codes, a
    comparison on a non-numeric field (every such problem at once), or a population with
    no patient (the message says how many patients each condition alone keeps).
    """
    parsed = tuple(parse_condition(c) if isinstance(c, str) else c for c in conditions)
    n_source = len(patients)
    keep = np.ones(n_source, dtype=bool)
    alone, missing, problems = [], {}, []
    for c in parsed:
        try:
            spec = patient_field(c.field, patients)
            series = (patients[c.field] if c.field in patients.columns
                      else pd.Series([None] * n_source, index=patients.index, dtype=object))
            hit, known = _mask(c, spec, series)
        except SettingsError as err:
            problems.append(str(err))
            continue
        keep &= hit
        alone.append(f"{c.text}: {int(hit.sum())}" + _present(c, spec, series, hit))
        missing[c.text] = int((~known).sum())
    if problems:
        raise SettingsError("; ".join(problems))
    population = Population(parsed, int(keep.sum()), n_source, missing)
    if parsed and population.n_patients == 0:
        raise SettingsError(f"the analysis population {population.definition} has no patient "
                            f"(of {n_source}; patients meeting each condition alone: "
                            f"{', '.join(alone)})")
    return keep, population


def _present(condition: Condition, spec: Field | None, series: pd.Series, hit: np.ndarray) -> str:
    """For a free-text field no patient matched: the values the data do hold."""
    if hit.any() or condition.op not in ("=", "in") or (spec is not None and spec.kind != "text"):
        return ""
    values = sorted({str(v) for v in series.dropna()})
    shown = ", ".join(values[:20]) + (", ..." if len(values) > 20 else "")
    return f" (the data hold {shown or 'no value'})"


def restrict(frame: pd.DataFrame, ids: set[Any]) -> pd.DataFrame:
    """The rows of a patient-keyed table whose patient is in ``ids``."""
    return frame[frame["patient_id"].isin(ids)] if "patient_id" in frame else frame


def keep_warnings(warnings: Iterable[DataWarning], ids: set[Any]) -> list[DataWarning]:
    """The warnings about the kept patients, and those about no patient in particular."""
    return [w for w in warnings if w.patient_id is None or w.patient_id in ids]


def select(cohort: Cohort, conditions: Sequence[Condition | str]) -> tuple[Cohort, Population]:
    """The cohort restricted to the patients meeting every condition, and its Population.

    >>> from jdmtrack.pipeline import example_path, load_cohort
    >>> part, population = select(load_cohort(example_path()), ["sex=F"])
    >>> population.n_patients == len(part.patients) == int((part.patients["sex"] == "F").sum())
    True
    """
    keep, population = population_mask(cohort.patients, conditions)
    if not population.conditions:
        return cohort, population
    ids = set(cohort.patients.loc[keep, "patient_id"])
    return replace(cohort, patients=cohort.patients[keep], visits=restrict(cohort.visits, ids),
                   events=restrict(cohort.events, ids),
                   adverse_events=restrict(cohort.adverse_events, ids),
                   warnings=keep_warnings(cohort.warnings, ids)), population
