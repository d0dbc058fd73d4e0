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
baseline value for CHQ-PhS; the enzyme's rule is a setting (:mod:`.tis_enzyme`). The rules
live in :data:`PERCENT_CHANGE_RULES` and :mod:`.tis_enzyme` and nowhere else, and the
output names them (:func:`tis_rules`, the methods text).

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

from ..fields import field
from ..visit_table import CriterionResult, VisitTable, as_visit_table, category_series
from ..warning_log import WarningLog
from ._exact import PercentForm, band_index
from .settings import DEPRECATED_CORE_SETS, TisEnzymeRule, TisPopulation
from .tis_enzyme import (
    ENZYME_COLUMNS,
    ENZYME_ORDER_TEXT,
    choose_enzyme,
    enzyme_percent,
    enzyme_rule_text,
)

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

Measure = Literal["physician_global", "patient_global", "muscle", "function", "laboratory",
                  "extramuscular"]

# Stands for "the enzyme most abnormal at week 0" in the core-set tables below.
ENZYME = "enzyme"

# Rider 2017 (Rheumatology 56:1884), Table 3: upper edges (percent) of the improvement
# bands "<= 5 (incl. worsening)", "> 5-15", "> 15-25", "> 25-40", "> 40".
GLOBAL_BAND_EDGES: tuple[int, ...] = (5, 15, 25, 40)
# Rider 2017, Table 3: muscle strength (MMT or CMAS) bands "<= 2", "> 2-10", "> 10-20",
# "> 20-30", "> 30".
MUSCLE_BAND_EDGES: tuple[int, ...] = (2, 10, 20, 30)

# Rider 2017, Table 3: points per band, lowest band first. Maxima sum to 100. The
# laboratory row is "enzyme (most abnormal) or CHQ-PhS" [the CHQ-PhS weights: as printed
# in Table 3 for the PRINTO alternative; how its percent change is formed is unverified].
TIS_POINTS: Mapping[Measure, tuple[float, ...]] = MappingProxyType({
    "physician_global": (0.0, 7.5, 15.0, 17.5, 20.0),
    "patient_global": (0.0, 2.5, 5.0, 7.5, 10.0),
    "muscle": (0.0, 10.0, 20.0, 27.5, 32.5),
    "function": (0.0, 5.0, 7.5, 7.5, 10.0),
    "laboratory": (0.0, 2.5, 5.0, 7.5, 7.5),
    "extramuscular": (0.0, 7.5, 12.5, 15.0, 20.0),
})

# Minimal / moderate / major: TIS >= each value. JDM: Rider 2017 (Arthritis Rheumatol
# 69:911); adult DM/PM: Aggarwal 2017 (Ann Rheum Dis 76:792).
TIS_THRESHOLDS: Mapping[str, tuple[float, float, float]] = MappingProxyType({
    "jdm": (30.0, 45.0, 70.0),
    "adult": (20.0, 40.0, 60.0),
})

TIS_CATEGORIES = ("none", "minimal", "moderate", "major", "not_evaluable")

# Core set measure -> visit column. IMACS set; the published PRINTO alternatives (CMAS for
# MMT, CHQ-PhS for the enzyme, DAS total for the extramuscular global: Rider 2017 Table 3);
# and jdmtrack's earlier variant of it that keeps the enzyme (for cohorts without CHQ-PhS).
CORE_SETS: Mapping[str, Mapping[Measure, str]] = MappingProxyType({
    "imacs": MappingProxyType({
        "physician_global": "phga_cm", "patient_global": "ptga_cm", "muscle": "mmt8_total",
        "function": "chaq", "laboratory": ENZYME, "extramuscular": "extramuscular_cm"}),
    "printo_published": MappingProxyType({
        "physician_global": "phga_cm", "patient_global": "ptga_cm", "muscle": "cmas_total",
        "function": "chaq", "laboratory": "chq_phs", "extramuscular": "das_total"}),
    "printo_variant": MappingProxyType({
        "physician_global": "phga_cm", "patient_global": "ptga_cm", "muscle": "cmas_total",
        "function": "chaq", "laboratory": ENZYME, "extramuscular": "das_total"}),
})
_SET_NAMES = {
    "imacs": "IMACS core set",
    "printo_published": "PRINTO core set (the published PRINTO alternatives, with CHQ-PhS)",
    "printo_variant": "PRINTO variant core set (PRINTO measures, but the most abnormal muscle "
                      "enzyme in place of CHQ-PhS; a jdmtrack variant, not a published set)",
}
_MEASURE_NAMES = {
    "phga_cm": "physician global activity", "ptga_cm": "patient/parent global activity",
    "mmt8_total": "MMT-8", "cmas_total": "CMAS", "chaq": "CHAQ",
    ENZYME: "the muscle enzyme most abnormal at week 0",
    "chq_phs": "CHQ physical summary score", "extramuscular_cm": "extramuscular global activity",
    "das_total": "the DAS total",
}

# [U] UNVERIFIED, the one place these rules live. Rider 2017 scores the "absolute percent
# change"; its footnote was not retrieved. Our reading (instruments.md section 9):
# "range":    change / (scale maximum - scale minimum) x 100, scale from the field dictionary;
# "baseline": change / week-0 value x 100 (relative change), for measures with no fixed
#             range (CHQ-PhS, a norm-based score). The enzyme's rule is the setting
#             tis_enzyme_rule (criteria/tis_enzyme.py); "baseline" is its default.
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
    "chq_phs": "baseline",
})
# Scales on which a higher value is better (strength, quality of life); lower is better
# on all others.
HIGHER_IS_BETTER = frozenset({"mmt8_total", "cmas_total", "chq_phs"})

Floats = npt.NDArray[np.float64]


def _core_set(name: str) -> str:
    return DEPRECATED_CORE_SETS.get(name, name)


def _scale_range(column: str) -> Fraction:
    spec = field("visits", column)
    if spec.minimum is None or spec.maximum is None:  # pragma: no cover - dictionary error
        raise ValueError(f"{column} has no bounded range in the field dictionary")
    return Fraction(str(spec.maximum)) - Fraction(str(spec.minimum))


def tis_rules(core_set: str = "imacs", enzyme_rule: TisEnzymeRule = "relative",
              uln_multiples: Mapping[str, float] | None = None) -> dict[str, str]:
    """How each core set measure's percent change is computed (all marked unverified).

    >>> tis_rules()["mmt8_total"]
    '(follow-up - week 0) / 80 (scale range) x 100 [unverified]'
    >>> tis_rules()["enzyme"][:36]
    '(week 0 - follow-up) / week 0 x 100 '
    >>> tis_rules("printo_published")["chq_phs"]
    '(follow-up - week 0) / week 0 x 100 [unverified]'
    """
    rules: dict[str, str] = {}
    for column in CORE_SETS[_core_set(core_set)].values():
        change = ("(follow-up - week 0)" if column in HIGHER_IS_BETTER
                  else "(week 0 - follow-up)")
        if column == ENZYME:
            rules[column] = (enzyme_rule_text(enzyme_rule, uln_multiples).removesuffix(
                " [unverified]") + f", the most abnormal enzyme at week 0 among "
                f"{ENZYME_ORDER_TEXT} [unverified]")
        elif PERCENT_CHANGE_RULES[column] == "range":
            rules[column] = f"{change} / {_scale_range(column)} (scale range) x 100 [unverified]"
        else:
            rules[column] = f"{change} / week 0 x 100 [unverified]"
    return rules


def tis_methods(core_set: str = "imacs", population: TisPopulation = "jdm",
                enzyme_rule: TisEnzymeRule = "relative",
                uln_multiples: Mapping[str, float] | None = None) -> list[str]:
    """The methods-section sentences for the TIS as configured."""
    name = _core_set(core_set)
    minimal, moderate, major = TIS_THRESHOLDS[population]
    group = "juvenile dermatomyositis" if population == "jdm" else "adult DM/PM"
    measures = ", ".join(_MEASURE_NAMES[c] for c in CORE_SETS[name].values())
    rules = "; ".join(f"{column}: {rule}"
                      for column, rule in tis_rules(name, enzyme_rule, uln_multiples).items())
    sentences = [
        f"Clinical response was scored with the 2016 ACR/EULAR Total Improvement Score "
        f"(TIS, 0-100; Rider et al. 2017) over the {_SET_NAMES[name]}: {measures}; "
        f"minimal, moderate and major response were TIS >= {minimal:g}, >= {moderate:g} and "
        f">= {major:g} ({group} thresholds).",
        "Percent changes were computed exactly on the recorded values; a change equal to a "
        "band edge was scored in the lower band (e.g. exactly 5 % scores as '<= 5 %').",
        f"Percent change rules (not verified against the published calculator): {rules}.",
    ]
    if ENZYME in CORE_SETS[name].values():
        sentences.append(
            f"Muscle enzyme rule: '{enzyme_rule}' (unverified). The enzyme followed is the "
            "one most abnormal at week 0 (the highest multiple of its upper limit of normal); "
            "a patient with a single enzyme measured at week 0 follows it; with several "
            "enzymes and not every upper limit of normal recorded, the first measured in the "
            f"order {ENZYME_ORDER_TEXT} is followed (stated in the warnings).")
    sentences.append("A visit missing any core set measure, at that visit or at week 0, was "
                     "not evaluable; week 0 itself is not scored.")
    return sentences


def _percent(column: str, follow: Floats, base: Floats) -> tuple[Floats, PercentForm]:
    """Percent improvement of a recorded measure, and its exact form at the band edges."""
    higher_better = column in HIGHER_IS_BETTER
    better, worse = (follow, base) if higher_better else (base, follow)
    with np.errstate(invalid="ignore", divide="ignore"):
        if PERCENT_CHANGE_RULES[column] == "baseline":
            positive = np.where(base > 0, base, np.nan)
            return ((better - worse) / positive * 100.0,
                    PercentForm(better, worse, Fraction(0), np.ones(len(base)), base))
        scale = _scale_range(column)
        return (better - worse) / float(scale) * 100.0, PercentForm(better, worse, scale)


def score_tis(visits: pd.DataFrame | VisitTable, *, core_set: str = "imacs",
              population: TisPopulation = "jdm", enzyme_rule: TisEnzymeRule = "relative",
              uln_multiples: Mapping[str, float] | None = None) -> CriterionResult:
    """Total Improvement Score and response category of each follow-up visit vs week 0.

    Parameters
    ----------
    visits
        Scored visits (``patient_id``, ``week`` and the core set columns).
    core_set
        ``"imacs"``, ``"printo_published"`` or ``"printo_variant"`` (see
        :data:`CORE_SETS`; ``"printo"`` is the deprecated name of the variant).
    population
        ``"jdm"`` (30/45/70) or ``"adult"`` (20/40/60) thresholds.
    enzyme_rule, uln_multiples
        The enzyme's percent change rule and, for ``"uln_range"``, the multiple of the ULN
        of each enzyme (:mod:`.tis_enzyme`).

    Returns
    -------
    CriterionResult
        ``columns``: ``tis`` (float 0-100, NaN when not evaluable), ``tis_category``
        (``none``/``minimal``/``moderate``/``major``/``not_evaluable``) and ``tis_enzyme``
        (the enzyme column followed, or None). Week-0 visits and visits of a patient
        without a week-0 visit are ``not_evaluable`` (no warning here; :func:`classify`
        warns once per patient without a week 0). A missing core set measure is counted
        in a ``tis_measure_missing`` record: per visit when missing at the visit, once per
        patient (at week 0) when missing at week 0.

    Raises
    ------
    SettingsError
        Under ``"uln_range"``, when an enzyme the TIS follows has no multiple.

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
    measures = CORE_SETS[_core_set(core_set)]
    followup = table.is_followup
    total = np.zeros(table.n)
    evaluable = followup.copy()
    warnings = WarningLog()
    enzyme_index = np.full(table.n, -1, dtype=np.intp)

    # Patients with at least one follow-up visit (baseline warnings are only for them).
    has_followup = np.zeros(len(table.patient_ids) + 1, dtype=np.bool_)
    has_followup[table.patient_code[followup]] = True
    baseline_rows_to_warn = table.is_baseline & has_followup[table.patient_code]

    for measure, column in measures.items():
        if column == ENZYME:
            choice = choose_enzyme(table)
            enzyme_index = choice.index
            pct, form, more = enzyme_percent(table, choice, enzyme_rule, uln_multiples or {},
                                             baseline_rows_to_warn)
            warnings += choice.warnings
            warnings += more
        else:
            follow = table.number(column)
            base = table.at_baseline(follow)
            pct, form = _percent(column, follow, base)
            warnings += table.row_warnings(
                followup & np.isnan(follow), "tis_measure_missing",
                f"TIS not evaluable: {column} missing at this visit", column,
                kind="completeness")
            warnings += table.row_warnings(
                baseline_rows_to_warn & np.isnan(follow), "tis_measure_missing",
                f"TIS not evaluable at any follow-up visit: {column} missing at week 0",
                column, kind="completeness")
            if PERCENT_CHANGE_RULES[column] == "baseline":
                with np.errstate(invalid="ignore"):
                    warnings += table.row_warnings(
                        baseline_rows_to_warn & (follow <= 0), "tis_baseline_not_positive",
                        f"TIS not evaluable: {column} is not above 0 at week 0, so its "
                        "change relative to week 0 is undefined", column)
        edges = MUSCLE_BAND_EDGES if measure == "muscle" else GLOBAL_BAND_EDGES
        band = band_index(pct, edges, form)
        points = np.asarray(TIS_POINTS[measure])[np.minimum(band, len(edges))]
        known = ~np.isnan(pct)
        total += np.where(known, points, 0.0)
        evaluable &= known

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
    return CriterionResult(columns, warnings,
                           tis_methods(core_set, population, enzyme_rule, uln_multiples))
