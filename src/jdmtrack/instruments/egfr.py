"""Estimated GFR by the bedside Schwartz equation.

Source: Schwartz GJ et al. New equations to estimate GFR in children with CKD.
J Am Soc Nephrol 2009;20:629-637: eGFR (mL/min/1.73 m²) = 0.413 x height (cm) / serum
creatinine (mg/dL), for IDMS-traceable enzymatic creatinine, derived in children aged 1-16.
Creatinine is recorded in µmol/L and converted with 88.4 µmol/L per mg/dL.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["CREATININE_UMOL_PER_MG_DL", "SCHWARTZ_K", "egfr_bedside_schwartz"]

SCHWARTZ_K = 0.413  # Schwartz 2009, bedside equation
CREATININE_UMOL_PER_MG_DL = 88.4  # molar mass of creatinine 113.12 g/mol


def egfr_bedside_schwartz(
    height_cm: npt.ArrayLike, creatinine_umol_l: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """eGFR in mL/min/1.73 m²; NaN where either input is missing.

    Hand check: height 130 cm, creatinine 44.2 µmol/L = 0.5 mg/dL, so
    0.413 x 130 / 0.5 = 107.38.

    >>> float(egfr_bedside_schwartz(130.0, 44.2)[()])
    107.38
    """
    height = np.asarray(height_cm, dtype="float64")
    creatinine_mg_dl = np.asarray(creatinine_umol_l, dtype="float64") / CREATININE_UMOL_PER_MG_DL
    with np.errstate(divide="ignore", invalid="ignore"):
        egfr = SCHWARTZ_K * height / creatinine_mg_dl
    return np.where(creatinine_mg_dl > 0, egfr, np.nan)
