"""CTCAE v5.0 grades of "ALT increased" and "AST increased" from the visit labs.

=====  ==============================  ==================================
grade  baseline normal (x ULN)          baseline abnormal (x baseline)
=====  ==============================  ==================================
1      > 1.0 - 3.0                      1.5 - 3.0
2      > 3.0 - 5.0                      > 3.0 - 5.0
3      > 5.0 - 20.0                     > 5.0 - 20.0
4      > 20.0                           > 20.0
=====  ==============================  ==================================

Conventions of ours: a value not elevated is grade **0** (so counts of grade >= 1 are
simple); a grade that cannot be derived is NaN with a warning. "Baseline" is the week-0
value of the same enzyme, judged normal against the week-0 ULN (the visit's ULN when the
week-0 ULN is missing). Week-0 visits are graded against the ULN, so that a patient who
starts with raised transaminases is visible. A visit graded without a known baseline gets
grade 0 when its value is at or below the ULN (both rules agree) and NaN otherwise.
Limits are compared exactly on the recorded decimals. Grade 5 (death) is not derivable
from labs.

References
----------
National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE)
version 5.0, 2017: "Alanine aminotransferase increased", "Aspartate aminotransferase
increased".
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..visit_table import CriterionResult, VisitTable, as_visit_table
from ..warning_log import WarningLog
from ._exact import count_multiples_reached, linear_sign

__all__ = [
    "BASELINE_GRADE_MULTIPLES",
    "CTCAE_ENZYMES",
    "ULN_GRADE_MULTIPLES",
    "classify_ctcae_liver",
    "ctcae_methods",
]

# CTCAE v5.0, ALT/AST increased, baseline normal: grade g when value > m_g x ULN.
ULN_GRADE_MULTIPLES: tuple[Fraction, ...] = (Fraction(1), Fraction(3), Fraction(5),
                                             Fraction(20))
# CTCAE v5.0, ALT/AST increased, baseline abnormal: grade 1 at 1.5 x baseline (inclusive,
# "1.5 - 3.0 x baseline"), grades 2-4 above 3.0, 5.0 and 20.0 x baseline.
BASELINE_GRADE_MULTIPLES: tuple[Fraction, ...] = (Fraction(3, 2), Fraction(3), Fraction(5),
                                                  Fraction(20))
# Enzyme code -> (value column, ULN column, output column).
CTCAE_ENZYMES: tuple[tuple[str, str, str], ...] = (
    ("alt_u_l", "alt_uln_u_l", "alt_ctcae_grade"),
    ("ast_u_l", "ast_uln_u_l", "ast_ctcae_grade"),
)

Floats = npt.NDArray[np.float64]


def ctcae_methods() -> list[str]:
    """The methods-section sentence for the laboratory grades."""
    return [
        "ALT and AST increases were graded by CTCAE v5.0 against the upper limit of normal "
        "(ULN) when the week-0 value was normal and against the week-0 value when it was "
        "abnormal; values not raised were grade 0, and values without a ULN were not graded.",
    ]


def _grade(value: Floats, reference: Floats, multiples: tuple[Fraction, ...],
           inclusive_first: bool) -> Floats:
    inclusive = [inclusive_first] + [False] * (len(multiples) - 1)
    return count_multiples_reached(value, reference, multiples, inclusive)


def classify_ctcae_liver(visits: pd.DataFrame | VisitTable) -> CriterionResult:
    """CTCAE v5.0 grade (0-4) of ALT and AST increase at each visit.

    Parameters
    ----------
    visits
        Visits with ``alt_u_l``, ``alt_uln_u_l``, ``ast_u_l``, ``ast_uln_u_l``.

    Returns
    -------
    CriterionResult
        ``columns``: ``alt_ctcae_grade`` and ``ast_ctcae_grade`` (float 0-4; NaN when the
        value is missing, silently, or cannot be graded, with a warning).

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1"] * 3 + ["2"] * 2,
    ...                   "week": [0.0, 4.0, 12.0, 0.0, 4.0],
    ...                   "alt_u_l": [30.0, 120.0, 121.0, 80.0, 120.0],
    ...                   "alt_uln_u_l": [40.0, 40.0, 40.0, 40.0, 40.0]})
    >>> classify_ctcae_liver(v).columns["alt_ctcae_grade"].tolist()
    [0.0, 1.0, 2.0, 1.0, 1.0]
    """
    table = as_visit_table(visits)
    columns: dict[str, pd.Series] = {}
    warnings = WarningLog()
    for value_col, uln_col, out_col in CTCAE_ENZYMES:
        value = table.number(value_col)
        uln = table.number(uln_col)
        base = table.at_baseline(value)
        base_uln = table.at_baseline(uln)
        base_uln = np.where(np.isnan(base_uln), uln, base_uln)
        by_uln = _grade(value, uln, ULN_GRADE_MULTIPLES, inclusive_first=False)
        by_base = _grade(value, base, BASELINE_GRADE_MULTIPLES, inclusive_first=True)
        base_sign = linear_sign([(Fraction(1), base), (Fraction(-1), base_uln)])
        base_abnormal = (base_sign > 0) & ~table.is_baseline
        base_unknown = np.isnan(base_sign) & ~table.is_baseline
        grade = np.where(base_abnormal, by_base, by_uln)
        no_uln = ~np.isnan(value) & np.isnan(uln)
        undecided = base_unknown & (by_uln > 0)
        grade = np.where(np.isnan(value) | no_uln | undecided, np.nan, grade)
        columns[out_col] = pd.Series(grade, index=table.index)
        warnings += table.row_warnings(
            np.flatnonzero(no_uln), "ctcae_no_uln",
            f"{out_col} not graded: {value_col} given without {uln_col}", uln_col)
        warnings += table.row_warnings(
            np.flatnonzero(undecided & ~no_uln), "ctcae_no_baseline",
            f"{out_col} not graded: {value_col} is above the ULN and its week-0 value (or "
            f"that week's ULN) is missing, so the CTCAE rule cannot be chosen", value_col)
    return CriterionResult(pd.DataFrame(columns, index=table.index), warnings,
                           ctcae_methods())
