"""One entry point: classify every visit and patient by every definition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..protocol.dosing import check_jaki_dose, load_dose_reference
from ..protocol.steroids import cs_change, cs_discontinuation_events
from ..visit_table import VisitTable
from ..warning_log import RowSource, WarningLog
from .ctcae import classify_ctcae_liver
from .printo import classify_printo_cid
from .response import classify_response
from .settings import CriteriaSettings
from .severity import classify_refractory, classify_severe
from .skin import classify_rash_improved, classify_skin_inactive
from .tis import score_tis, tis_rules

__all__ = ["VISIT_COLUMNS", "Classification", "classify"]

# Derived visit columns, in the order Classification.visits holds them.
VISIT_COLUMNS = (
    "cs_change_pct", "printo_cid", "printo_cid_criteria_met", "skin_inactive",
    "rash_improved", "tis", "tis_category", "tis_enzyme", "response", "dose_check",
    "alt_ctcae_grade", "ast_ctcae_grade",
)


@dataclass(frozen=True)
class Classification:
    """Everything :func:`classify` derives.

    Attributes
    ----------
    visits
        Derived visit columns (:data:`VISIT_COLUMNS`), aligned on the visits index.
    patients
        ``severe``, ``severe_features``, ``refractory``, aligned on the patients index.
    events
        Derived event rows to append to the events table (``cs_discontinuation``).
    warnings
        Every data warning, definition by definition.
    methods
        The methods-section sentences for the settings used.
    tis_rules
        The percent-change rule used for each TIS core set measure (unverified rules,
        named so that a report can print them).
    settings
        The settings used.
    """

    visits: pd.DataFrame
    patients: pd.DataFrame
    events: pd.DataFrame
    warnings: WarningLog
    methods: list[str]
    tis_rules: Mapping[str, str] = field(default_factory=dict)
    settings: CriteriaSettings = field(default_factory=CriteriaSettings)


def _no_baseline_warnings(table: VisitTable) -> WarningLog:
    rows = np.flatnonzero(~table.has_baseline & (table.patient_code >= 0))
    _, first = np.unique(table.patient_code[rows], return_index=True)
    return table.row_warnings(
        np.sort(rows[first]), "no_baseline_visit",
        "no week-0 visit: cs_change_pct, tis, rash_improved and partial response (which "
        "compare with week 0) cannot be derived for this patient", "week")


def _settings_warnings(settings: CriteriaSettings) -> WarningLog:
    """A deprecated setting in use: one warning each (never an error)."""
    log = WarningLog()
    source = RowSource("settings", np.array([None], dtype=object), None, np.array([None]))
    for text in settings.deprecations():
        log.add_rows("setting_deprecated", text, source, np.array([0], dtype=np.intp),
                     column="tis_core_set")
    return log


def classify(visits: pd.DataFrame, patients: pd.DataFrame,
             events: pd.DataFrame | None = None,
             settings: CriteriaSettings | None = None) -> Classification:
    """Classify every visit and patient by every definition in jdmtrack.

    Parameters
    ----------
    visits
        Scored visits (``jdmtrack.cohort`` conventions): inputs plus ``cmas_total``,
        ``mmt8_total``, ``das_total``, ``cs_mg_kg_day``, ``jaki_mg_day``,
        ``jaki_mg_kg_day`` and ``egfr``. Absent columns count as missing.
    patients
        The patients table.
    events
        The events table, if any (a recorded ``cs_discontinuation`` wins over a derived
        one).
    settings
        :class:`CriteriaSettings`; None for the defaults.

    Returns
    -------
    Classification

    Raises
    ------
    InputError
        If a user-supplied dose reference table is unreadable or invalid.

    Examples
    --------
    >>> v = pd.DataFrame({"patient_id": ["1", "1"], "week": [0.0, 12.0],
    ...                   "cs_mg_kg_day": [1.0, 0.4], "ck_u_l": [400.0, 90.0],
    ...                   "cmas_total": [40.0, 50.0], "mmt8_total": [70.0, 79.0],
    ...                   "phga_cm": [5.0, 0.1]}, index=pd.Index([2, 3], name="row"))
    >>> p = pd.DataFrame({"patient_id": ["1"], "jaki_drug": ["tofacitinib"]},
    ...                  index=pd.Index([2], name="row"))
    >>> result = classify(v, p)
    >>> result.visits[["cs_change_pct", "printo_cid", "response"]].to_dict("list")
    {'cs_change_pct': [0.0, -60.0], 'printo_cid': ['not_met', 'met'], \
'response': ['not_evaluable', 'not_evaluable']}
    >>> result.events.to_dict("list")
    {'patient_id': [], 'event': [], 'week': []}
    """
    settings = CriteriaSettings() if settings is None else settings
    reference = load_dose_reference(settings.dose_reference)
    table = VisitTable(visits)

    steroids = cs_change(table)
    printo = classify_printo_cid(table, variant=settings.printo_cid_variant)
    skin = classify_skin_inactive(table)
    rash = classify_rash_improved(table)
    tis = score_tis(table, core_set=settings.core_set, population=settings.tis_population,
                    enzyme_rule=settings.tis_enzyme_rule,
                    uln_multiples=settings.tis_enzyme_uln_multiples)
    response = classify_response(
        table, printo_cid=printo.columns["printo_cid"],
        skin_inactive=skin.columns["skin_inactive"],
        rash_improved=rash.columns["rash_improved"])
    dose = check_jaki_dose(table, patients, reference)
    ctcae = classify_ctcae_liver(table)
    severe = classify_severe(patients, table)
    refractory = classify_refractory(patients, settings.refractory_definition)

    visit_results = (steroids, printo, skin, rash, tis, response, dose, ctcae)
    derived = pd.concat([r.columns for r in visit_results], axis=1)
    derived = derived.loc[:, list(VISIT_COLUMNS)]
    patient_frame = pd.concat([severe.columns, refractory.columns], axis=1)
    warnings = _settings_warnings(settings)
    warnings += _no_baseline_warnings(table)
    methods: list[str] = []
    for result in (*visit_results, severe, refractory):
        warnings += result.warnings
        methods += result.methods
    return Classification(
        visits=derived,
        patients=patient_frame,
        events=cs_discontinuation_events(table, events),
        warnings=warnings,
        methods=methods,
        tis_rules=tis_rules(settings.core_set, settings.tis_enzyme_rule,
                            settings.tis_enzyme_uln_multiples),
        settings=settings,
    )
