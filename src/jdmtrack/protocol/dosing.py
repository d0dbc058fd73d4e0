"""JAK-inhibitor dose check against a reference table (data, not code).

The reference table is a CSV file, one row per band:

==================== ===========================================================
column               meaning
==================== ===========================================================
drug                 ``tofacitinib`` / ``ruxolitinib`` / ``baricitinib``
weight_min_kg        band's lower weight, inclusive (empty: no lower limit)
weight_max_kg        band's upper weight, exclusive (empty: no upper limit)
egfr_min, egfr_max   eGFR band (mL/min/1.73 m2), min inclusive, max exclusive
recommended          ``yes``; ``no`` flags the band "not recommended"
reference_mg_day     reference daily dose: less is ``below_reference``
maximum_mg_day       maximum daily dose: more is ``above_maximum``
reference_mg_kg_day  optional reference in mg/kg/day
maximum_mg_kg_day    optional maximum in mg/kg/day
source               where the band comes from (required)
==================== ===========================================================

The bundled table (``jdmtrack/data/dose_reference/jaki_dose_reference.csv``) holds the
bands of Ding 2021 for tofacitinib and ruxolitinib (< 25 kg 2.5 mg twice daily, >= 25 kg
5 mg twice daily, highest dose used 7.5 mg twice daily) and the paediatric label bands of
baricitinib (10 to < 30 kg 2 mg once daily, >= 30 kg 4 mg once daily; eGFR 30 to < 60
halves the dose; eGFR < 30 not recommended). No JAKi is licensed for JDM: these are
references, not recommendations. A user table replaces it through the settings; it is
read and checked as a cohort table is (``jdmtrack.protocol.dose_reference``).

Each visit's ``dose_check`` is ``ok``, ``below_reference``, ``above_maximum``,
``not_recommended`` or ``not_evaluable``. When weight or eGFR is missing the check is
still decided if every band the visit could fall in gives the same answer. Visits at or
after ``jaki_stop_week`` are ``not_evaluable`` (off drug, no warning). Daily doses are
compared after rounding to 1 microgram (6 decimals), which removes the binary residue of
the mg-per-dose x doses-per-day product without moving any real dose.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import visit_table as tri
from ..fields import JAKI_DRUGS
from ..visit_table import CriterionResult, VisitTable, as_visit_table
from .dose_reference import (
    DOSE_REFERENCE_COLUMNS,
    DoseBand,
    DoseReference,
    load_dose_reference,
    parse_dose_reference,
)

__all__ = [
    "DOSE_CHECK_CATEGORIES",
    "DOSE_DECIMALS",
    "DOSE_REFERENCE_COLUMNS",
    "DoseBand",
    "DoseReference",
    "check_jaki_dose",
    "dose_methods",
    "load_dose_reference",
    "parse_dose_reference",
]

# Doses are compared at 1 microgram resolution (see the module docstring).
DOSE_DECIMALS = 6

DOSE_CHECK_CATEGORIES = ("ok", "below_reference", "above_maximum", "not_recommended",
                         "not_evaluable")
_OK, _BELOW, _ABOVE, _NOT_RECOMMENDED, _UNDECIDED = range(5)


def dose_methods(reference: DoseReference) -> list[str]:
    """The methods-section sentence for the dose check."""
    if reference.bundled:
        table = ("the bundled reference bands (tofacitinib and ruxolitinib: Ding et al. "
                 "2021, < 25 kg 2.5 mg and >= 25 kg 5 mg twice daily, maximum 7.5 mg twice "
                 "daily; baricitinib: paediatric label, 10 to < 30 kg 2 mg and >= 30 kg 4 mg "
                 "once daily, halved for eGFR 30 to < 60, not recommended below 30)")
    else:
        table = f"the reference table {Path(reference.path).name}"
    return [
        f"JAK-inhibitor daily doses (mg per dose x doses per day) were compared with {table} "
        "by weight and eGFR band and classed as below the reference, above the maximum, "
        "in a not-recommended band, or adequate.",
    ]


def _band_tri(values: npt.NDArray[np.float64], low: float, high: float, banded: bool
              ) -> npt.NDArray[np.int8]:
    if not banded:
        return np.full(len(values), tri.TRUE, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        inside = (values >= low) & (values < high)
    return tri.tri_from_bool(inside, ~np.isnan(values))


def _verdict(band: DoseBand, mg_day: npt.NDArray[np.float64],
             mg_kg_day: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    n = len(mg_day)
    if not band.recommended:
        return np.full(n, _NOT_RECOMMENDED, dtype=np.intp)
    above = np.zeros(n, dtype=np.bool_)
    below = np.zeros(n, dtype=np.bool_)
    unknown = np.zeros(n, dtype=np.bool_)
    for dose, reference, maximum in ((mg_day, band.reference_mg_day, band.maximum_mg_day),
                                     (mg_kg_day, band.reference_mg_kg_day,
                                      band.maximum_mg_kg_day)):
        if reference is None and maximum is None:
            continue
        unknown |= np.isnan(dose)
        with np.errstate(invalid="ignore"):
            if maximum is not None:
                above |= dose > maximum
            if reference is not None:
                below |= dose < reference
    verdict = np.where(above, _ABOVE, np.where(below, _BELOW, _OK))
    return np.asarray(np.where(unknown, _UNDECIDED, verdict), dtype=np.intp)


def check_jaki_dose(visits: pd.DataFrame | VisitTable, patients: pd.DataFrame,
                    reference: DoseReference | None = None) -> CriterionResult:
    """Compare each visit's JAKi dose with the reference band it falls in.

    Parameters
    ----------
    visits
        Scored visits with ``jaki_mg_day``, ``jaki_mg_kg_day``, ``weight_kg``, ``egfr``.
    patients
        ``patient_id``, ``jaki_drug`` and optionally ``jaki_stop_week``.
    reference
        A table from :func:`load_dose_reference`; None uses the bundled table.

    Returns
    -------
    CriterionResult
        ``columns["dose_check"]``; a warning per ``not_evaluable`` visit on drug.

    Examples
    --------
    >>> p = pd.DataFrame({"patient_id": ["1", "2"], "jaki_drug": ["ruxolitinib", "baricitinib"]})
    >>> v = pd.DataFrame({"patient_id": ["1", "1", "2", "2"], "week": [0.0, 4.0, 0.0, 4.0],
    ...                   "weight_kg": [24.9, 25.0, 35.0, 35.0], "egfr": [110.0, 110.0, 90.0, 25.0],
    ...                   "jaki_mg_day": [5.0, 5.0, 4.0, 4.0]})
    >>> check_jaki_dose(v, p).columns["dose_check"].tolist()
    ['ok', 'below_reference', 'ok', 'not_recommended']
    """
    table = as_visit_table(visits)
    reference = load_dose_reference() if reference is None else reference
    n = table.n
    # Per patient code: the drug (index into JAKI_DRUGS, -1 unknown) and the stop week.
    drug_of = np.full(len(table.patient_ids), -1, dtype=np.intp)
    stop_of = np.full(len(table.patient_ids), np.nan)
    if "patient_id" in patients.columns:
        codes = table.codes_of(patients["patient_id"])
        known = codes >= 0
        if "jaki_drug" in patients.columns:
            drugs = pd.Index(JAKI_DRUGS, dtype=object).get_indexer(
                pd.Index(patients["jaki_drug"].to_numpy(dtype=object), dtype=object))
            drug_of[codes[known]] = drugs[known]
        if "jaki_stop_week" in patients.columns:
            stops = pd.to_numeric(patients["jaki_stop_week"], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan)
            stop_of[codes[known]] = stops[known]
    drug = table.per_patient(drug_of, table.patient_code, -1)
    stop = table.per_patient(stop_of, table.patient_code, np.nan)
    weight, egfr = table.number("weight_kg"), table.number("egfr")
    mg_day = np.round(table.number("jaki_mg_day"), DOSE_DECIMALS)
    mg_kg_day = np.round(table.number("jaki_mg_kg_day"), DOSE_DECIMALS)

    agreed = np.full(n, -1, dtype=np.intp)
    conflict = np.zeros(n, dtype=np.bool_)
    weight_needed = np.zeros(n, dtype=np.bool_)
    egfr_needed = np.zeros(n, dtype=np.bool_)
    drug_known = drug >= 0
    for band in reference.bands:
        same_drug = tri.tri_from_bool(drug == JAKI_DRUGS.index(band.drug), drug_known)
        w = _band_tri(weight, band.weight_min_kg, band.weight_max_kg, band.weight_banded)
        e = _band_tri(egfr, band.egfr_min, band.egfr_max, band.egfr_banded)
        match = tri.both(same_drug, w, e)
        candidate = match != tri.FALSE
        weight_needed |= (same_drug == tri.TRUE) & (w == tri.UNKNOWN)
        egfr_needed |= (same_drug == tri.TRUE) & (e == tri.UNKNOWN)
        verdict = _verdict(band, mg_day, mg_kg_day)
        conflict |= candidate & (agreed >= 0) & (agreed != verdict)
        agreed = np.where(candidate & (agreed < 0), verdict, agreed)
    code = np.where((agreed >= 0) & ~conflict, agreed, _UNDECIDED)
    with np.errstate(invalid="ignore"):
        off_drug = table.week >= stop
    code = np.where(off_drug, _UNDECIDED, code)
    columns = pd.DataFrame({"dose_check": tri.category_series(code, DOSE_CHECK_CATEGORIES,
                                                          table.index)}, index=table.index)
    undecided = (code == _UNDECIDED) & ~off_drug
    no_dose = np.isnan(mg_day) & np.isnan(mg_kg_day)
    missing = {
        "jaki_drug": ~drug_known,
        "jaki_mg_day": drug_known & no_dose,
        "weight_kg": drug_known & ~no_dose & weight_needed,
        "egfr": drug_known & ~no_dose & egfr_needed,
    }
    explained = missing["jaki_drug"] | missing["jaki_mg_day"] | missing["weight_kg"] | \
        missing["egfr"]
    warnings = table.patterned_warnings(missing, undecided & explained,
                                        "dose_check_not_evaluable",
                                        "JAKi dose not checked: {columns} missing")
    no_band = np.flatnonzero(undecided & ~explained)
    for position, name in enumerate(JAKI_DRUGS):
        warnings += table.row_warnings(
            no_band[drug[no_band] == position], "dose_check_no_band",
            f"JAKi dose not checked: no band of {reference.path} covers {name} at the "
            "visit's weight and eGFR", "weight_kg")
    return CriterionResult(columns, warnings, dose_methods(reference))
