"""Columns that `jdmtrack score` adds to the visits table, as data (for the docs page).

Each derived column is defined by the module named in ``source``; this list only
describes it. Categories that cannot be decided are written ``not_evaluable``;
booleans are written ``yes``/``no``.
"""

from __future__ import annotations

from .model import Field

__all__ = ["DERIVED_FIELDS"]

_V = "visits"

DERIVED_FIELDS: tuple[Field, ...] = (
    Field(_V, "cmas_total", "integer", "CMAS total 0-52: sum of the 14 items, else as given",
          minimum=0, maximum=52, group="cmas", source="jdmtrack.instruments.cmas",
          derived=True),
    Field(_V, "mmt8_total", "integer", "MMT-8 total 0-80: sum of the 8 groups, else as given",
          minimum=0, maximum=80, group="mmt8", source="jdmtrack.instruments.mmt8",
          derived=True),
    Field(_V, "das_total", "integer", "DAS total 0-20: skin + muscle domains, else as given",
          minimum=0, maximum=20, group="das", source="jdmtrack.instruments.das", derived=True),
    Field(_V, "cs_mg_kg_day", "number", "Corticosteroid mg/kg/day: as given, else mg/day / kg",
          unit="mg/kg/day", minimum=0, group="medication",
          source="jdmtrack.instruments.dosing", derived=True),
    Field(_V, "jaki_mg_day", "number", "JAKi daily dose: mg per dose x doses per day",
          unit="mg/day", minimum=0, group="medication", source="jdmtrack.instruments.dosing",
          derived=True),
    Field(_V, "jaki_mg_kg_day", "number", "JAKi daily dose per kg", unit="mg/kg/day",
          minimum=0, group="medication", source="jdmtrack.instruments.dosing", derived=True),
    Field(_V, "egfr", "number", "eGFR, bedside Schwartz (Schwartz 2009)",
          unit="mL/min/1.73 m²", minimum=0, group="labs", source="jdmtrack.instruments.egfr",
          derived=True),
    # Criteria and protocol (jdmtrack.criteria.classify); see docs/criteria.md.
    Field(_V, "cs_change_pct", "number", "Corticosteroid dose change from week 0",
          unit="%", minimum=-100, group="medication", source="jdmtrack.protocol.steroids",
          derived=True),
    Field(_V, "printo_cid", "choice", "PRINTO clinically inactive disease (Lazarevic 2013)",
          choices=("met", "not_met", "not_evaluable"), group="criteria",
          source="jdmtrack.criteria.printo", derived=True),
    Field(_V, "printo_cid_criteria_met", "integer", "PRINTO CID criteria known to be met",
          minimum=0, maximum=4, group="criteria", source="jdmtrack.criteria.printo",
          derived=True),
    Field(_V, "skin_inactive", "bool", "Inactive skin: skin-DAS <= 1, no ulceration/erythema",
          group="criteria", source="jdmtrack.criteria.skin", derived=True),
    Field(_V, "rash_improved", "bool", "Rash improved from week 0", group="criteria",
          source="jdmtrack.criteria.skin", derived=True),
    Field(_V, "tis", "number", "2016 ACR/EULAR Total Improvement Score (Rider 2017)",
          minimum=0, maximum=100, group="criteria", source="jdmtrack.criteria.tis",
          derived=True),
    Field(_V, "tis_category", "choice", "TIS response category",
          choices=("none", "minimal", "moderate", "major", "not_evaluable"),
          group="criteria", source="jdmtrack.criteria.tis", derived=True),
    Field(_V, "tis_enzyme", "text",
          "Enzyme column followed in the TIS (most abnormal at week 0); empty if none",
          group="criteria", source="jdmtrack.criteria.tis", derived=True),
    Field(_V, "response", "choice", "Response as study B defined it (CR/PR/NR)",
          choices=("CR", "PR", "NR", "not_evaluable"), group="criteria",
          source="jdmtrack.criteria.response", derived=True),
    Field(_V, "dose_check", "choice", "JAKi dose vs the dose reference table",
          choices=("ok", "below_reference", "above_maximum", "not_recommended",
                   "not_evaluable"),
          group="medication", source="jdmtrack.protocol.dosing", derived=True),
    Field(_V, "alt_ctcae_grade", "integer", "CTCAE v5.0 grade of ALT increase (0 = none)",
          minimum=0, maximum=4, group="labs", source="jdmtrack.criteria.ctcae", derived=True),
    Field(_V, "ast_ctcae_grade", "integer", "CTCAE v5.0 grade of AST increase (0 = none)",
          minimum=0, maximum=4, group="labs", source="jdmtrack.criteria.ctcae", derived=True),
    # Patient courses read from the visits (jdmtrack.courses), usable with --where.
    Field("patients", "enzymes_high_start", "bool",
          "A muscle enzyme (CK, LDH, aldolase) above its upper limit of normal at week 0",
          group="courses", source="jdmtrack.courses", derived=True),
    Field("patients", "enzymes_high_throughout", "bool",
          "A muscle enzyme above its upper limit of normal at every visit measured",
          group="courses", source="jdmtrack.courses", derived=True),
    Field("patients", "cmas_course", "choice", "CMAS at the last scored visit against week 0",
          choices=("improved", "unchanged", "worse"), group="courses",
          source="jdmtrack.courses", derived=True),
)
