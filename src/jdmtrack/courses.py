"""Per-patient courses derived from the visits, as patient columns (usable with ``--where``).

* ``enzymes_high_start``: a muscle enzyme (CK, LDH or aldolase) above its laboratory upper
  limit of normal at week 0 (study A, Ding 2021: "CK and/or LDH abnormal at JAKi start");
  ``no`` when every one measured is at or below it; missing when none was measured.
* ``enzymes_high_throughout``: above the limit at every visit where an enzyme was measured
  (study A's "persistently high muscle enzymes"); missing without a measured visit.
* ``cmas_course``: the CMAS at the patient's last scored visit against week 0, ``improved``,
  ``unchanged`` or ``worse`` (study A's "7 patients who improved", "2 unchanged"); missing
  without both.

Flags are nullable booleans, as the recorded yes/no patient fields are read.

>>> import pandas as pd
>>> v = pd.DataFrame({"patient_id": ["a", "a", "b", "b"], "week": [0, 24, 0, 24],
...                   "ck_u_l": [250, 90, 80, 85], "ck_uln_u_l": [200] * 4,
...                   "cmas_total": [30, 40, 47, 47]})
>>> out = patient_courses(v, pd.Series(["a", "b", "c"]))
>>> [None if pd.isna(x) else bool(x) for x in out["enzymes_high_start"]]
[True, False, None]
>>> [None if pd.isna(x) else bool(x) for x in out["enzymes_high_throughout"]]
[False, False, None]
>>> out["cmas_course"].tolist()
['improved', 'unchanged', None]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MUSCLE_ENZYMES", "patient_courses"]

# Enzymes released from damaged muscle (Bohan & Peter 1975's "elevation of serum skeletal
# muscle enzymes"); AST/ALT are also liver enzymes and are left out.
MUSCLE_ENZYMES = ("ck", "ldh", "aldolase")


def _boolean(flag: pd.Series) -> pd.Series:
    return flag.astype("boolean")


def patient_courses(visits: pd.DataFrame, patient_ids: pd.Series) -> pd.DataFrame:
    """The derived patient columns, one row per ``patient_ids`` entry (same index)."""
    high = pd.Series(False, index=visits.index)
    measured = pd.Series(False, index=visits.index)
    for enzyme in MUSCLE_ENZYMES:
        value, limit = f"{enzyme}_u_l", f"{enzyme}_uln_u_l"
        if value in visits.columns and limit in visits.columns:
            v = pd.to_numeric(visits[value], errors="coerce")
            u = pd.to_numeric(visits[limit], errors="coerce")
            known = v.notna() & u.notna()
            measured |= known
            high |= known & (v > u)
    frame = pd.DataFrame({"patient_id": visits["patient_id"],
                          "week": pd.to_numeric(visits["week"], errors="coerce"),
                          "high": high, "measured": measured})
    labs = frame[frame["measured"]]
    start = labs[labs["week"] == 0].groupby("patient_id")["high"].any()
    throughout = labs.groupby("patient_id")["high"].all()
    course = pd.Series(dtype=object)
    if "cmas_total" in visits.columns:
        cmas = frame.assign(cmas=pd.to_numeric(visits["cmas_total"], errors="coerce"))
        cmas = cmas[cmas["cmas"].notna()].sort_values(["patient_id", "week"])
        first = cmas[cmas["week"] == 0].groupby("patient_id")["cmas"].first()
        later = cmas[cmas["week"] > 0].groupby("patient_id")["cmas"].last()
        both = first.index.intersection(later.index)
        diff = later[both] - first[both]
        course = pd.Series(np.select([diff > 0, diff < 0], ["improved", "worse"], "unchanged"),
                           index=both, dtype=object)
    ids = patient_ids.to_numpy()
    return pd.DataFrame({
        "enzymes_high_start": _boolean(start.reindex(ids)).to_numpy(),
        "enzymes_high_throughout": _boolean(throughout.reindex(ids)).to_numpy(),
        "cmas_course": pd.Series([None if pd.isna(c) else str(c) for c in course.reindex(ids)],
                                 dtype=object, index=patient_ids.index),
    }, index=patient_ids.index)
