"""Clinical definitions applied to scored visits: one module per definition.

Every function is pure and vectorised over a visits (or patients) table that follows the
conventions of :mod:`jdmtrack.cohort`; every threshold is a named constant with its
source; every definition also gives the sentences the report's methods section prints.

============================  ==========================================================
module                        definition
============================  ==========================================================
:mod:`.printo`                PRINTO clinically inactive disease (Lazarevic 2013)
:mod:`.tis`                   2016 ACR/EULAR Total Improvement Score (Rider 2017)
:mod:`.skin`                  inactive skin; rash improved
:mod:`.response`              CR / PR / NR as study B defined them
:mod:`.severity`              severe (SHARE high-risk) and refractory JDM, per patient
:mod:`.ctcae`                 CTCAE v5.0 grades of ALT and AST increase
:mod:`.classification`        :func:`classify`: all of the above plus
                              :mod:`jdmtrack.protocol` (steroid course, JAKi dose check)
============================  ==========================================================

See docs/criteria.md for sources, missing-data rules and what is unverified.
"""

from ..visit_table import CriterionResult
from .classification import VISIT_COLUMNS, Classification, classify
from .ctcae import classify_ctcae_liver
from .printo import classify_printo_cid
from .response import classify_response
from .settings import CriteriaSettings
from .severity import classify_refractory, classify_severe
from .skin import classify_rash_improved, classify_skin_inactive
from .tis import PERCENT_CHANGE_RULES, score_tis, tis_rules

__all__ = [
    "PERCENT_CHANGE_RULES",
    "VISIT_COLUMNS",
    "Classification",
    "CriteriaSettings",
    "CriterionResult",
    "classify",
    "classify_ctcae_liver",
    "classify_printo_cid",
    "classify_rash_improved",
    "classify_refractory",
    "classify_response",
    "classify_severe",
    "classify_skin_inactive",
    "score_tis",
    "tis_rules",
]
