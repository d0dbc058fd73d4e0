"""2016 ACR/EULAR Total Improvement Score (TIS) and minimal/moderate/major response.

Each of six core set measures (CSM) earns points by the band its absolute percent
improvement from week 0 falls in; the TIS (0-100) is their sum, and the response category
follows from thresholds (JDM 30/45/70; adult DM/PM 20/40/60). Any worsening earns 0
points. Band edges: "<= 5 %" includes worsening and exactly 5 %; "> 5-15 %" is
5 < x <= 15, and so on. Percent changes are decided exactly on the recorded decimals
(:mod:`jdmtrack.criteria._exact`), so an exact 5 % never crosses an edge through binary
rounding.

How "absolute percent change" is computed is **not verified** against the primary paper
or the NIEHS calculator: we divide the change by the range of bounded scales and by the
baseline value for the enzyme. Both rules live in :data:`PERCENT_CHANGE_RULES` and nowhere
else, and the output names them (:func:`tis_rules`, the methods text).

References
----------
Rider LG, Aggarwal R, Pistorio A, et al. 2016 American College of Rheumatology/European
League Against Rheumatism criteria for minimal, moderate, and major clinical response in
juvenile dermatomyositis. Arthritis Rheumatol. 2017;69(5):911-923 (Ann Rheum Dis
2017;76:782-791). Conversion table: Rheumatology 2017;56:1884, Table 3.

Aggarwal R, Rider LG, Ruperto N, et al. 2016 ACR/EULAR criteria for minimal, moderate, and
major clinical response in adult dermatomyositis and polymyositis. Ann Rheum Dis.
2017;76(5):792-801.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import DataWarning
from ..fields import ENZYMES, field
from ._exact import NEAR_ZERO, linear_sign
from ._visits import CriterionResult, VisitTable, as_visit_table, category_series
from .settings import TisCoreSet, TisPopulation

__all__ = [
    "CORE_SETS",
    "ENZYME",
    "ENZYME_COLUMNS",
    "GLOBAL_BAND_EDGES",
    "HIGHER_IS_BETTER",
    "MUSCLE_BAND_EDGES",
    "PERCENT_CHANGE_RULES",
    "TIS_CATEGORIES",
    "TIS_POINTS",
    "TIS_THRESHOLDS",
    "score_tis",
    "tis_methods",
    "tis_rules",
]

Measure = Literal["physician_global", "patient_global", "muscle", "function", "enzyme",
                  "extramuscular"]

# Stands for "the enzyme most abnormal at week 0" in the core-set tables below.
ENZYME = "enzyme"

# Rider 2017 (Rheumatology 56:1884), Table 3: upper edges (percent) of the improvement
# bands "<= 5 (incl. worsening)", "> 5-15", "> 15-25", "> 25-40", "> 40".
GLOBAL_BAND_EDGES: tuple[int, ...] = (5, 15, 25, 40)
# Rider 2017, Table 3: muscle strength (MMT or CMAS) bands "<= 2", "> 2-10", "> 10-20",
# "> 20-30", "> 30".
MUSCLE_BAND_EDGES: tuple[int, ...] = (2, 10, 20, 30)

# Rider 2017, Table 3: points per band, lowest band first. Maxima sum to 100.
TIS_POINTS: Mapping[Measure, tuple[float, ...]] = MappingProxyType({
    "physician_global": (0.0, 7.5, 15.0, 17.5, 20.0),
    "patient_global": (0.0, 2.5, 5.0, 7.5, 10.0),
    "muscle": (0.0, 10.0, 20.0, 27.5, 32.5),
    "function": (0.0, 5.0, 7.5, 7.5, 10.0),
    "enzyme": (0.0, 2.5, 5.0, 7.5, 7.5),
    "extramuscular": (0.0, 7.5, 12.5, 15.0, 20.0),
})

# Minimal / moderate / major: TIS >= each value. JDM: Rider 2017 (Arthritis Rheumatol
# 69:911); adult DM/PM: Aggarwal 2017 (Ann Rheum Dis 76:792).
TIS_THRESHOLDS: Mapping[str, tuple[float, float, float]] = MappingProxyType({
    "jdm": (30.0, 45.0, 70.0),
    "adult": (20.0, 40.0, 60.0),
})

TIS_CATEGORIES = ("none", "minimal", "moderate", "major", "not_evaluable")

# Core set measure -> visit column. IMACS set, and the PRINTO alternatives (CMAS for MMT,
# DAS total for the extramuscular global), Rider 2017 Table 3. The PRINTO laboratory
# alternative (CHQ-PhS) is not in the cohort format, so both sets use the enzyme.
CORE_SETS: Mapping[str, Mapping[Measure, str]] = MappingProxyType({
    "imacs": MappingProxyType({
        "physician_global": "phga_cm", "patient_global": "ptga_cm", "muscle": "mmt8_total",
        "function": "chaq", "enzyme": ENZYME, "extramuscular": "extramuscular_cm"}),
    "printo": MappingProxyType({
        "physician_global": "phga_cm", "patient_global": "ptga_cm", "muscle": "cmas_total",
        "function": "chaq", "enzyme": ENZYME, "extramuscular": "das_total"}),
})

# [U] UNVERIFIED, the one place these rules live. Rider 2017 scores the "absolute percent
# change"; its footnote was not retrieved. Our reading (instruments.md section 9):
# "range":    change / (scale maximum - scale minimum) x 100, scale from the field dictionary;
# "baseline": change / week-0 value x 100 (relative change), for the enzyme, which has no
#             fixed range. How the calculator uses the enzyme's ULN is not known; we use it
#             only to choose the most abnormal enzyme.
# Change is signed so that improvement is positive (see HIGHER_IS_BETTER).
PERCENT_CHANGE_RULES: Mapping[str, Literal["range", "baseline"]] = MappingProxyType({
    "phga_cm": "range",
    "ptga_cm": "range",
    "mmt8_total": "range",
    "cmas_total": "range",
    "chaq": "range",
    "extramuscular_cm": "range",
    "das_total": "range",
    ENZYME: "baseline",
})
# Scales on which a higher value is better (strength); on all others lower is better.
HIGHER_IS_BETTER = frozenset({"mmt8_total", "cmas_total"})

# Enzymes in the order that breaks a tie for "most abnormal" (field dictionary order).
ENZYME_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (f"{code}_u_l", f"{code}_uln_u_l") for code, _ in ENZYMES)
# Two multiples of the ULN closer than this (relative) are a tie.
_RATIO_TIE = 1e-12

Floats = npt.NDArray[np.float64]


def _scale_range(column: str) -> Fraction:
    spec = field("visits", column)
    if spec.minimum is None or spec.maximum is None:  # pragma: no cover - dictionary error
        raise ValueError(f"{column} has no bounded range in the field dictionary")
    return Fraction(str(spec.maximum)) - Fraction(str(spec.minimum))


def tis_rules(core_set: TisCoreSet = "imacs") -> dict[str, str]:
    """How each core set measure's percent change is computed (all marked unverified).

    >>> tis_rules()["mmt8_total"]
    '(follow-up - week 0) / 80 (scale range) x 100 [unverified]'
    >>> tis_rules()["enzyme"]
    '(week 0 - follow-up) / week 0 x 100, most abnormal enzyme at week 0 [unverified]'
    """
    rules: dict[str, str] = {}
    for column in CORE_SETS[core_set].values():
        rule = PERCENT_CHANGE_RULES[column]
        if rule == "range":
            change = ("(follow-up - week 0)" if column in HIGHER_IS_BETTER
                      else "(week 0 - follow-up)")
            text = f"{change} / {_scale_range(column)} (scale range) x 100"
        else:
            text = "(week 0 - follow-up) / week 0 x 100, most abnormal enzyme at week 0"
        rules[column] = text + " [unverified]"
    return rules


def tis_methods(core_set: TisCoreSet = "imacs", population: TisPopulation = "jdm"
                ) -> list[str]:
    """The methods-section sentences for the TIS as configured."""
    minimal, moderate, major = TIS_THRESHOLDS[population]
    group = "juvenile dermatomyositis" if population == "jdm" else "adult DM/PM"
    measures = {
        "imacs": "physician global activity, patient/parent global activity, MMT-8, CHAQ, "
                 "the muscle enzyme most abnormal at week 0 and extramuscular global activity",
        "printo": "physician global activity, patient/parent global activity, CMAS, CHAQ, "
                  "the muscle enzyme most abnormal at week 0 and the DAS total",
    }[core_set]
    rules = "; ".join(f"{column}: {rule}" for column, rule in tis_rules(core_set).items())
    return [
        f"Clinical response was scored with the 2016 ACR/EULAR Total Improvement Score "
        f"(TIS, 0-100; Rider et al. 2017) over the {core_set.upper()} core set ({measures}); "
        f"minimal, moderate and major response were TIS >= {minimal:g}, >= {moderate:g} and "
        f">= {major:g} ({group} thresholds).",
        "Percent changes were computed exactly on the recorded values; a change equal to a "
        "band edge was scored in the lower band (e.g. exactly 5 % scores as '<= 5 %').",
        f"Percent change rules (not verified against the published calculator): {rules}. "
        "The most abnormal enzyme is the highest multiple of its upper limit of normal at "
        "week 0; it cannot be chosen when an enzyme measured at week 0 has no ULN.",
        "A visit missing any core set measure, at that visit or at week 0, was not "
        "evaluable; week 0 itself is not scored.",
    ]


def _bands(improvement_pct: Floats, edges: tuple[int, ...], exact_terms: _ExactForm
           ) -> npt.NDArray[np.intp]:
    """Band index (number of edges strictly below the percent change), exact at edges."""
    band = np.searchsorted(np.asarray(edges, dtype=np.float64), improvement_pct, side="left")
    near = np.zeros(len(improvement_pct), dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        for edge in edges:
            near |= np.abs(improvement_pct - edge) <= NEAR_ZERO * max(1.0, float(edge))
    rows = np.flatnonzero(near)
    if len(rows):
        exact = np.zeros(len(rows), dtype=np.intp)
        for edge in edges:
            exact += exact_terms.sign_above(rows, edge) > 0
        band[rows] = exact
    return np.asarray(band, dtype=np.intp)


class _ExactForm:
    """Exact "percent improvement > edge" for the rows of one core set measure."""

    def __init__(self, rule: str, higher_better: bool, base: Floats, follow: Floats,
                 scale: Fraction) -> None:
        self.rule, self.higher_better = rule, higher_better
        self.base, self.follow, self.scale = base, follow, scale

    def sign_above(self, rows: npt.NDArray[np.intp], edge: int) -> Floats:
        base, follow = self.base[rows], self.follow[rows]
        hundred = Fraction(100)
        if self.rule == "baseline":
            # (b - f) / b * 100 > E  <=>  (100 - E) b - 100 f > 0, for b > 0.
            return linear_sign([(hundred - edge, base), (-hundred, follow)])
        better, worse = (follow, base) if self.higher_better else (base, follow)
        # (better - worse) / R * 100 > E  <=>  100 better - 100 worse - E R > 0.
        return linear_sign([(hundred, better), (-hundred, worse)], -edge * self.scale)


def _choose_enzyme(table: VisitTable) -> tuple[npt.NDArray[np.intp], list[DataWarning]]:
    """Per row: index into ENZYME_COLUMNS of its patient's most abnormal week-0 enzyme."""
    base_rows = np.flatnonzero(table.is_baseline & (table.patient_code >= 0))
    count = len(base_rows)
    best = np.full(count, -1, dtype=np.intp)
    best_ratio = np.full(count, -np.inf)
    blocked_by = np.full(count, -1, dtype=np.intp)
    for position, (value_col, uln_col) in enumerate(ENZYME_COLUMNS):
        value = table.number(value_col)[base_rows]
        uln = table.number(uln_col)[base_rows]
        measured = ~np.isnan(value)
        no_uln = measured & np.isnan(uln)
        blocked_by = np.where(no_uln & (blocked_by < 0), position, blocked_by)
        usable = measured & ~np.isnan(uln)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = value / uln
            better = usable & ((best < 0) | (ratio > best_ratio + _RATIO_TIE * np.abs(best_ratio)))
        best = np.where(better, position, best)
        best_ratio = np.where(better, ratio, best_ratio)
    chosen = np.where(blocked_by >= 0, -1, best)
    of_patient = np.full(len(table.patient_ids) + 1, -1, dtype=np.intp)
    of_patient[table.patient_code[base_rows]] = chosen
    per_row = of_patient[table.patient_code]

    # Warn once per patient who has a follow-up visit (at the week-0 row).
    has_followup = np.zeros(len(table.patient_ids) + 1, dtype=np.bool_)
    has_followup[table.patient_code[table.is_followup]] = True
    warn = has_followup[table.patient_code[base_rows]]
    warnings: list[DataWarning] = []
    blocked_rows = np.flatnonzero(warn & (blocked_by >= 0))
    warnings += table.row_warnings(
        base_rows[blocked_rows], "tis_enzyme_not_chosen",
        [f"TIS not evaluable: {ENZYME_COLUMNS[b][0]} was measured at week 0 without its "
         f"upper limit of normal, so the most abnormal enzyme cannot be chosen"
         for b in blocked_by[blocked_rows].tolist()],
        [ENZYME_COLUMNS[b][1] for b in blocked_by[blocked_rows].tolist()])
    none_rows = np.flatnonzero(warn & (blocked_by < 0) & (best < 0))
    warnings += table.row_warnings(
        base_rows[none_rows], "tis_enzyme_not_chosen",
        "TIS not evaluable: no muscle enzyme with its upper limit of normal at week 0", None)
    return per_row, warnings


def score_tis(visits: pd.DataFrame | VisitTable, *, core_set: TisCoreSet = "imacs",
              population: TisPopulation = "jdm") -> CriterionResult:
    """Total Improvement Score and response category of each follow-up visit vs week 0.

    Parameters
    ----------
    visits
        Scored visits (``patient_id``, ``week`` and the core set columns).
    core_set
        ``"imacs"`` or ``"printo"`` (see :data:`CORE_SETS`).
    population
        ``"jdm"`` (30/45/70) or ``"adult"`` (20/40/60) thresholds.

    Returns
    -------
    CriterionResult
        ``columns``: ``tis`` (float 0-100, NaN when not evaluable), ``tis_category``
        (``none``/``minimal``/``moderate``/``major``/``not_evaluable``) and ``tis_enzyme``
        (the enzyme column followed, or None). Week-0 visits and visits of a patient
        without a week-0 visit are ``not_evaluable`` (no warning here; :func:`classify`
        warns once per patient without a week 0). Every missing core set measure gives
        a warning: per visit when missing at the visit, once per patient (at week 0) when
        missing at week 0.

    Examples
    --------
    The worked example of instruments.md section 9 (JDM, IMACS set):

    >>> v = pd.DataFrame({
    ...     "patient_id": ["p1", "p1"], "week": [0.0, 24.0],
    ...     "phga_cm": [6.0, 3.0], "ptga_cm": [5.0, 3.0], "mmt8_total": [60.0, 70.0],
    ...     "chaq": [1.5, 1.0], "ck_u_l": [2000.0, 500.0], "ck_uln_u_l": [200.0, 200.0],
    ...     "extramuscular_cm": [4.0, 2.0]})
    >>> out = score_tis(v).columns
    >>> out["tis"].tolist(), out["tis_category"].tolist()
    ([nan, 70.0], ['not_evaluable', 'major'])
    """
    table = as_visit_table(visits)
    measures = CORE_SETS[core_set]
    followup = table.is_followup
    total = np.zeros(table.n)
    evaluable = followup.copy()
    warnings: list[DataWarning] = []

    enzyme_index, enzyme_warnings = _choose_enzyme(table)
    warnings += enzyme_warnings
    enzyme_chosen = enzyme_index >= 0
    stacked = np.vstack([table.number(v) for v, _ in ENZYME_COLUMNS]) if table.n else None

    # Patients with at least one follow-up visit (baseline warnings are only for them).
    has_followup = np.zeros(len(table.patient_ids) + 1, dtype=np.bool_)
    has_followup[table.patient_code[followup]] = True
    baseline_rows_to_warn = table.is_baseline & has_followup[table.patient_code]

    for measure, column in measures.items():
        if column == ENZYME:
            if stacked is None:
                follow = np.full(0, np.nan)
            else:
                follow = stacked[np.clip(enzyme_index, 0, None), np.arange(table.n)]
                follow = np.where(enzyme_chosen, follow, np.nan)
            considered = enzyme_chosen
        else:
            follow = table.number(column)
            considered = np.ones(table.n, dtype=np.bool_)
        base = table.at_baseline(follow)
        rule = PERCENT_CHANGE_RULES[column]
        higher_better = column in HIGHER_IS_BETTER
        scale = Fraction(1) if rule == "baseline" else _scale_range(column)
        with np.errstate(invalid="ignore", divide="ignore"):
            if rule == "baseline":
                pct = (base - follow) / np.where(base == 0, np.nan, base) * 100.0
            else:
                change = follow - base if higher_better else base - follow
                pct = change / float(scale) * 100.0
        edges = MUSCLE_BAND_EDGES if measure == "muscle" else GLOBAL_BAND_EDGES
        band = _bands(pct, edges, _ExactForm(rule, higher_better, base, follow, scale))
        points = np.asarray(TIS_POINTS[measure])[np.minimum(band, len(edges))]
        known = ~np.isnan(pct)
        total += np.where(known, points, 0.0)
        evaluable &= known

        if column == ENZYME:
            label = "the most abnormal enzyme"
            value_col = np.array([v for v, _ in ENZYME_COLUMNS], dtype=object)[
                np.clip(enzyme_index, 0, None)]
        else:
            label, value_col = column, None
        missing_here = np.flatnonzero(followup & considered & np.isnan(follow))
        warnings += table.row_warnings(
            missing_here, "tis_measure_missing",
            f"TIS not evaluable: {label} missing at this visit",
            column if value_col is None else [str(c) for c in value_col[missing_here]])
        base_missing = np.flatnonzero(baseline_rows_to_warn & considered & np.isnan(follow))
        warnings += table.row_warnings(
            base_missing, "tis_measure_missing",
            f"TIS not evaluable at any follow-up visit: {label} missing at week 0",
            column if value_col is None else [str(c) for c in value_col[base_missing]])
        zero_rows = np.flatnonzero(baseline_rows_to_warn & considered & (follow == 0)
                                   & (rule == "baseline"))
        warnings += table.row_warnings(
            zero_rows, "tis_enzyme_zero",
            "TIS not evaluable: the most abnormal enzyme is 0 at week 0, so its relative "
            "change is undefined",
            None if value_col is None else [str(c) for c in value_col[zero_rows]])

    tis = np.where(evaluable, total, np.nan)
    thresholds = np.asarray(TIS_THRESHOLDS[population])
    category = np.searchsorted(thresholds, np.where(evaluable, tis, 0.0), side="right")
    category = np.where(evaluable, category, len(TIS_CATEGORIES) - 1)
    enzyme_names = np.array([v for v, _ in ENZYME_COLUMNS] + [None], dtype=object)
    columns = pd.DataFrame({
        "tis": pd.Series(tis, index=table.index),
        "tis_category": category_series(category, TIS_CATEGORIES, table.index),
        "tis_enzyme": pd.Series(enzyme_names[enzyme_index], index=table.index, dtype=object),
    }, index=table.index)
    return CriterionResult(columns, warnings, tis_methods(core_set, population))
