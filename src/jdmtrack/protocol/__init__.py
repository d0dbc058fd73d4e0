"""Treatment protocol: corticosteroid course and JAK-inhibitor dose check.

:mod:`.steroids` gives ``cs_change_pct`` and derived ``cs_discontinuation`` events;
:mod:`.dosing` checks JAKi doses against a replaceable reference table (CSV data).
Both are applied by :func:`jdmtrack.criteria.classify`.
"""

from .dosing import DoseBand, DoseReference, check_jaki_dose, load_dose_reference
from .steroids import cs_change, cs_discontinuation_events

__all__ = [
    "DoseBand",
    "DoseReference",
    "check_jaki_dose",
    "cs_change",
    "cs_discontinuation_events",
    "load_dose_reference",
]
