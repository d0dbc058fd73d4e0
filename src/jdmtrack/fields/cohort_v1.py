"""Cohort format, version 1: every table and column, as data.

This table is the single source of truth for validation, the blank template
workbook, the documentation page (docs/fields.md) and the REDCap data dictionary.
No other module writes a range or a choice list of its own.

Source tags used in ``source``:
- "design": the jdmtrack cohort-format contract (docs/fields.md).
- "plausibility": a limit jdmtrack chose to catch unit and typing errors (grams for
  kilograms, mm for cm); not a clinical threshold. Widen it if a real value falls outside.
- Instrument sources are cited by author and year; see docs/instruments.md.
"""

from __future__ import annotations

from .model import Field, Kind, Table

__all__ = [
    "EARLIEST_DATE",
    "FIELDS",
    "LIST_SEPARATOR",
    "TABLES",
    "VISIT_DATE_TOLERANCE_FRACTION",
    "VISIT_DATE_TOLERANCE_WEEKS",
]

LIST_SEPARATOR = ";"

# plausibility: no date of this cohort (births of people alive and treated with a JAK
# inhibitor, the first approved in 2012) falls before this; dates after today are refused too.
EARLIEST_DATE = "1900-01-01"

TABLES: tuple[Table, ...] = (
    Table("patients", True, ("patient_id",), "One row per patient: baseline characteristics."),
    Table("visits", True, ("patient_id", "week"), "One row per patient per assessment."),
    Table("events", False, (), "One row per dated clinical event (times finer than visits)."),
    Table("adverse_events", False, (), "One row per adverse event (onset week)."),
)

_PLAUS = "plausibility"
_PULSE = ("an IV methylprednisolone pulse (10-30 mg/kg, at most 1 g) is not a daily dose: give "
          "the oral daily dose here and record pulses in a column of your own, e.g. x_ivmp_mg_kg")
_CS_HINT = ("the daily oral dose is at most 2 mg/kg/day in JDM; is this mg/day typed as "
            f"mg/kg/day (mg/day go in cs_mg_day)? Or {_PULSE}")
_CS_MG_HINT = f"the daily oral dose is at most 60 mg/day in JDM; {_PULSE}"

# plausibility: a visit whose visit_date lies further from jaki_start_date + week than
# this many weeks, or this fraction of the week if larger, is warned about (the date or the
# week is likely mistyped). Two weeks is half the usual four-weekly visit interval.
VISIT_DATE_TOLERANCE_WEEKS = 2.0
VISIT_DATE_TOLERANCE_FRACTION = 0.25

# The visit schedule of the source studies (design.md: capture at weeks 0/4/12/24): the
# analysis weeks by default, the REDCap events, the demo cohorts' visits.
SCHEDULED_WEEKS: tuple[int, ...] = (0, 4, 12, 24)

# CMAS items in form order with their maxima; item maxima sum to 52.
# Items 1-7: Lovell et al. score sheet and Huber et al. 2004 (Arthritis Rheum 50:1595);
# items 8-14: maxima as on the same sheet and consistent with the 0-52 total (Huber 2004).
CMAS_ITEMS: tuple[tuple[str, str, int], ...] = (
    ("cmas_01", "Head elevation (neck flexion), duration", 5),
    ("cmas_02", "Leg raise / touch object", 2),
    ("cmas_03", "Straight leg lift, duration", 5),
    ("cmas_04", "Supine to prone", 3),
    ("cmas_05", "Sit-ups (six types, 1 point each)", 6),
    ("cmas_06", "Supine to sit", 3),
    ("cmas_07", "Arm raise / straighten", 3),
    ("cmas_08", "Arm raise, duration", 4),
    ("cmas_09", "Floor sit", 3),
    ("cmas_10", "All-fours manoeuvre", 4),
    ("cmas_11", "Floor rise", 4),
    ("cmas_12", "Chair rise", 4),
    ("cmas_13", "Stool step", 3),
    ("cmas_14", "Pick-up (object from floor)", 3),
)
CMAS_SOURCE = "Lovell 1999 (Arthritis Rheum 42:2213); Huber 2004 (Arthritis Rheum 50:1595)"

# MMT-8: IMACS Form 04; Kendall 0-10 scale per group, unilateral total 0-80 (Rider 2010,
# Arthritis Care Res 62:465).
MMT8_GROUPS: tuple[tuple[str, str], ...] = (
    ("mmt8_neck_flexors", "Neck flexors"),
    ("mmt8_deltoid", "Deltoid (middle)"),
    ("mmt8_biceps", "Biceps brachii"),
    ("mmt8_wrist_extensors", "Wrist extensors"),
    ("mmt8_gluteus_maximus", "Gluteus maximus"),
    ("mmt8_gluteus_medius", "Gluteus medius"),
    ("mmt8_quadriceps", "Quadriceps"),
    ("mmt8_ankle_dorsiflexors", "Ankle dorsiflexors"),
)
MMT8_SOURCE = "IMACS Form 04; Rider 2010 (Arthritis Care Res 62:465)"

MSA_CODES = (
    "negative", "tif1g", "nxp2", "mda5", "mi2", "sae", "jo1", "pl7", "pl12", "ej", "oj",
    "ks", "zo", "ha", "srp", "hmgcr", "pmscl", "u1rnp", "ku", "ro52", "other",
)
AGENT_CODES = (
    "methotrexate", "ivig", "ivmp", "hydroxychloroquine", "tacrolimus", "mycophenolate",
    "ciclosporin", "cyclophosphamide", "azathioprine", "thalidomide", "infliximab",
    "adalimumab", "etanercept", "tocilizumab", "rituximab", "abatacept", "sirolimus",
    "leflunomide", "other",
)
JAKI_DRUGS = ("tofacitinib", "ruxolitinib", "baricitinib")
EVENT_CODES = (
    "rash_improvement", "rash_marked_improvement", "rash_resolution",
    "cs_discontinuation", "relapse", "jaki_discontinuation",
)
AE_CATEGORIES = (
    "infection", "laboratory", "thromboembolic", "malignancy", "cardiovascular", "other",
)
# Adverse events of special interest for JAK inhibitors: the EMA's 2023 Article 20 review
# of JAK inhibitors (serious infections, VTE, MACE, malignancy) and the herpes zoster,
# viral reactivation and tuberculosis warnings of the tofacitinib, ruxolitinib and
# baricitinib labels. Serious infection and death are read from category/serious/outcome.
SPECIAL_INTEREST_CODES = (
    "herpes_zoster", "ebv_reactivation", "cmv_reactivation", "tuberculosis",
    "opportunistic_infection", "thromboembolism", "mace", "malignancy",
)
# The state of an organ manifestation at the last visit, against JAKi start (study B,
# Wang 2022: ILD improved/stable, calcinosis improved/stable, MAS resolved).
ORGAN_OUTCOMES = ("resolved", "improved", "stable", "worse")
# Why a CMAS could not be scored (study A, Ding 2021: a joint contracture; the CMAS manual
# (Lovell 1999) scores only what the child can attempt).
CMAS_NOT_SCORABLE = ("contracture", "too_young", "too_ill", "uncooperative", "other")
ENZYMES: tuple[tuple[str, str], ...] = (
    ("ck", "Creatine kinase (CK)"),
    ("aldolase", "Aldolase"),
    ("ast", "Aspartate aminotransferase (AST)"),
    ("alt", "Alanine aminotransferase (ALT)"),
    ("ldh", "Lactate dehydrogenase (LDH)"),
)


def _f(table: str, name: str, kind: Kind, label: str, **kw: object) -> Field:
    return Field(table, name, kind, label, **kw)  # type: ignore[arg-type]


def _patients() -> list[Field]:
    p = "patients"
    yes_no = [
        ("ild", "Interstitial lung disease at JAKi start"),
        ("calcinosis", "Calcinosis at JAKi start"),
        ("skin_ulceration", "Skin ulceration at JAKi start"),
        ("mas", "Macrophage activation syndrome at JAKi start"),
        ("gi_involvement", "Gastrointestinal involvement (vasculitis) at JAKi start"),
        ("cardiac_involvement", "Cardiac involvement (myocarditis) at JAKi start"),
        ("dysphagia", "Dysphagia or aspiration at JAKi start"),
        ("icu_admission", "Needed intensive care"),
    ]
    return [
        _f(p, "patient_id", "id", "Patient identifier", required=True, source="design",
           identifying=True),
        _f(p, "site", "text", "Centre", source="design"),
        _f(p, "sex", "choice", "Sex", choices=("F", "M"), source="design"),
        _f(p, "birth_date", "date", "Date of birth", identifying=True, source="design"),
        _f(p, "onset_date", "date", "Date of disease onset", identifying=True, source="design"),
        _f(p, "diagnosis_date", "date", "Date of diagnosis", identifying=True, source="design"),
        _f(p, "jaki_start_date", "date", "Date the JAK inhibitor was started",
           identifying=True, source="design"),
        _f(p, "age_onset_years", "number", "Age at disease onset", unit="years",
           minimum=0, maximum=30, source=_PLAUS),
        _f(p, "age_start_years", "number", "Age at JAKi start", unit="years",
           minimum=0, maximum=30, source=_PLAUS),
        _f(p, "disease_months", "number", "Disease duration, diagnosis to JAKi start",
           unit="months", minimum=0, maximum=360, source=_PLAUS),
        _f(p, "bohan_peter", "choice", "Bohan and Peter classification",
           choices=("definite", "probable", "possible"), source="Bohan & Peter 1975"),
        _f(p, "refractory_type", "choice", "Refractory type",
           choices=("gc_ineffective", "gc_dependent", "other"),
           source="design (Ding 2021 split)"),
        *[_f(p, name, "bool", label, group="severe_features", source="design; SHARE 2017")
          for name, label in yes_no],
        # Muscle involvement at JAKi start, as the clinician recorded it: study B (Wang 2022)
        # reports CMAS and MMT-8 for its 7 patients with muscle involvement, study A (Ding
        # 2021) counts 10 of 25 with decreased muscle strength. A recorded judgement, not
        # derived from CMAS/MMT-8 (the response rule's own muscle criterion is in criteria/).
        _f(p, "muscle_involvement", "bool", "Muscle involvement (weakness) at JAKi start",
           source="design; Wang 2022, Ding 2021"),
        _f(p, "msa", "list", "Myositis-specific/associated autoantibodies (positive)",
           choices=MSA_CODES, source="design"),
        *[_f(p, f"{organ}_outcome", "choice", f"{label} at the last visit, against JAKi start",
             choices=ORGAN_OUTCOMES, group="organ_outcomes", source="design; Wang 2022")
          for organ, label in (("ild", "Interstitial lung disease"), ("calcinosis", "Calcinosis"),
                               ("mas", "Macrophage activation syndrome"))],
        _f(p, "baseline_agents", "list", "Immunosuppressants at JAKi start",
           choices=AGENT_CODES, source="design"),
        _f(p, "failed_agents_n", "integer", "Number of steroid-sparing agents failed before JAKi",
           minimum=0, maximum=20, source=_PLAUS),
        _f(p, "jaki_drug", "choice", "JAK inhibitor", choices=JAKI_DRUGS, source="design"),
        _f(p, "jaki_stop_week", "number", "Week the JAKi was stopped", unit="weeks",
           minimum=0, maximum=1040, source=_PLAUS),
        _f(p, "jaki_stop_reason", "text", "Reason the JAKi was stopped", source="design"),
        _f(p, "followup_weeks", "number", "End of follow-up (weeks since JAKi start)",
           unit="weeks", minimum=0, maximum=1040, source=_PLAUS),
    ]


def _visits() -> list[Field]:
    v = "visits"
    fields = [
        _f(v, "patient_id", "id", "Patient identifier", required=True, source="design",
           identifying=True),
        _f(v, "week", "number", "Weeks since JAKi start", unit="weeks", required=True,
           minimum=0, maximum=1040, source="design"),
        _f(v, "visit_date", "date", "Visit date", identifying=True, source="design"),
        _f(v, "weight_kg", "number", "Weight", unit="kg", minimum=0, maximum=200,
           minimum_exclusive=True, source=_PLAUS),
        _f(v, "height_cm", "number", "Height", unit="cm", minimum=30, maximum=230,
           source=_PLAUS),
    ]
    for name, label, top in CMAS_ITEMS:
        fields.append(_f(v, name, "integer", f"CMAS {int(name[-2:])}: {label}", minimum=0,
                         maximum=top, group="cmas", source=CMAS_SOURCE))
    for item in ("01", "03", "08"):
        fields.append(_f(v, f"cmas_{item}_seconds", "number",
                         f"CMAS {int(item)}: time held", unit="s", minimum=0, maximum=3600,
                         group="cmas", source=CMAS_SOURCE))
    fields.append(_f(v, "cmas_total", "integer", "CMAS total (when items were not recorded)",
                     minimum=0, maximum=52, group="cmas", source=CMAS_SOURCE))
    for name, label in MMT8_GROUPS:
        fields.append(_f(v, name, "integer", f"MMT-8: {label}", minimum=0, maximum=10,
                         group="mmt8", source=MMT8_SOURCE))
    fields += [
        _f(v, "mmt8_total", "integer", "MMT-8 total, 0-80 (when groups were not recorded)",
           minimum=0, maximum=80, group="mmt8", source=MMT8_SOURCE),
        _f(v, "das_skin", "integer", "DAS skin domain", minimum=0, maximum=9, group="das",
           source="Bode 2003 (Arthritis Rheum 49:7)"),
        _f(v, "das_muscle", "integer", "DAS muscle-weakness domain", minimum=0, maximum=11,
           group="das", source="Bode 2003 (Arthritis Rheum 49:7)"),
        _f(v, "das_total", "integer", "DAS total (when domains were not recorded)", minimum=0,
           maximum=20, group="das", source="Bode 2003 (Arthritis Rheum 49:7)"),
        _f(v, "catbm_activity", "integer", "CAT-BM activity (binary method)", minimum=0,
           maximum=17, group="catbm", source="Huber 2008 (Arthritis Rheum 59:352)"),
        _f(v, "catbm_damage", "integer", "CAT-BM damage (binary method)", minimum=0,
           maximum=11, group="catbm", source="Huber 2008 (Arthritis Rheum 59:352)"),
        _f(v, "phga_cm", "number", "Physician global disease activity, 10-cm VAS", unit="cm",
           minimum=0, maximum=10, group="globals", source="IMACS core set (Rider 2004)"),
        _f(v, "ptga_cm", "number", "Patient/parent global disease activity, 10-cm VAS",
           unit="cm", minimum=0, maximum=10, group="globals",
           source="IMACS core set (Rider 2004)"),
        _f(v, "extramuscular_cm", "number", "Extramuscular global activity (MDAAT), 10-cm VAS",
           unit="cm", minimum=0, maximum=10, group="globals", source="MDAAT 2009"),
        _f(v, "chaq", "number", "CHAQ disability index", minimum=0, maximum=3,
           group="globals", source="Singh 1994 (Arthritis Rheum 37:1761)"),
        # Norm-based (general US population mean 50, SD 10; Landgraf 1996 CHQ manual), so
        # no fixed range: a population sample ranged -8.6 to 67.2 (Raat 2013, Qual Life Res
        # 22:917). PRINTO core set HRQoL measure (Ruperto 2010; Rider 2017 Table 3).
        _f(v, "chq_phs", "number", "CHQ physical summary score (PRINTO core set)",
           group="globals", source="CHQ-PF50 physical summary, norm-based: mean 50, SD 10 "
           "(Landgraf 1996); no fixed range (observed -8.6 to 67.2, Raat 2013)"),
    ]
    for code, label in ENZYMES:
        fields.append(_f(v, f"{code}_u_l", "number", label, unit="U/L", minimum=0,
                         group="labs", source="design"))
    for code, label in ENZYMES:
        fields.append(_f(v, f"{code}_uln_u_l", "number", f"{label}: upper limit of normal",
                         unit="U/L", minimum=0, minimum_exclusive=True, group="labs",
                         source="design"))
    fields += [
        _f(v, "creatinine_umol_l", "number", "Serum creatinine (IDMS-traceable)",
           unit="µmol/L", minimum=0, maximum=2000, minimum_exclusive=True, group="labs",
           source=_PLAUS),
        _f(v, "rash", "bool", "Active rash seen", group="skin", source="design"),
        _f(v, "reason_cmas_not_scored", "choice",
           "Why the CMAS could not be scored at this visit",
           choices=CMAS_NOT_SCORABLE, source="design; Ding 2021"),
        _f(v, "skin_ulceration_active", "bool", "Active skin ulceration", group="skin",
           source="design"),
        _f(v, "erythema", "bool", "Erythema", group="skin", source="design"),
        # Oral prednisolone for JDM is 1-2 mg/kg/day, at most 60 mg/day; IV methyl-
        # prednisolone pulses are 10-30 mg/kg, at most 1 g (SHARE, Bellutti Enders 2017,
        # Ann Rheum Dis 76:329). Above 2 mg/kg/day is more likely mg/day typed as mg/kg/day
        # or a pulse entered as a daily dose: warned, not refused (plausibility).
        _f(v, "cs_mg_kg_day", "number", "Corticosteroid dose, prednisone equivalent",
           unit="mg/kg/day", minimum=0, maximum=30, group="medication", source=_PLAUS,
           plausible_maximum=2, plausible_hint=_CS_HINT),
        _f(v, "cs_mg_day", "number", "Corticosteroid dose, prednisone equivalent",
           unit="mg/day", minimum=0, maximum=1000, group="medication", source=_PLAUS,
           plausible_maximum=60, plausible_hint=_CS_MG_HINT),
        _f(v, "jaki_mg_per_dose", "number", "JAKi dose per administration", unit="mg",
           minimum=0, maximum=50, group="medication", source=_PLAUS),
        _f(v, "jaki_doses_per_day", "number", "JAKi administrations per day", minimum=0,
           maximum=6, group="medication", source=_PLAUS),
        _f(v, "new_immunosuppressant", "bool", "Immunosuppressant added since JAKi start",
           group="medication", source="design"),
    ]
    return fields


def _events() -> list[Field]:
    e = "events"
    return [
        _f(e, "patient_id", "id", "Patient identifier", required=True, source="design",
           identifying=True),
        _f(e, "event", "choice", "Event", choices=EVENT_CODES, required=True, source="design"),
        _f(e, "week", "number", "Weeks since JAKi start", unit="weeks", required=True,
           minimum=0, maximum=1040, source="design"),
    ]


def _adverse_events() -> list[Field]:
    a = "adverse_events"
    return [
        _f(a, "patient_id", "id", "Patient identifier", required=True, source="design",
           identifying=True),
        _f(a, "week", "number", "Onset, weeks since JAKi start", unit="weeks", required=True,
           minimum=0, maximum=1040, source="design"),
        _f(a, "term", "text", "Adverse event term", required=True, source="design"),
        _f(a, "category", "choice", "Category", choices=AE_CATEGORIES, source="design"),
        _f(a, "ctcae_grade", "integer", "CTCAE v5 grade", minimum=1, maximum=5,
           source="CTCAE v5.0"),
        _f(a, "serious", "bool", "Serious adverse event", source="design"),
        _f(a, "special_interest", "choice", "Adverse event of special interest for JAKi",
           choices=SPECIAL_INTEREST_CODES, source="EMA Article 20 review of JAK inhibitors "
           "(2023); JAKi labels"),
        _f(a, "hospitalised", "bool", "Led to hospital admission", source="design"),
        _f(a, "action", "choice", "Action taken with the JAKi",
           choices=("none", "interrupted", "withdrawn"), source="design"),
        _f(a, "outcome", "choice", "Outcome", choices=("resolved", "ongoing", "fatal"),
           source="design"),
    ]


FIELDS: tuple[Field, ...] = (*_patients(), *_visits(), *_events(), *_adverse_events())
