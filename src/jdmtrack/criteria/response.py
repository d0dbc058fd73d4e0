"""Complete / partial / no response as study B defined it (baricitinib in JDM).

- **CR**: PRINTO clinically inactive disease (:mod:`.printo`) and inactive skin
  (:mod:`.skin`).
- **PR**: all of: skin improved (``rash_improved``); muscle improved where muscle was
  involved at week 0; corticosteroid dose at least 50 % below the week-0 dose; no new
  immunosuppressant.
- **NR**: neither.

Readings of our own (stated in the methods text):

- The paper's "improvements in CMAS/MMT-8 score" is ambiguous. We read it as: CMAS or
  MMT-8 above its week-0 value (either suffices), required only of patients whose muscle
  was involved at week 0 (CMAS < 48 or MMT-8 < 78, the PRINTO thresholds).
- "Skin-DAS improved" is taken as ``rash_improved`` (skin-DAS below week 0, CAT-BM
  activity when skin-DAS is missing, or a week-0 rash now absent).
- A week-0 corticosteroid dose of 0 cannot be tapered by 50 %: the taper clause fails, so
  such a patient is CR or NR, never PR.

Missing inputs (design contract): CR when PRINTO is ``met`` and skin is inactive;
otherwise ``not_evaluable`` while CR is still possible; otherwise PR when every PR clause
holds, NR when any PR clause definitely fails, else ``not_evaluable``. Week 0 is not
classified (``not_evaluable``).

References
----------
Wang et al., Front Pediatr 2022 (study B): response definitions in its methods.
Lazarevic D, et al. Ann Rheum Dis. 2013;72(5):686-693 (PRINTO inactive disease).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..visit_table import (
    FALSE,
    TRUE,
    UNKNOWN,
    CriterionResult,
    VisitTable,
    as_visit_table,
    both,
    category_series,
    compare,
    either,
    negate,
    tri_from_bool,
)
from ._exact import linear_sign
from .printo import CMAS_MIN, MMT8_MIN, classify_printo_cid
from .skin import classify_rash_improved, classify_skin_inactive

__all__ = [
    "CS_TAPER_MAX_FRACTION",
    "MUSCLE_INVOLVED_CMAS_BELOW",
    "MUSCLE_INVOLVED_MMT8_BELOW",
    "RESPONSE_CATEGORIES",
    "classify_response",
    "response_methods",
]

# Muscle involved at week 0 (our reading, design contract): CMAS < 48 or MMT-8 < 78,
# i.e. a PRINTO muscle criterion not met (Lazarevic 2013).
MUSCLE_INVOLVED_CMAS_BELOW = CMAS_MIN
MUSCLE_INVOLVED_MMT8_BELOW = MMT8_MIN
# Study B: corticosteroids tapered "by at least 50 %" from the starting dose, i.e. the
# dose is at most half the week-0 dose.
CS_TAPER_MAX_FRACTION = Fraction(1, 2)

RESPONSE_CATEGORIES = ("CR", "PR", "NR", "not_evaluable")

Tri = npt.NDArray[np.int8]


def response_methods() -> list[str]:
    """The methods-section sentences for the response definition."""
    return [
        "Complete response (CR) was PRINTO clinically inactive disease with inactive skin.",
        "Partial response (PR) required all of: improved rash (skin-DAS below week 0, CAT-BM "
        "activity when skin-DAS was missing, or a week-0 rash no longer present); improved "
        "muscle strength; a corticosteroid dose at least 50 % below the week-0 dose; and no "
        "new immunosuppressant. The source's muscle clause is ambiguous; we read it as CMAS "
        "or MMT-8 above its week-0 value (either sufficing), required only when muscle was "
        "involved at week 0 (CMAS < 48 or MMT-8 < 78). A patient on no corticosteroid at "
        "week 0 cannot meet the taper clause. Other visits were non-response (NR).",
        "With missing inputs, a visit was CR when PRINTO inactive disease was met and skin "
        "was inactive; not evaluable while CR remained possible; otherwise PR when every PR "
        "clause held, NR when any PR clause definitely failed, and not evaluable otherwise. "
        "Week 0 was not classified.",
    ]


def _printo_tri(printo_cid: pd.Series) -> Tri:
    values = printo_cid.to_numpy(dtype=object)
    return np.where(values == "met", TRUE,
                    np.where(values == "not_met", FALSE, UNKNOWN)).astype(np.int8)


def _bool_tri(series: pd.Series) -> Tri:
    floats = series.astype("boolean").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isnan(floats), UNKNOWN,
                    np.where(floats == 1.0, TRUE, FALSE)).astype(np.int8)


def classify_response(visits: pd.DataFrame | VisitTable, *,
                      printo_cid: pd.Series | None = None,
                      skin_inactive: pd.Series | None = None,
                      rash_improved: pd.Series | None = None) -> CriterionResult:
    """Classify each follow-up visit as CR, PR, NR or not_evaluable.

    Parameters
    ----------
    visits
        Scored visits: ``cmas_total``, ``mmt8_total``, ``cs_mg_kg_day`` (float),
        ``new_immunosuppressant`` (nullable boolean) and the inputs of the PRINTO and
        skin definitions.
    printo_cid, skin_inactive, rash_improved
        Already derived columns (aligned on the visits); computed here when None.

    Returns
    -------
    CriterionResult
        ``columns["response"]``; one warning per ``not_evaluable`` follow-up visit naming
        what is undecided.

    Examples
    --------
    >>> b = pd.array
    >>> v = pd.DataFrame({
    ...     "patient_id": ["1", "1", "1"], "week": [0.0, 12.0, 24.0],
    ...     "ck_u_l": [300.0, 100.0, 100.0], "cmas_total": [40.0, 45.0, 50.0],
    ...     "mmt8_total": [70.0, 74.0, 79.0], "phga_cm": [5.0, 2.0, 0.0],
    ...     "das_skin": [6.0, 2.0, 0.0], "catbm_activity": [np.nan] * 3,
    ...     "rash": b([True, True, False], dtype="boolean"),
    ...     "skin_ulceration_active": b([False] * 3, dtype="boolean"),
    ...     "erythema": b([True, True, False], dtype="boolean"),
    ...     "cs_mg_kg_day": [1.0, 0.5, 0.2],
    ...     "new_immunosuppressant": b([False] * 3, dtype="boolean")})
    >>> classify_response(v).columns["response"].tolist()
    ['not_evaluable', 'PR', 'CR']
    """
    table = as_visit_table(visits)
    if printo_cid is None:
        printo_cid = classify_printo_cid(table).columns["printo_cid"]
    if skin_inactive is None:
        skin_inactive = classify_skin_inactive(table).columns["skin_inactive"]
    if rash_improved is None:
        rash_improved = classify_rash_improved(table).columns["rash_improved"]

    complete = both(_printo_tri(printo_cid), _bool_tri(skin_inactive))

    cmas, mmt8 = table.number("cmas_total"), table.number("mmt8_total")
    cmas_base, mmt8_base = table.at_baseline(cmas), table.at_baseline(mmt8)
    involved = either(compare(cmas_base, "<", MUSCLE_INVOLVED_CMAS_BELOW),
                      compare(mmt8_base, "<", MUSCLE_INVOLVED_MMT8_BELOW))
    with np.errstate(invalid="ignore"):
        cmas_up = tri_from_bool(cmas > cmas_base, ~np.isnan(cmas) & ~np.isnan(cmas_base))
        mmt8_up = tri_from_bool(mmt8 > mmt8_base, ~np.isnan(mmt8) & ~np.isnan(mmt8_base))
    muscle = either(negate(involved), cmas_up, mmt8_up)

    cs = table.number("cs_mg_kg_day")
    cs_base = table.at_baseline(cs)
    # dose <= base / 2  <=>  sign(2 dose - base) <= 0, decided exactly on the decimals.
    factor = 1 / CS_TAPER_MAX_FRACTION
    sign = linear_sign([(factor, cs), (Fraction(-1), cs_base)])
    with np.errstate(invalid="ignore"):
        tapered = tri_from_bool((sign <= 0) & (cs_base > 0), ~np.isnan(sign))
    no_new = negate(table.tri("new_immunosuppressant"))
    skin_better = _bool_tri(rash_improved)
    partial = both(skin_better, muscle, tapered, no_new)

    code = np.where(complete == TRUE, 0,
                    np.where(complete == UNKNOWN, 3,
                             np.where(partial == TRUE, 1, np.where(partial == FALSE, 2, 3))))
    week_positive = table.week > 0
    code = np.where(week_positive, code, 3)
    columns = pd.DataFrame({"response": category_series(code, RESPONSE_CATEGORIES,
                                                        table.index)}, index=table.index)

    cr_open = complete == UNKNOWN
    undecided = {
        "PRINTO inactive disease": cr_open & (_printo_tri(printo_cid) == UNKNOWN),
        "inactive skin": cr_open & (_bool_tri(skin_inactive) == UNKNOWN),
        "rash improved": ~cr_open & (skin_better == UNKNOWN),
        "muscle improved": ~cr_open & (muscle == UNKNOWN),
        "corticosteroid taper": ~cr_open & (tapered == UNKNOWN),
        "no new immunosuppressant": ~cr_open & (no_new == UNKNOWN),
    }
    warnings = table.patterned_warnings(
        undecided, week_positive & (code == 3), "response_not_evaluable",
        "response not evaluable: undecided {columns}",
        column_of={"PRINTO inactive disease": "printo_cid", "inactive skin": "skin_inactive",
                   "rash improved": "rash_improved", "muscle improved": None,
                   "corticosteroid taper": "cs_mg_kg_day",
                   "no new immunosuppressant": "new_immunosuppressant"})
    return CriterionResult(columns, warnings, response_methods())
