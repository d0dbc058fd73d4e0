"""Doses per kilogram: corticosteroid (prednisone equivalent) and JAK inhibitor.

Pure arithmetic on the recorded doses and the weight measured at the same visit. Weight
is never carried from another visit: a dose per kg without a weight on the same row is
missing (with a warning), not estimated.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["daily_dose", "per_kg"]


def per_kg(dose: npt.ArrayLike, weight_kg: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Dose divided by weight; NaN where either is missing.

    >>> per_kg([20.0, 10.0, np.nan], [40.0, np.nan, 30.0]).tolist()
    [0.5, nan, nan]
    """
    d = np.asarray(dose, dtype="float64")
    w = np.asarray(weight_kg, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        result: npt.NDArray[np.float64] = np.where(w > 0, d / w, np.nan)
    return result


def daily_dose(mg_per_dose: npt.ArrayLike, doses_per_day: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """mg/day from mg per administration and administrations per day.

    >>> daily_dose([2.5, 4.0], [2, 1]).tolist()
    [5.0, 4.0]
    """
    product: npt.NDArray[np.float64] = (np.asarray(mg_per_dose, dtype="float64")
                                        * np.asarray(doses_per_day, dtype="float64"))
    return product
