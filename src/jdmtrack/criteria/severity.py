"""Baseline classification of each patient: severe (high-risk) JDM and refractory JDM.

**Severe JDM** follows the SHARE "high-risk" list (Bellutti Enders et al. 2017, Table 1):
any one of the features recorded by the cohort format makes a patient severe:

- CMAS < 15 or MMT-8 < 30 at the week-0 visit (the table gives no MMT scale; 0-80 assumed);
- dysphagia or aspiration, gastrointestinal involvement (vasculitis), cardiac involvement
  (myocarditis), interstitial lung disease, skin ulceration, need for intensive care;
- onset before age 1 year (onset date before the first birthday; ``age_onset_years``
  when the dates are not given).

Two SHARE features have no column in cohort format v1 ("unable to get out of bed" and
CNS disease), so "no" means "none of the recorded features". Decided when the known
features decide it: any feature present gives ``yes``; all recorded features known absent
give ``no``; anything else is ``not_evaluable``.

**Refractory JDM** has no consensus definition; the setting chooses one:

- ``"refractory_type"`` (Ding 2021, study A): refractory when a refractory type
  (glucocorticoid-ineffective, glucocorticoid-dependent, other) is recorded. An empty
  cell is missing data, so this definition gives ``yes`` or ``not_evaluable``, never ``no``.
- ``"failed_agents"`` (Yu 2021): refractory when ``failed_agents_n`` >= 2. Yu's
  alternative arm ("or high-dose steroids") is not captured by the count.

References
----------
Bellutti Enders F, Bader-Meunier B, Baildam E, et al. Consensus-based recommendations for
the management of juvenile dermatomyositis. Ann Rheum Dis. 2017;76(2):329-340.

Ding Y, Huang B, Wang Y, et al. Janus kinase inhibitor significantly improved rash and
muscle strength in juvenile dermatomyositis. Ann Rheum Dis. 2021;80.
doi:10.1136/annrheumdis-2020-218582

Yu Z, Wang L, Quan M, Zhang T, Song H. Successful management with Janus kinase inhibitor
tofacitinib in refractory juvenile dermatomyositis: a pilot study and literature review.
Rheumatology (Oxford). 2021;60(4):1700-1707.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..visit_table import (
    TRUE,
    UNKNOWN,
    CriterionResult,
    VisitTable,
    as_visit_table,
    category_series,
    compare,
    either,
    tri_from_bool,
)
from ..warning_log import RowSource, WarningLog
from .settings import RefractoryDefinition

__all__ = [
    "FAILED_AGENTS_MIN",
    "ONSET_AGE_BELOW_YEARS",
    "SEVERE_CMAS_BELOW",
    "SEVERE_FEATURES",
    "SEVERE_MMT8_BELOW",
    "YES_NO",
    "classify_refractory",
    "classify_severe",
    "severity_methods",
]

# SHARE (Bellutti Enders 2017, Table 1): severe weakness, CMAS < 15.
SEVERE_CMAS_BELOW = 15.0
# SHARE (Bellutti Enders 2017, Table 1): MMT8 < 30 (scale not stated; 0-80 assumed).
SEVERE_MMT8_BELOW = 30.0
# SHARE (Bellutti Enders 2017, Table 1): age < 1 year (at onset).
ONSET_AGE_BELOW_YEARS = 1
# Yu 2021 (Rheumatology 60:1700): refractory = failed two or more steroid-sparing agents.
FAILED_AGENTS_MIN = 2.0

# Feature code -> the patients column recording it (yes/no). SHARE Table 1 items.
_PATIENT_FLAGS: tuple[tuple[str, str], ...] = (
    ("dysphagia", "dysphagia"),
    ("gi_involvement", "gi_involvement"),
    ("cardiac_involvement", "cardiac_involvement"),
    ("ild", "ild"),
    ("skin_ulceration", "skin_ulceration"),
    ("icu_admission", "icu_admission"),
)
# Every feature code, in the order ``severe_features`` lists them.
SEVERE_FEATURES: tuple[str, ...] = (
    "cmas_below_15", "mmt8_below_30", *(code for code, _ in _PATIENT_FLAGS),
    "onset_before_age_1")

YES_NO = ("no", "not_evaluable", "yes")

Tri = npt.NDArray[np.int8]


def severity_methods(refractory_definition: RefractoryDefinition = "refractory_type"
                     ) -> list[str]:
    """The methods-section sentences for severe and refractory JDM."""
    refractory = {
        "refractory_type": "Refractory JDM was a recorded refractory type "
                           "(glucocorticoid-ineffective, glucocorticoid-dependent or other; "
                           "Ding et al. 2021).",
        "failed_agents": "Refractory JDM was failure of two or more steroid-sparing agents "
                         "(Yu et al. 2021).",
    }[refractory_definition]
    return [
        "Severe (high-risk) JDM was any SHARE high-risk feature (Bellutti Enders et al. "
        "2017) recorded at JAKi start: CMAS < 15 or MMT-8 < 30 at week 0, dysphagia, "
        "gastrointestinal or cardiac involvement, interstitial lung disease, skin "
        "ulceration, intensive care, or onset before age 1 year; inability to get out of "
        "bed and CNS disease were not recorded.",
        refractory,
    ]


def _patient_tri(patients: pd.DataFrame, name: str) -> Tri:
    if name not in patients.columns:
        return np.full(len(patients), UNKNOWN, dtype=np.int8)
    floats = patients[name].astype("boolean").to_numpy(dtype=np.float64, na_value=np.nan)
    return tri_from_bool(floats == 1.0, ~np.isnan(floats))


def _baseline_by_patient(table: VisitTable, codes: npt.NDArray[np.intp], column: str
                         ) -> npt.NDArray[np.float64]:
    """Each patient's week-0 value of ``column`` (NaN without a week-0 visit)."""
    rows = np.flatnonzero(table.is_baseline & (table.patient_code >= 0))
    of_patient = np.full(len(table.patient_ids), np.nan)
    of_patient[table.patient_code[rows]] = table.number(column)[rows]
    return table.per_patient(of_patient, codes, np.nan)


def _onset_before_age_1(patients: pd.DataFrame) -> Tri:
    n = len(patients)
    if "birth_date" in patients.columns and "onset_date" in patients.columns:
        birth = pd.to_datetime(patients["birth_date"])
        onset = pd.to_datetime(patients["onset_date"])
        first_birthday = birth + pd.DateOffset(years=ONSET_AGE_BELOW_YEARS)
        known_dates = (birth.notna() & onset.notna()).to_numpy()
        by_dates = (onset < first_birthday).to_numpy(dtype=np.bool_, na_value=False)
    else:
        known_dates = np.zeros(n, dtype=np.bool_)
        by_dates = np.zeros(n, dtype=np.bool_)
    if "age_onset_years" in patients.columns:
        years = pd.to_numeric(patients["age_onset_years"], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan)
    else:
        years = np.full(n, np.nan)
    by_years = compare(years, "<", float(ONSET_AGE_BELOW_YEARS))
    return np.where(known_dates, tri_from_bool(by_dates, known_dates), by_years).astype(np.int8)


def _bit_pattern(flags: list[npt.NDArray[np.bool_]]) -> npt.NDArray[np.int64]:
    pattern = np.zeros(len(flags[0]), dtype=np.int64)
    for bit, flag in enumerate(flags):
        pattern |= flag.astype(np.int64) << bit
    return pattern


def _features_of(pattern: int) -> tuple[str, ...]:
    return tuple(code for bit, code in enumerate(SEVERE_FEATURES) if pattern >> bit & 1)


# Severe feature code -> the input column that decides it (for the warning's column).
_FEATURE_COLUMNS: dict[str, str] = {
    "cmas_below_15": "cmas_total", "mmt8_below_30": "mmt8_total",
    **{code: column for code, column in _PATIENT_FLAGS},
    "onset_before_age_1": "onset_date",
}


def classify_severe(patients: pd.DataFrame, visits: pd.DataFrame | VisitTable
                    ) -> CriterionResult:
    """Severe (SHARE high-risk) JDM at JAKi start, per patient.

    Parameters
    ----------
    patients
        One row per patient: ``patient_id``, the yes/no feature columns, ``birth_date``,
        ``onset_date`` and/or ``age_onset_years``.
    visits
        Scored visits; the week-0 ``cmas_total`` and ``mmt8_total`` are used.

    Returns
    -------
    CriterionResult
        ``columns`` aligned on the patients index: ``severe`` (``yes`` / ``no`` /
        ``not_evaluable``) and ``severe_features`` (tuple of the feature codes present,
        in :data:`SEVERE_FEATURES` order). A warning per ``not_evaluable`` patient names
        the undetermined features.

    Examples
    --------
    >>> p = pd.DataFrame({"patient_id": ["1", "2", "3"],
    ...                   "ild": pd.array([False, True, False], dtype="boolean"),
    ...                   "age_onset_years": [4.0, 6.0, 0.5]})
    >>> v = pd.DataFrame({"patient_id": ["1", "2"], "week": [0.0, 0.0],
    ...                   "cmas_total": [40.0, np.nan], "mmt8_total": [70.0, 75.0]})
    >>> out = classify_severe(p, v).columns
    >>> out["severe"].tolist()
    ['not_evaluable', 'yes', 'yes']
    >>> out["severe_features"].tolist()
    [(), ('ild',), ('onset_before_age_1',)]
    """
    table = as_visit_table(visits)
    codes = (table.codes_of(patients["patient_id"]) if "patient_id" in patients.columns
             else np.full(len(patients), -1, dtype=np.intp))
    states: dict[str, Tri] = {
        "cmas_below_15": compare(_baseline_by_patient(table, codes, "cmas_total"), "<",
                                 SEVERE_CMAS_BELOW),
        "mmt8_below_30": compare(_baseline_by_patient(table, codes, "mmt8_total"), "<",
                                 SEVERE_MMT8_BELOW),
    }
    for code, column in _PATIENT_FLAGS:
        states[code] = _patient_tri(patients, column)
    states["onset_before_age_1"] = _onset_before_age_1(patients)
    ordered = [states[code] for code in SEVERE_FEATURES]
    severe = either(*ordered)
    present = _bit_pattern([s == TRUE for s in ordered])
    patterns, inverse = np.unique(present, return_inverse=True)
    tuples = np.empty(len(patterns), dtype=object)
    tuples[:] = [_features_of(int(p)) for p in patterns]
    features = pd.Series(tuples[inverse.reshape(-1)], index=patients.index, dtype=object)
    columns = pd.DataFrame({"severe": category_series(severe, YES_NO, patients.index),
                            "severe_features": features}, index=patients.index)
    undecided = severe == UNKNOWN
    source = RowSource.of_frame("patients", patients)
    warnings = WarningLog()
    for code in SEVERE_FEATURES:
        warnings.add_mask("severe_not_evaluable",
                          f"severe JDM not evaluable: {code} undetermined", source,
                          undecided & (states[code] == UNKNOWN),
                          column=_FEATURE_COLUMNS[code], kind="completeness")
    return CriterionResult(columns, warnings, severity_methods()[:1])


def classify_refractory(patients: pd.DataFrame,
                        definition: RefractoryDefinition = "refractory_type"
                        ) -> CriterionResult:
    """Refractory JDM per patient, by the chosen definition.

    Returns
    -------
    CriterionResult
        ``columns["refractory"]`` (``yes`` / ``no`` / ``not_evaluable``) aligned on the
        patients index, with a warning per ``not_evaluable`` patient.

    Examples
    --------
    >>> p = pd.DataFrame({"patient_id": ["1", "2", "3"],
    ...                   "refractory_type": ["gc_dependent", None, None],
    ...                   "failed_agents_n": [1.0, 2.0, np.nan]})
    >>> classify_refractory(p).columns["refractory"].tolist()
    ['yes', 'not_evaluable', 'not_evaluable']
    >>> classify_refractory(p, "failed_agents").columns["refractory"].tolist()
    ['no', 'yes', 'not_evaluable']
    """
    n = len(patients)
    if definition == "refractory_type":
        column = "refractory_type"
        if column in patients.columns:
            values = patients[column]
            recorded = (values.notna() & (values != "")).to_numpy(dtype=np.bool_)
        else:
            recorded = np.zeros(n, dtype=np.bool_)
        state = np.where(recorded, TRUE, UNKNOWN).astype(np.int8)
    else:
        column = "failed_agents_n"
        failed = (pd.to_numeric(patients[column], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan) if column in patients.columns
            else np.full(n, np.nan))
        state = compare(failed, ">=", FAILED_AGENTS_MIN)
    columns = pd.DataFrame({"refractory": category_series(state, YES_NO, patients.index)},
                           index=patients.index)
    warnings = WarningLog()
    warnings.add_mask("refractory_not_evaluable",
                      f"refractory JDM not evaluable: {column} missing",
                      RowSource.of_frame("patients", patients), state == UNKNOWN,
                      column=column, kind="completeness")
    return CriterionResult(columns, warnings, severity_methods(definition)[1:])
