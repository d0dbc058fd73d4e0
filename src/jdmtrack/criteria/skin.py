"""Inactive skin and improved rash.

**Inactive skin** (study B, the baricitinib series of Wang et al. 2022): skin-DAS <= 1
(of 9) with no active ulceration and no erythema. Decided whenever the known inputs
decide it: any clause known to fail gives False, all clauses known to hold give True,
anything else is missing (NA).

**Rash improved** (vs the week-0 visit of the same patient), study B's "skin-DAS
improved": a skin score recorded at both visits decides: skin-DAS below its week-0 value
(CAT-BM activity below its week-0 value when the skin-DAS pair is incomplete). Only when
neither score is recorded at both visits does the rash yes/no count: a rash present at
week 0 and absent now is improved; otherwise it is undetermined (a persisting rash may
still score lower). So a skin-DAS that has not fallen is a definite "not improved",
whatever else is missing.
Week-0 visits and visits without a week-0 visit are NA.

References
----------
Wang et al., Front Pediatr 2022: baricitinib in 20 children with refractory and/or
severe JDM, single centre, retrospective ("study B"; its response definitions).

Bode RK, Klein-Gitelman MS, Miller ML, et al. Disease activity score for children with
dermatomyositis. Arthritis Rheum. 2003;49(1):7-15 (skin-DAS, 0-9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..visit_table import (
    TRUE,
    UNKNOWN,
    CriterionResult,
    VisitTable,
    as_visit_table,
    both,
    compare,
    negate,
    tri_from_bool,
    tri_series,
)

__all__ = [
    "SKIN_DAS_INACTIVE_MAX",
    "classify_rash_improved",
    "classify_skin_inactive",
    "skin_methods",
]

# Study B (Wang 2022, Front Pediatr; methods): inactive skin-DAS "<= 1/9" without cutaneous
# ulceration or erythema.
SKIN_DAS_INACTIVE_MAX = 1.0


def skin_methods() -> list[str]:
    """The methods-section sentences for inactive skin and improved rash."""
    return [
        "Skin was inactive when skin-DAS was <= 1 (of 9) with no active skin ulceration and "
        "no erythema; it was left undetermined only when the recorded items could not "
        "decide it.",
        "Rash was improved when skin-DAS was below its week-0 value (CAT-BM activity when "
        "skin-DAS was not recorded at both visits); only when neither score was recorded at "
        "both visits, when a rash present at week 0 was absent (otherwise undetermined).",
    ]


def classify_skin_inactive(visits: pd.DataFrame | VisitTable) -> CriterionResult:
    """Inactive skin at each visit (nullable boolean ``skin_inactive``).

    Parameters
    ----------
    visits
        Visits with ``das_skin`` (float), ``skin_ulceration_active`` and ``erythema``
        (nullable boolean).

    Returns
    -------
    CriterionResult
        ``columns["skin_inactive"]``; a warning per undecided visit names what is missing.

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1"] * 4, "week": [0.0, 4.0, 12.0, 24.0],
    ...                   "das_skin": [1.0, 1.0, 2.0, np.nan],
    ...                   "skin_ulceration_active": pd.array([False, None, None, False],
    ...                                                      dtype="boolean"),
    ...                   "erythema": pd.array([False, False, False, False], dtype="boolean")})
    >>> classify_skin_inactive(v).columns["skin_inactive"].tolist()
    [True, <NA>, False, <NA>]
    """
    table = as_visit_table(visits)
    das_ok = compare(table.number("das_skin"), "<=", SKIN_DAS_INACTIVE_MAX)
    ulcer = table.tri("skin_ulceration_active")
    erythema = table.tri("erythema")
    state = both(das_ok, negate(ulcer), negate(erythema))
    columns = pd.DataFrame({"skin_inactive": tri_series(state, table.index)},
                           index=table.index)
    missing = {"das_skin": das_ok == UNKNOWN, "skin_ulceration_active": ulcer == UNKNOWN,
               "erythema": erythema == UNKNOWN}
    warnings = table.patterned_warnings(missing, state == UNKNOWN, "skin_inactive_unknown",
                                        "inactive skin undetermined: {columns} missing")
    return CriterionResult(columns, warnings, skin_methods()[:1])


def classify_rash_improved(visits: pd.DataFrame | VisitTable) -> CriterionResult:
    """Rash improved vs week 0 at each follow-up visit (nullable boolean ``rash_improved``).

    Parameters
    ----------
    visits
        Visits with ``das_skin``, ``catbm_activity`` (float) and ``rash`` (nullable
        boolean).

    Returns
    -------
    CriterionResult
        ``columns["rash_improved"]``: NA at week 0 and without a week-0 visit; a warning
        per undecided follow-up visit.

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1"] * 4, "week": [0.0, 4.0, 12.0, 24.0],
    ...                   "das_skin": [6.0, 6.0, np.nan, 2.0],
    ...                   "catbm_activity": [7.0, 8.0, 3.0, np.nan],
    ...                   "rash": pd.array([True, True, True, True], dtype="boolean")})
    >>> classify_rash_improved(v).columns["rash_improved"].tolist()
    [<NA>, False, True, True]
    """
    table = as_visit_table(visits)
    das = table.number("das_skin")
    das_base = table.at_baseline(das)
    cat = table.number("catbm_activity")
    cat_base = table.at_baseline(cat)
    das_pair = ~np.isnan(das) & ~np.isnan(das_base)
    cat_pair = ~np.isnan(cat) & ~np.isnan(cat_base)
    scored = das_pair | cat_pair
    with np.errstate(invalid="ignore"):
        score_lower = tri_from_bool(np.where(das_pair, das < das_base, cat < cat_base), scored)
    rash = table.tri("rash")
    rash_base = table.at_baseline(rash, missing=UNKNOWN).astype(np.int8)
    cleared = both(rash_base, negate(rash))
    state = np.where(scored, score_lower, np.where(cleared == TRUE, TRUE, UNKNOWN))
    state = np.where(table.is_followup, state, UNKNOWN).astype(np.int8)
    columns = pd.DataFrame({"rash_improved": tri_series(state, table.index)},
                           index=table.index)
    missing = {"das_skin": ~das_pair, "catbm_activity": ~cat_pair,
               "rash": ~scored & ((rash == UNKNOWN) | (rash_base == UNKNOWN))}
    warnings = table.patterned_warnings(
        missing, table.is_followup & (state == UNKNOWN), "rash_improved_unknown",
        "rash improvement undetermined: {columns} missing at this visit or at week 0")
    return CriterionResult(columns, warnings, skin_methods()[1:])
