"""What a registry records about the latent patients of a SYNTHETIC cohort: the four
cohort tables as CSV columns, each score derived from the latent muscle and skin activity
(see ``_synthetic``), with the gaps real registries have."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..fields import CMAS_ITEMS, JAKI_DRUGS, MMT8_GROUPS, field
from ._csvbytes import Bytes, choice, fixed, integer, text
from ._latent import START, LatentCohort, clip01, draw_codes

__all__ = ["adverse_events", "events", "patients", "visits"]

F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

_AGENTS = ("methotrexate", "ivig", "hydroxychloroquine", "mycophenolate", "tacrolimus",
           "ciclosporin", "cyclophosphamide", "rituximab")
_AGENT_P = (0.8, 0.4, 0.15, 0.12, 0.08, 0.05, 0.03, 0.03)
_MSA = ("negative", "tif1g", "nxp2", "mda5", "mi2", "sae", "jo1", "pmscl", "other")
_MSA_P = (0.22, 0.30, 0.20, 0.09, 0.05, 0.03, 0.03, 0.02, 0.06)
_DRUGS = JAKI_DRUGS
_STOP_REASONS = ("ineffective", "adverse event", "cost", "remission", "family decision")
_EVENTS = field("events", "event").choices
_AE_CATEGORIES = field("adverse_events", "category").choices
_AE_CATEGORY_P = (0.68, 0.16, 0.015, 0.005, 0.02, 0.12)


def _codes_of(table: str, name: str) -> tuple[str, ...]:
    """A field's codes in dictionary order (the order the code probabilities follow)."""
    return field(table, name).choices


_AE_TERMS: tuple[tuple[str, ...], ...] = (
    ("Upper respiratory tract infection", "Herpes zoster", "Gastroenteritis", "Pneumonia",
     "Urinary tract infection", "Conjunctivitis"),
    ("Alanine aminotransferase increased", "Neutrophil count decreased",
     "Lymphocyte count decreased", "Blood creatinine increased", "Blood cholesterol increased"),
    ("Deep vein thrombosis", "Pulmonary embolism"),
    ("Lymphoma",),
    ("Hypertension",),
    ("Headache", "Nausea", "Acne", "Weight increased"),
)
# Relative difficulty of each CMAS item and MMT-8 group: how much of a given muscle
# activity shows in it (proximal endurance items and muscles weaken first). Invented.
_CMAS_DIFFICULTY = np.array([1.3, 0.7, 1.3, 0.9, 1.2, 1.0, 0.8, 1.2, 1.0, 1.1, 1.1, 1.0,
                             0.9, 0.7])
_MMT8_DIFFICULTY = np.array([1.3, 1.1, 0.8, 0.6, 1.2, 1.2, 1.0, 0.6])


def _yes_no(values: Bool, missing: Bool | None = None) -> Bytes:
    codes = values.astype(np.int64)
    if missing is not None:
        codes = np.where(missing, -1, codes)
    return choice(codes, ("no", "yes"))


def _nan_where(values: F64, missing: Bool) -> F64:
    return np.where(missing, np.nan, values)


def _list_vocabulary(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Every ';'-joined subset of ``codes`` (in order), indexed by its bit mask."""
    return tuple(";".join(c for bit, c in enumerate(codes) if mask >> bit & 1)
                 for mask in range(1 << len(codes)))


def patients(c: LatentCohort) -> list[tuple[str, Bytes]]:
    """One row per patient: demographics, disease features, treatment."""
    rng, n = c.rng, c.n
    start = START + c.start_days.astype("timedelta64[D]")
    features = {}
    for name, p in (("ild", 0.12), ("mas", 0.03), ("gi_involvement", 0.03),
                    ("cardiac_involvement", 0.02), ("dysphagia", 0.08),
                    ("icu_admission", 0.03)):
        features[name] = _yes_no(rng.random(n) < p, rng.random(n) < 0.03)
    msa = draw_codes(rng, n, _MSA_P)
    ro52 = (rng.random(n) < 0.1) & (msa > 0)
    msa_vocab = tuple(f"{m};ro52" if r else m for m in _MSA for r in (False, True))
    msa_code = np.where(rng.random(n) < 0.1, -1, msa * 2 + ro52)
    agents = np.zeros(n, dtype=np.int64)
    for bit, p in enumerate(_AGENT_P):
        agents |= (rng.random(n) < p).astype(np.int64) << bit
    agents = np.where(agents == 0, 1, agents)
    return [
        ("patient_id", c.ids),
        ("site", choice(c.site, tuple(f"SYNTHETIC-{i + 1:02d}" for i in range(24)))),
        ("sex", choice(np.where(c.female, 0, 1), _codes_of("patients", "sex"))),
        ("jaki_start_date", text(np.datetime_as_string(start, unit="D"))),
        ("age_onset_years", fixed(c.onset, 1)),
        ("age_start_years", fixed(c.age, 1)),
        ("disease_months", fixed(c.months, 1)),
        ("bohan_peter", choice(draw_codes(rng, n, (0.7, 0.25, 0.05)),
                               _codes_of("patients", "bohan_peter"))),
        ("refractory_type", choice(np.where(rng.random(n) < 0.05, -1,
                                            draw_codes(rng, n, (0.35, 0.55, 0.10))),
                                   _codes_of("patients", "refractory_type"))),
        ("ild", features["ild"]),
        ("calcinosis", _yes_no(c.calcinosis)),
        ("skin_ulceration", _yes_no(c.ulcer)),
        ("mas", features["mas"]),
        ("gi_involvement", features["gi_involvement"]),
        ("cardiac_involvement", features["cardiac_involvement"]),
        ("dysphagia", features["dysphagia"]),
        ("icu_admission", features["icu_admission"]),
        ("muscle_involvement", _yes_no(c.muscle_involved)),
        ("msa", choice(msa_code, msa_vocab)),
        ("baseline_agents", choice(agents, _list_vocabulary(_AGENTS))),
        ("failed_agents_n", integer(rng.integers(1, 4, n).astype(np.float64))),
        ("jaki_drug", choice(c.drug, _DRUGS)),
        ("jaki_stop_week", fixed(c.stop, 1)),
        ("jaki_stop_reason", choice(c.stop_reason, _STOP_REASONS)),
        ("followup_weeks", fixed(c.followup, 1)),
    ]

def visits(c: LatentCohort) -> list[tuple[str, Bytes]]:
    """One row per visit: the scores, laboratory values and doses."""
    rng = c.rng
    p, t = c.v_patient, c.v_week
    m = len(t)
    muscle = c.activity(c.muscle0, c.muscle_residual, c.muscle_tau, 0.03)
    skin = c.activity(c.skin0, c.skin_residual, c.skin_tau, 0.04)
    on_drug = ~(t > np.nan_to_num(c.stop, nan=np.inf)[p])
    date = (START + c.start_days[p].astype("timedelta64[D]")
            + np.rint(t * 7).astype(np.int64).astype("timedelta64[D]"))
    weight = np.round(c.weight0[p] + 0.04 * t, 1)
    cols: list[tuple[str, Bytes]] = [
        ("patient_id", c.ids[p]),
        ("week", fixed(t, 1)),
        ("visit_date", text(np.datetime_as_string(date, unit="D"))),
        ("weight_kg", fixed(weight, 1)),
        ("height_cm", integer(np.round(c.height0[p] + 0.12 * t))),
    ]
    cols += _muscle_columns(c, muscle)
    das_skin = np.rint(9 * clip01(skin + rng.normal(0, 0.04, m)))
    das_muscle = np.rint(11 * clip01(muscle + rng.normal(0, 0.04, m)))
    catbm = np.clip(np.rint(17 * 0.75 * skin + rng.normal(0, 0.5, m)), 0, 17)
    phga = np.round(10 * clip01(0.6 * np.maximum(skin, muscle)
                                 + 0.3 * (skin + muscle) / 2 + rng.normal(0, 0.03, m)), 1)
    ptga = np.round(np.clip(phga + rng.normal(0, 0.8, m), 0, 10), 1)
    extramuscular = np.round(np.clip(7 * skin + rng.normal(0, 0.5, m), 0, 10), 1)
    chaq = np.rint(24 * clip01(0.8 * muscle + rng.normal(0, 0.04, m))) / 8
    cols += [
        ("das_skin", integer(das_skin)),
        ("das_muscle", integer(das_muscle)),
        ("catbm_activity", integer(catbm)),
        ("catbm_damage", integer(np.minimum(c.damage[p], 11).astype(np.float64))),
        ("phga_cm", fixed(phga, 1)),
        ("ptga_cm", fixed(ptga, 1)),
        ("extramuscular_cm", fixed(extramuscular, 1)),
        ("chaq", fixed(chaq, 3)),
    ]
    cols += _lab_columns(c, muscle)
    rash = das_skin >= 2
    cs = c.steroid()
    cs_missing = c.cs_in_mg[p]
    cs_mg = np.round(cs * weight / 2.5) * 2.5
    new_is = t >= c.new_is_week[p]
    cols += [
        ("rash", _yes_no(rash)),
        ("skin_ulceration_active", _yes_no(c.ulcer[p] & (skin > 0.4))),
        ("erythema", _yes_no(rash & (rng.random(m) < 0.9))),
        ("cs_mg_kg_day", fixed(_nan_where(cs, cs_missing), 2)),
        ("cs_mg_day", fixed(_nan_where(cs_mg, ~cs_missing), 1)),
        ("jaki_mg_per_dose", fixed(_nan_where(c.mg_dose[p], ~on_drug), 1)),
        ("jaki_doses_per_day", integer(_nan_where(c.per_day[p], ~on_drug))),
        ("new_immunosuppressant", _yes_no(new_is, rng.random(m) < 0.02)),
    ]
    order = {name: i for i, name in enumerate(_VISIT_ORDER)}
    return sorted(cols, key=lambda column: order[column[0]])

def _muscle_columns(c: LatentCohort, muscle: F64) -> list[tuple[str, Bytes]]:
    rng = c.rng
    p, m = c.v_patient, len(c.v_week)
    maxima = np.array([top for _, _, top in CMAS_ITEMS], dtype=np.float64)
    loss = muscle[:, None] * _CMAS_DIFFICULTY[None, :] * 1.1
    items = np.rint(maxima * clip01(1 - loss + rng.normal(0, 0.06, (m, len(maxima)))))
    groups = np.rint(10 * clip01(1 - muscle[:, None] * _MMT8_DIFFICULTY[None, :] * 0.9
                                  + rng.normal(0, 0.04, (m, len(_MMT8_DIFFICULTY)))))
    not_done = rng.random(m) < 0.04
    totals_only = c.totals_only[p]
    cmas_total = _nan_where(items.sum(axis=1), ~totals_only | not_done)
    mmt8_total = _nan_where(groups.sum(axis=1), ~totals_only | not_done)
    hide = (totals_only | not_done)[:, None]
    items = np.where(hide, np.nan, items)
    groups = np.where(hide, np.nan, groups)
    # Now and then one item is not recorded: its total is then left missing by jdmtrack.
    lone = rng.random(m) < 0.02
    which = rng.integers(0, len(maxima), m)
    items[lone, which[lone]] = np.nan
    cols = [(name, integer(items[:, i])) for i, (name, _, _) in enumerate(CMAS_ITEMS)]
    cols.append(("cmas_total", integer(cmas_total)))
    cols += [(name, integer(groups[:, i])) for i, (name, _) in enumerate(MMT8_GROUPS)]
    cols.append(("mmt8_total", integer(mmt8_total)))
    return cols

def _lab_columns(c: LatentCohort, muscle: F64) -> list[tuple[str, Bytes]]:
    rng = c.rng
    p, m = c.v_patient, len(c.v_week)
    skipped = rng.random(m) < 0.1

    def lab(base: float, gain: F64, spread: float) -> F64:
        return _nan_where(base * np.exp(rng.normal(0, spread, m)) * (1 + gain), skipped)

    ck = np.rint(lab(90, 25 * muscle**2 * c.ck_susceptible[p], 0.25))
    ldh = np.rint(lab(230, 1.5 * muscle**1.5, 0.15))
    ast = np.rint(lab(28, 3 * muscle**2, 0.2))
    alt = np.rint(lab(18, 2 * muscle**2, 0.25))
    aldolase = np.round(lab(5.0, 4 * muscle**2, 0.2), 1)
    creatinine = np.rint(np.clip((15 + 3 * c.age[p]) * np.exp(rng.normal(0, 0.08, m)),
                                 8, None))
    limits = (("ck_uln_u_l", c.ck_uln[p], 0), ("aldolase_uln_u_l", 7.6, 1),
              ("ast_uln_u_l", 40.0, 0), ("alt_uln_u_l", 40.0, 0),
              ("ldh_uln_u_l", c.ldh_uln[p], 0))
    cols = [("ck_u_l", integer(ck)), ("aldolase_u_l", fixed(aldolase, 1)),
            ("ast_u_l", integer(ast)), ("alt_u_l", integer(alt)),
            ("ldh_u_l", integer(ldh))]
    for name, value, decimals in limits:
        full = np.broadcast_to(np.asarray(value, dtype=np.float64), (m,))
        cols.append((name, fixed(_nan_where(full, skipped), decimals)))
    cols.append(("creatinine_umol_l", integer(_nan_where(creatinine, skipped))))
    return cols

def events(c: LatentCohort) -> list[tuple[str, Bytes]]:
    """Dated events: rash improvement and resolution, steroid stop, relapse, JAKi stop."""
    rng, n = c.rng, c.n
    end = c.followup
    rash = c.skin0 > 0.22
    improves = rash & (c.skin_residual < 0.8)
    first = np.round(np.clip(np.exp(rng.normal(np.log(1.5), 0.6, n)), 0.3, None), 1)
    marked = np.round(first + np.exp(rng.normal(np.log(1.5), 0.5, n)), 1)
    resolves = rash & (c.skin_residual < 0.15)
    resolved = np.round(np.maximum(marked + 1, 2.5 * c.skin_tau
                                   + rng.normal(0, 2, n)), 1)
    relapses = resolves & (rng.random(n) < 0.08)
    relapse = np.round(resolved + rng.uniform(4, 16, n), 1)
    parts = [
        (improves & (first <= end), 0, first),
        (improves & (marked <= end), 1, marked),
        (resolves & (resolved <= end), 2, resolved),
        (~np.isnan(c.cs_stop), 3, np.nan_to_num(c.cs_stop)),
        (relapses & (relapse <= end) & (resolved <= end), 4, relapse),
        (~np.isnan(c.stop), 5, np.nan_to_num(c.stop)),
    ]
    patient = np.concatenate([np.flatnonzero(mask) for mask, _, _ in parts])
    code = np.concatenate([np.full(int(mask.sum()), c) for mask, c, _ in parts])
    week = np.concatenate([w[mask] for mask, _, w in parts])
    order = np.lexsort((code, week, patient))
    patient, code, week = patient[order], code[order], week[order]
    return [("patient_id", c.ids[patient]), ("event", choice(code, _EVENTS)),
            ("week", fixed(week, 1))]

def adverse_events(c: LatentCohort) -> list[tuple[str, Bytes]]:
    """Adverse events at a rate per year of exposure, by category and grade."""
    rng = c.rng
    exposure = np.minimum(c.followup, np.nan_to_num(c.stop, nan=np.inf))
    counts = rng.poisson(1.4 * exposure / 52)
    patient = np.repeat(np.arange(c.n), counts)
    k = len(patient)
    week = np.round(rng.uniform(0.1, np.maximum(exposure[patient], 0.2)), 1)
    category = draw_codes(rng, k, _AE_CATEGORY_P)
    offsets = np.cumsum([0, *(len(t) for t in _AE_TERMS)])
    terms = tuple(term for group in _AE_TERMS for term in group)
    sizes = np.array([len(t) for t in _AE_TERMS])
    term = offsets[category] + (rng.random(k) * sizes[category]).astype(np.int64)
    grade = 1 + draw_codes(rng, k, (0.7, 0.22, 0.07, 0.01))
    grave = np.isin(category, (2, 3))
    grade = np.where(grave, np.maximum(grade, 3), grade)
    fatal = rng.random(k) < 0.001
    grade = np.where(fatal, 5, grade)
    hospitalised = ((grade >= 3) & (rng.random(k) < 0.8)) | (rng.random(k) < 0.02)
    serious = hospitalised | (grade >= 4) | grave
    action = np.where(grade >= 3, draw_codes(rng, k, (0.3, 0.5, 0.2)),
                      draw_codes(rng, k, (0.9, 0.09, 0.01)))
    outcome = np.where(fatal, 2, np.where(rng.random(k) < 0.1, 1, 0))
    order = np.lexsort((week, patient))
    cols = [
        ("patient_id", c.ids[patient]), ("week", fixed(week, 1)),
        ("term", choice(term, terms)), ("category", choice(category, _AE_CATEGORIES)),
        ("ctcae_grade", integer(grade.astype(np.float64))),
        ("serious", _yes_no(serious)), ("hospitalised", _yes_no(hospitalised)),
        ("action", choice(action, _codes_of("adverse_events", "action"))),
        ("outcome", choice(outcome, _codes_of("adverse_events", "outcome"))),
    ]
    return [(name, block[order]) for name, block in cols]


_VISIT_ORDER = (
    "patient_id", "week", "visit_date", "weight_kg", "height_cm",
    *(name for name, _, _ in CMAS_ITEMS), "cmas_total",
    *(name for name, _ in MMT8_GROUPS), "mmt8_total",
    "das_skin", "das_muscle", "catbm_activity", "catbm_damage", "phga_cm", "ptga_cm",
    "extramuscular_cm", "chaq", "ck_u_l", "aldolase_u_l", "ast_u_l", "alt_u_l", "ldh_u_l",
    "ck_uln_u_l", "aldolase_uln_u_l", "ast_uln_u_l", "alt_uln_u_l", "ldh_uln_u_l",
    "creatinine_umol_l", "rash", "skin_ulceration_active", "erythema", "cs_mg_kg_day",
    "cs_mg_day", "jaki_mg_per_dose", "jaki_doses_per_day", "new_immunosuppressant",
)
