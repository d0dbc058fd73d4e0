"""PRINTO criteria for clinically inactive disease in JDM (Lazarevic et al. 2013).

A visit is inactive when at least three of four criteria are met: CK <= 150 U/L,
CMAS >= 48, MMT-8 >= 78 and physician global activity <= 0.2 cm on the 10-cm VAS.

The threshold for the physician global is 0.2 cm (2 mm), as in the original abstract;
one of the source studies printed "<= 2 cm", a factor-10 error.

**Almeida 2015 variant** (setting ``printo_cid_variant = "almeida_2015"``): Almeida et al.
found that the PRINTO criteria label active skin disease inactive and proposed making the
physician global (<= 0.2 cm) mandatory: inactive when PhGA <= 0.2 cm **and** at least two
of the other three criteria are met (3 of 4 with PhGA among them).

Missing criteria (the papers do not define a rule): decided whenever the known criteria
decide it, as three-valued logic over the components. Lazarevic: ``met`` when at least
three criteria are known to be met; ``not_met`` when, even counting every missing
criterion as met, fewer than three could be; otherwise ``not_evaluable``. Almeida: also
``not_met`` when PhGA is known to be above 0.2 cm, whatever else is missing.

References
----------
Lazarevic D, Pistorio A, Palmisani E, et al. The PRINTO criteria for clinically inactive
disease in juvenile dermatomyositis. Ann Rheum Dis. 2013;72(5):686-693.
doi:10.1136/annrheumdis-2012-201483

Almeida B, Campanilho-Marques R, Arnold K, et al. Analysis of published criteria for
clinically inactive disease in a large juvenile dermatomyositis cohort shows that skin
disease is underestimated. Arthritis Rheumatol. 2015;67(9):2495-2502.
doi:10.1002/art.39200
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..visit_table import FALSE, TRUE, UNKNOWN, CriterionResult, VisitTable, as_visit_table, compare
from .settings import PrintoCidVariant

__all__ = [
    "CK_MAX_U_L",
    "CMAS_MIN",
    "MMT8_MIN",
    "PHGA_MAX_CM",
    "PRINTO_CATEGORIES",
    "PRINTO_CRITERIA_NEEDED",
    "classify_printo_cid",
    "printo_cid_methods",
]

# Lazarevic 2013 (Ann Rheum Dis 72:686), abstract: CK <= 150 U/L (absolute, not vs ULN).
CK_MAX_U_L = 150.0
# Lazarevic 2013: CMAS >= 48 (of 52).
CMAS_MIN = 48.0
# Lazarevic 2013: MMT-8 >= 78 (of 80).
MMT8_MIN = 78.0
# Lazarevic 2013: physician global activity VAS <= 0.2 (cm on a 10-cm line, i.e. 2 mm).
PHGA_MAX_CM = 0.2
# Lazarevic 2013: at least 3 of the 4 criteria.
PRINTO_CRITERIA_NEEDED = 3

PRINTO_CATEGORIES = ("not_met", "not_evaluable", "met")

# (column, comparison, threshold) of each criterion, in the paper's order.
_CRITERIA = (
    ("ck_u_l", "<=", CK_MAX_U_L),
    ("cmas_total", ">=", CMAS_MIN),
    ("mmt8_total", ">=", MMT8_MIN),
    ("phga_cm", "<=", PHGA_MAX_CM),
)


def printo_cid_methods(variant: PrintoCidVariant = "lazarevic_2013") -> list[str]:
    """The methods-section sentences for this definition."""
    if variant == "almeida_2015":
        return [
            "Clinically inactive disease was defined by the PRINTO criteria (Lazarevic et al., "
            "Ann Rheum Dis 2013) as modified by Almeida et al. (Arthritis Rheumatol 2015, "
            "doi:10.1002/art.39200): physician global activity <= 0.2 cm on a 10-cm visual "
            "analogue scale (mandatory) and at least two of creatine kinase <= 150 U/L, "
            "CMAS >= 48 and MMT-8 >= 78.",
            "A visit with missing criteria was classified whenever the known criteria decided "
            "it (not inactive when physician global activity exceeded 0.2 cm, or when two of "
            "the other criteria could not be met even if every missing one were met), and as "
            "not evaluable otherwise.",
        ]
    return [
        "Clinically inactive disease was defined by the PRINTO criteria (Lazarevic et al., "
        "Ann Rheum Dis 2013) as at least three of: creatine kinase <= 150 U/L, CMAS >= 48, "
        "MMT-8 >= 78 and physician global activity <= 0.2 cm on a 10-cm visual analogue "
        "scale.",
        "A visit with missing criteria was classified as inactive when three criteria were "
        "known to be met, as not inactive when three could not be met even if every missing "
        "criterion were met, and as not evaluable otherwise.",
    ]


def classify_printo_cid(visits: pd.DataFrame | VisitTable,
                        variant: PrintoCidVariant = "lazarevic_2013") -> CriterionResult:
    """Classify each visit by the PRINTO criteria for clinically inactive disease.

    Parameters
    ----------
    visits
        Scored visits with ``ck_u_l``, ``cmas_total``, ``mmt8_total`` and ``phga_cm``
        (float64, NaN missing; an absent column counts as missing).
    variant
        ``"lazarevic_2013"`` (3 of 4) or ``"almeida_2015"`` (PhGA <= 0.2 cm mandatory,
        plus 2 of the other 3).

    Returns
    -------
    CriterionResult
        ``columns``: ``printo_cid`` (``met`` / ``not_met`` / ``not_evaluable``) and
        ``printo_cid_criteria_met`` (float count of criteria known to be met, 0-4).
        One warning per ``not_evaluable`` visit names the missing criteria.

    References
    ----------
    Lazarevic D, et al. Ann Rheum Dis. 2013;72(5):686-693.

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1", "1", "2"], "week": [0.0, 12.0, 0.0],
    ...                   "ck_u_l": [90.0, 200.0, np.nan], "cmas_total": [50.0, 47.0, 52.0],
    ...                   "mmt8_total": [80.0, 70.0, 80.0], "phga_cm": [0.2, 3.0, 0.5]})
    >>> out = classify_printo_cid(v).columns
    >>> out["printo_cid"].tolist(), out["printo_cid_criteria_met"].tolist()
    (['met', 'not_met', 'not_evaluable'], [4.0, 0.0, 2.0])

    Almeida 2015: a visit meeting CK, CMAS and MMT-8 but with PhGA 0.3 cm is not inactive.

    >>> w = pd.DataFrame({"patient_id": ["1"], "week": [0.0], "ck_u_l": [90.0],
    ...                   "cmas_total": [50.0], "mmt8_total": [80.0], "phga_cm": [0.3]})
    >>> [classify_printo_cid(w, v).columns["printo_cid"].iloc[0]
    ...  for v in ("lazarevic_2013", "almeida_2015")]
    ['met', 'not_met']
    """
    table = as_visit_table(visits)
    met = np.zeros(table.n, dtype=np.int64)
    unknown = np.zeros(table.n, dtype=np.int64)
    missing = {}
    states = {}
    for column, op, threshold in _CRITERIA:
        state = compare(table.number(column), op, threshold)
        states[column] = state
        met += state == TRUE
        unknown += state == UNKNOWN
        missing[column] = state == UNKNOWN
    code = np.where(met >= PRINTO_CRITERIA_NEEDED, 2,
                    np.where(met + unknown < PRINTO_CRITERIA_NEEDED, 0, 1))
    if variant == "almeida_2015":
        # PhGA mandatory: with it counted among the three, "3 of 4 including PhGA".
        phga = states["phga_cm"]
        code = np.where(phga == FALSE, 0, np.where(phga == UNKNOWN, np.minimum(code, 1), code))
    columns = pd.DataFrame({
        "printo_cid": pd.Series(np.array(PRINTO_CATEGORIES, dtype=object)[code],
                                index=table.index, dtype=object),
        "printo_cid_criteria_met": pd.Series(met.astype(np.float64), index=table.index),
    }, index=table.index)
    warnings = table.patterned_warnings(
        missing, code == 1, "printo_cid_not_evaluable",
        "PRINTO inactive disease not evaluable: {columns} missing")
    return CriterionResult(columns, warnings, printo_cid_methods(variant))
