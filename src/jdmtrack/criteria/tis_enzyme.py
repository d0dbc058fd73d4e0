"""The muscle enzyme of the Total Improvement Score: which one, and its percent change.

**Which enzyme** (Rider 2017; Aggarwal & Chandra 2020: the most abnormal of CK, aldolase,
AST, ALT and LDH at entry, followed at every visit). "Most abnormal" is read as the
highest multiple of its own upper limit of normal (ULN) at week 0:

- one enzyme measured at week 0: that enzyme; no ULN is needed to choose it;
- several, each with its ULN at week 0: the highest multiple of its ULN (ties: the first
  in the order CK, aldolase, AST, ALT, LDH);
- several, one or more without its ULN: the most abnormal cannot be decided, so the TIS
  follows the first measured in that order (CK first, the enzyme of the PRINTO inactive
  disease criteria) and a ``tis_enzyme_fallback`` warning says so;
- none measured at week 0: the enzyme measure is missing (TIS not evaluable).

**Percent change** [U] UNVERIFIED: how the 2016 criteria turn an enzyme into an "absolute
percent change" was not settled by what could be read (instruments.md section 9). The
setting ``tis_enzyme_rule`` chooses:

- ``relative`` (default): (week 0 - follow-up) / week 0 x 100. The ULN columns only choose
  the enzyme, so one enzyme alone needs no ULN.
- ``uln_range``: (week 0 - follow-up) / (k x ULN at week 0) x 100, with the multiple k of
  each enzyme given by the user (``tis_enzyme_uln_multiples``; no default). Read from one
  public third-party implementation; unverified.

Worked example telling them apart: CK 150 -> 60 U/L, ULN 200. ``relative``: 90 / 150 =
60 % (> 40 %: 7.5 points). ``uln_range`` with k = 15: 90 / 3000 = 3 % (<= 5 %: 0 points).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..errors import SettingsError
from ..fields import ENZYMES
from ..visit_table import VisitTable
from ..warning_log import WarningLog
from ._exact import PercentForm
from .settings import TisEnzymeRule

__all__ = [
    "ENZYME_COLUMNS",
    "ENZYME_ORDER_TEXT",
    "EnzymeChoice",
    "choose_enzyme",
    "enzyme_percent",
    "enzyme_rule_text",
    "uln_multiples_needed",
]

# Enzymes in the order that breaks a tie, and that the fallback follows (field order).
ENZYME_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (f"{code}_u_l", f"{code}_uln_u_l") for code, _ in ENZYMES)
_CODES: tuple[str, ...] = tuple(code for code, _ in ENZYMES)
ENZYME_ORDER_TEXT = "CK, aldolase, AST, ALT, LDH"
# Two multiples of the ULN closer than this (relative) are a tie.
_RATIO_TIE = 1e-12

Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class EnzymeChoice:
    """Per visit row: the index into :data:`ENZYME_COLUMNS` of the enzyme followed (-1:
    none), its value at the visit and at week 0, and its ULN at week 0."""

    index: Ints
    follow: Floats
    base: Floats
    base_uln: Floats
    warnings: WarningLog


def choose_enzyme(table: VisitTable) -> EnzymeChoice:
    """The enzyme each patient's TIS follows (see the module docstring).

    >>> import pandas as pd
    >>> v = pd.DataFrame({"patient_id": ["1", "1", "2", "2"], "week": [0.0, 8.0] * 2,
    ...                   "ck_u_l": [150.0, 60.0, 900.0, 300.0],
    ...                   "ldh_u_l": [np.nan, np.nan, 500.0, 400.0]})
    >>> choice = choose_enzyme(VisitTable(v))
    >>> choice.index.tolist(), [r.code for r in choice.warnings]
    ([0, 0, 0, 0], ['tis_enzyme_fallback'])
    """
    base_rows = np.flatnonzero(table.is_baseline & (table.patient_code >= 0))
    count = len(base_rows)
    best = np.full(count, -1, dtype=np.intp)
    best_ratio = np.full(count, -np.inf)
    first = np.full(count, -1, dtype=np.intp)
    n_measured = np.zeros(count, dtype=np.intp)
    uln_missing = np.zeros(count, dtype=np.bool_)
    for position, (value_col, uln_col) in enumerate(ENZYME_COLUMNS):
        value = table.number(value_col)[base_rows]
        uln = table.number(uln_col)[base_rows]
        measured = ~np.isnan(value)
        n_measured += measured
        first = np.where(measured & (first < 0), position, first)
        with np.errstate(invalid="ignore", divide="ignore"):
            usable = measured & (uln > 0)
            ratio = value / uln
            better = usable & ((best < 0) | (ratio > best_ratio + _RATIO_TIE * np.abs(best_ratio)))
        uln_missing |= measured & ~usable
        best = np.where(better, position, best)
        best_ratio = np.where(better, ratio, best_ratio)
    fallback = (n_measured >= 2) & uln_missing
    chosen = np.where((n_measured == 1) | fallback, first, best)
    chosen = np.where(n_measured == 0, -1, chosen)

    of_patient = np.full(len(table.patient_ids) + 1, -1, dtype=np.intp)
    of_patient[table.patient_code[base_rows]] = chosen
    index = of_patient[table.patient_code]

    # Warn once per patient who has a follow-up visit (at the week-0 row).
    has_followup = np.zeros(len(table.patient_ids) + 1, dtype=np.bool_)
    has_followup[table.patient_code[table.is_followup]] = True
    warn = has_followup[table.patient_code[base_rows]]
    warnings = WarningLog()
    for position, (value_col, _) in enumerate(ENZYME_COLUMNS):
        warnings += table.row_warnings(
            base_rows[warn & fallback & (chosen == position)], "tis_enzyme_fallback",
            f"several enzymes measured at week 0 without every upper limit of normal, so the "
            f"most abnormal could not be chosen: the TIS follows {value_col}, the first "
            f"measured in the order {ENZYME_ORDER_TEXT}", value_col)
    warnings += table.row_warnings(
        base_rows[warn & (n_measured == 0)], "tis_measure_missing",
        "TIS not evaluable at any follow-up visit: no muscle enzyme measured at week 0",
        None, kind="completeness")

    rows = np.arange(table.n)
    safe = np.clip(index, 0, None)
    if table.n:
        stacked = np.vstack([table.number(v) for v, _ in ENZYME_COLUMNS])
        ulns = np.vstack([table.number(u) for _, u in ENZYME_COLUMNS])
        follow = np.where(index >= 0, stacked[safe, rows], np.nan)
        base_uln_all = np.where(index >= 0, ulns[safe, rows], np.nan)
    else:
        follow = base_uln_all = np.full(0, np.nan)
    return EnzymeChoice(index, follow, table.at_baseline(follow),
                        table.at_baseline(base_uln_all), warnings)


def uln_multiples_needed(choice: EnzymeChoice, table: VisitTable,
                         multiples: Mapping[str, float]) -> Floats:
    """Per row: the user's ULN multiple of the enzyme followed (NaN: no enzyme).

    Raises
    ------
    SettingsError
        If an enzyme that some patient's TIS follows has no multiple, naming it.
    """
    used = np.unique(choice.index[table.is_followup & (choice.index >= 0)])
    missing = [_CODES[i] for i in used.tolist() if _CODES[i] not in multiples]
    if missing:
        raise SettingsError(
            "tis_enzyme_rule is 'uln_range' but tis_enzyme_uln_multiples gives no multiple of "
            "the upper limit of normal for " + ", ".join(missing) + " (the enzyme the TIS "
            "follows for some patients); add e.g. " + ", ".join(f"{m}=<multiple>" for m in missing))
    table_of = np.array([multiples.get(code, np.nan) for code in _CODES] + [np.nan])
    return np.asarray(table_of[choice.index], dtype=np.float64)


def enzyme_percent(table: VisitTable, choice: EnzymeChoice, rule: TisEnzymeRule,
                   multiples: Mapping[str, float], warn_base: Bools
                   ) -> tuple[Floats, PercentForm, WarningLog]:
    """Percent improvement of the enzyme followed, by ``rule``, with its exact form.

    ``warn_base`` marks the week-0 rows of patients with a follow-up visit (where a
    problem with the week-0 value is counted, once per patient).
    """
    base, follow = choice.base, choice.follow
    warnings = WarningLog()
    for position, (value_col, uln_col) in enumerate(ENZYME_COLUMNS):
        chosen = choice.index == position
        warnings += table.row_warnings(
            table.is_followup & chosen & np.isnan(follow), "tis_measure_missing",
            f"TIS not evaluable: {value_col} (the enzyme followed) missing at this visit",
            value_col, kind="completeness")
        if rule == "relative":
            warnings += table.row_warnings(
                warn_base & chosen & (follow == 0), "tis_enzyme_zero",
                f"TIS not evaluable: {value_col} (the enzyme followed) is 0 at week 0, so its "
                "relative change is undefined", value_col)
        else:
            with np.errstate(invalid="ignore"):
                no_uln = ~(choice.base_uln > 0)
            warnings += table.row_warnings(
                warn_base & chosen & no_uln, "tis_enzyme_uln_missing",
                f"TIS not evaluable: the 'uln_range' enzyme rule needs {uln_col} at week 0 "
                f"({value_col} is the enzyme followed)", uln_col)
    if rule == "relative":
        coefficient = np.ones(table.n)
        denominator = base
    else:
        coefficient = uln_multiples_needed(choice, table, multiples)
        denominator = choice.base_uln
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = coefficient * denominator
        pct = (base - follow) / np.where(scaled > 0, scaled, np.nan) * 100.0
    return pct, PercentForm(base, follow, Fraction(0), coefficient, denominator), warnings


def enzyme_rule_text(rule: TisEnzymeRule, multiples: Mapping[str, float] | None = None
                     ) -> str:
    """How the enzyme's percent change is computed, as the methods text says it.

    >>> enzyme_rule_text("relative")[:46]
    '(week 0 - follow-up) / week 0 x 100 (rule "rel'
    >>> enzyme_rule_text("uln_range", {"ck": 15.0})[-46:]
    'the ULN given by the user: ck 15) [unverified]'
    """
    if rule == "relative":
        return ('(week 0 - follow-up) / week 0 x 100 (rule "relative": the upper limits of '
                "normal only choose the most abnormal of several enzymes; one enzyme alone "
                "needs none) [unverified]")
    given = ", ".join(f"{k} {v:g}" for k, v in (multiples or {}).items())
    return ('(week 0 - follow-up) / (k x ULN at week 0) x 100 (rule "uln_range", k = the '
            f"multiple of the ULN given by the user: {given}) [unverified]")
