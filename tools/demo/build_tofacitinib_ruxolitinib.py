"""Build the ``tofacitinib-ruxolitinib`` demo cohort: 25 SYNTHETIC patients imitating study A.

Study A: Ding Y, Huang B, Wang Y, et al. Janus kinase inhibitor significantly improved
rash and muscle strength in juvenile dermatomyositis. Ann Rheum Dis. 2021;80(4):543-545.
doi:10.1136/annrheumdis-2020-218582

No patient-level data were published. Every value below was chosen by hand so that the
cohort, analysed as jdmtrack analyses it, gives the figures the letter prints. The letter
compares "before" with "after" treatment without saying when "after" was assessed; the
cohort assesses it at week 24 for everyone followed that long (23 of 25), so that the
by-week analysis of the results file reproduces it.

Run from the repository root: ``python tools/demo/build_tofacitinib_ruxolitinib.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_build_common import (
    CONVENTIONS,
    DEMO_ROOT,
    WEEKS_TO_MONTHS,
    Figure,
    T,
    check_figures,
    column_at,
    count,
    frames,
    numbers,
    pairs,
    patients_where,
    quartile_at,
    quartiles,
    visits_at,
    wilcoxon_spss_p,
    write_published,
    write_table,
)

from jdmtrack.fields import SCHEDULED_WEEKS

NAME = "tofacitinib-ruxolitinib"
SITE = "SYNTHETIC-A"
CK_ULN, LDH_ULN = 200, 400  # the synthetic laboratory's upper limits of normal, U/L
TAPER = {0: 1.0, 4: 0.9, 12: 0.7, 24: 0.5, 36: 0.4, 48: 0.3, 60: 0.25, 72: 0.2, 84: 0.2}

# Per patient: sex, age at start (y), age at onset (y), diagnosis-to-start (months), drug,
# refractory type, weight at week 0 (kg), follow-up (months), corticosteroid at week 0
# (mg/kg/day).
PATIENTS = {
    "A01": ("F", 7.9, 5.4, 22.5, "ruxolitinib", "gc_dependent", 30.0, 21.0, 0.60),
    "A02": ("M", 3.4, 1.6, 15.5, "tofacitinib", "gc_dependent", 15.5, 9.0, 0.50),
    "A03": ("M", 9.8, 5.4, 48.0, "ruxolitinib", "gc_ineffective", 37.0, 11.0, 1.20),
    "A04": ("F", 1.6, 0.9, 6.5, "ruxolitinib", "gc_dependent", 10.5, 6.0, 0.40),
    "A05": ("F", 4.7, 2.0, 29.0, "ruxolitinib", "gc_dependent", 19.5, 6.4, 0.60),
    "A06": ("F", 13.0, 10.8, 24.0, "ruxolitinib", "gc_dependent", 50.0, 4.5, 0.50),
    "A07": ("F", 6.1, 4.2, 20.0, "ruxolitinib", "gc_dependent", 25.5, 6.7, 0.45),
    "A08": ("F", 2.6, 0.9, 13.5, "ruxolitinib", "gc_dependent", 13.5, 6.0, 0.50),
    "A09": ("F", 11.1, 7.7, 37.5, "ruxolitinib", "gc_dependent", 42.0, 15.0, 0.35),
    "A10": ("F", 3.8, 2.0, 19.0, "ruxolitinib", "gc_ineffective", 17.0, 6.2, 1.00),
    "A11": ("F", 14.3, 8.5, 64.0, "ruxolitinib", "gc_ineffective", 56.0, 14.0, 1.10),
    "A12": ("M", 1.9, 1.0, 8.0, "tofacitinib", "gc_dependent", 11.5, 5.6, 0.70),
    "A13": ("M", 6.7, 4.0, 26.0, "tofacitinib", "gc_dependent", 27.0, 6.8, 0.55),
    "A14": ("M", 5.1, 3.8, 12.5, "tofacitinib", "gc_dependent", 21.0, 5.8, 0.40),
    "A15": ("M", 11.8, 7.7, 42.0, "tofacitinib", "gc_dependent", 45.0, 8.0, 0.50),
    "A16": ("M", 2.2, 1.2, 9.5, "ruxolitinib", "gc_ineffective", 12.5, 3.0, 1.50),
    "A17": ("M", 8.5, 1.9, 75.0, "ruxolitinib", "gc_ineffective", 32.0, 18.0, 1.30),
    "A18": ("M", 4.2, 2.7, 14.5, "ruxolitinib", "gc_dependent", 18.0, 10.0, 0.45),
    "A19": ("M", 13.6, 11.5, 21.0, "tofacitinib", "gc_dependent", 53.0, 17.0, 0.30),
    "A20": ("M", 5.6, 3.4, 18.0, "ruxolitinib", "gc_dependent", 23.0, 6.5, 0.60),
    "A21": ("M", 7.3, 2.3, 56.0, "ruxolitinib", "gc_ineffective", 28.5, 6.9, 1.20),
    "A22": ("M", 10.5, 7.6, 33.0, "ruxolitinib", "gc_ineffective", 40.0, 12.0, 1.00),
    "A23": ("M", 3.0, 1.8, 11.0, "ruxolitinib", "gc_dependent", 14.5, 7.5, 0.50),
    "A24": ("F", 12.4, 9.2, 35.5, "ruxolitinib", "gc_ineffective", 48.0, 13.0, 1.00),
    "A25": ("F", 9.2, 7.5, 16.5, "tofacitinib", "gc_dependent", 34.0, 7.0, 0.40),
}

# CAT-BM activity at weeks 0, 4, 12, 24 (A06 and A16 were followed for 19.6 and 13.0
# weeks: no week-24 visit), and at the later visits (36, 48, ...). A03 has no rash.
CATBM = {
    "A01": (12, 9, 5, 0), "A02": (6, 3, 4, 3), "A03": (0, 0, 0, 0), "A04": (2, 1, 0, 0),
    "A05": (6, 3, 0, 0), "A06": (1, 1, 1), "A07": (2, 1, 0, 0), "A08": (5, 2, 0, 0),
    "A09": (11, 8, 4, 1), "A10": (7, 4, 0, 0), "A11": (3, 2, 2, 1), "A12": (3, 1, 0, 0),
    "A13": (8, 5, 2, 0), "A14": (3, 0, 0, 0), "A15": (9, 6, 3, 1), "A16": (8, 6, 4),
    "A17": (12, 9, 6, 4), "A18": (3, 1, 0, 0), "A19": (10, 7, 3, 1), "A20": (9, 6, 3, 1),
    "A21": (10, 7, 4, 2), "A22": (13, 9, 4, 1), "A23": (4, 2, 0, 0), "A24": (14, 10, 5, 2),
    "A25": (7, 5, 2, 0),
}
CATBM_LATER = {"A02": 3, "A09": {36: 1}, "A11": 1, "A17": {36: 3, 48: 3, 60: 2, 72: 2},
               "A22": 1, "A24": 2}

# Rash events (weeks): first improvement, obvious improvement, no visible rash.
RASH = {
    "A01": (1.0, 2.5, 24), "A02": (0.5, 2.0, 8), "A04": (0.4, 1.4, 6),
    "A05": (0.9, 2.3, 12), "A06": (4.0, 10.0, None), "A07": (1.0, 2.5, 12),
    "A08": (0.6, 2.1, 10), "A09": (1.4, 3.0, 44), "A10": (0.7, 2.0, 12),
    "A11": (2.3, 4.3, None), "A12": (0.5, 2.0, 8), "A13": (1.0, 2.5, 16),
    "A14": (0.3, 1.0, 4), "A15": (1.1, 2.9, 28), "A16": (3.6, 8.0, None),
    "A17": (3.0, 6.0, None), "A18": (0.6, 2.0, 8), "A19": (1.4, 3.0, 36),
    "A20": (1.7, 3.6, None), "A21": (2.6, 5.0, None), "A22": (2.0, 4.0, None),
    "A23": (0.4, 1.6, 8), "A24": (2.0, 4.0, None), "A25": (1.0, 2.5, 24),
}
# Corticosteroids stopped (week); the girl escalated to 7.5 mg twice daily is A01.
CS_STOP = {"A01": 40, "A04": 24, "A09": 48, "A14": 20, "A18": 36, "A19": 52, "A23": 30}
# A02: rash gone at week 8, back 4 weeks later, JAKi stopped at week 12. A01: JAKi tapered
# and stopped after 18 months.
JAKI_STOP = {"A02": (12, "relapse of rash"), "A01": (78.3, "tapered off after remission")}
A01_DOSE = {0: 5.0, 4: 7.5, 12: 7.5, 24: 7.5, 36: 5.0, 48: 5.0, 60: 2.5, 72: 2.5}

# CMAS totals at weeks 0, 4, 12, 24 of the ten with decreased muscle strength.
CMAS = {
    "A05": (1, 8, 19, 27), "A03": (10, 15, 24, 30), "A13": (15, 20, 30, 36),
    "A17": (22, 26, 33, 38), "A11": (6, 12, 25, 33), "A09": (34, 36, 39, 41),
    "A15": (42, 43, 44, 45), "A07": (47, 47, 47, 47), "A24": (47, 46, 47, 47),
    "A21": (None, None, 35, 38),
}
CMAS_COURSE = {"A05": "improved", "A03": "improved", "A13": "improved", "A17": "improved",
               "A11": "improved", "A09": "improved", "A15": "improved", "A07": "unchanged",
               "A24": "unchanged", "A21": "not_scorable_before"}
# CK and LDH (U/L) at weeks 0, 4, 12, 24 of the twelve with abnormal enzymes at the start.
CK = {
    "A17": (1850, 1400, 980, 720), "A03": (950, 600, 260, 150), "A05": (620, 380, 190, 120),
    "A13": (160, 140, 120, 110), "A09": (180, 150, 130, 100), "A15": (340, 230, 160, 120),
    "A25": (260, 180, 150, 130), "A04": (230, 160, 120, 100), "A10": (280, 170, 140, 110),
    "A19": (240, 170, 130, 110), "A21": (410, 300, 210, 160), "A11": (620, 400, 220, 130),
}
LDH = {
    "A17": (690, 620, 540, 455), "A03": (538, 480, 430, 394), "A05": (464, 400, 330, 278),
    "A13": (461, 410, 350, 296), "A09": (402, 370, 320, 286), "A15": (371, 340, 300, 284),
    "A25": (352, 340, 330, 318), "A04": (340, 350, 370, 395), "A10": (307, 330, 360, 420),
    "A19": (306, 300, 290, 275), "A21": (289, 280, 270, 262), "A11": (268, 255, 240, 231),
}

README = """\
SYNTHETIC DEMO COHORT - NOT PATIENT DATA.

Every patient in this folder is invented. No patient-level data were published by the
study this cohort imitates; the values were chosen by hand so that jdmtrack's analysis
gives the summary figures the letter prints. Do not cite, pool or analyse these rows as
clinical data.

Imitates: Ding Y, Huang B, Wang Y, et al. Janus kinase inhibitor significantly improved
rash and muscle strength in juvenile dermatomyositis. Ann Rheum Dis. 2021;80(4):543-545.
doi:10.1136/annrheumdis-2020-218582 (25 children, tofacitinib or ruxolitinib).

Files: patients.csv, visits.csv, events.csv, adverse_events.csv (jdmtrack cohort format,
version 1; adverse_events.csv is empty, as the letter reports none); published.json
(every figure the letter prints, the results-file key that reproduces it, and whether any
data could reproduce it). Site SYNTHETIC-A marks every row as synthetic. The letter's
"before" is week 0 and its "after" is taken as week 24 (23 patients followed that long);
the times to rash improvement are in events.csv.

Rebuild: python tools/demo/build_tofacitinib_ruxolitinib.py (from the jdmtrack repository).
See docs/demo.md for what is reproduced exactly, what cannot be, and why.
"""


def followup_weeks(months: float) -> float:
    return round(months / WEEKS_TO_MONTHS, 1)


def visit_weeks(pid: str) -> list[int]:
    end = followup_weeks(PATIENTS[pid][7])
    return [w for w in (*SCHEDULED_WEEKS, 36, 48, 60, 72, 84) if w <= end]


def catbm(pid: str, week: int) -> int:
    early = CATBM[pid]
    if week in SCHEDULED_WEEKS:
        return early[SCHEDULED_WEEKS.index(week)]
    later = CATBM_LATER.get(pid, 0)
    if isinstance(later, dict):
        return later.get(week, 0)
    return later


def _ck_normal(pid: str, k: int) -> int:
    base = 45 + (int(pid[1:]) * 37) % 120
    return base + (0, 6, -4, 3)[k]


def _ldh_normal(pid: str, k: int) -> int:
    base = 205 + (int(pid[1:]) * 53) % 110
    return base + (0, -8, 5, -3)[k]


def build_rows() -> tuple[list[dict[str, object]], list[dict[str, object]],
                          list[dict[str, object]]]:
    patients, visits, events = [], [], []
    for pid, (sex, age, onset, months, drug, refractory, weight, fu_months,
              cs0) in PATIENTS.items():
        end = followup_weeks(fu_months)
        stop = JAKI_STOP.get(pid)
        patients.append({
            "patient_id": pid, "site": SITE, "sex": sex, "age_onset_years": onset,
            "age_start_years": age, "disease_months": months,
            "refractory_type": refractory, "muscle_involvement": pid in CMAS, "jaki_drug": drug,
            "jaki_stop_week": None if stop is None else stop[0],
            "jaki_stop_reason": None if stop is None else stop[1],
            "followup_weeks": end,
            # A user column (carried through untouched) with the letter's three CMAS
            # groups, as a site would record them; jdmtrack's derived cmas_course gives
            # the improved and unchanged ones from the visits.
            "x_cmas_course": CMAS_COURSE.get(pid),
        })
        height = round(75 + 6.2 * age)
        for week in visit_weeks(pid):
            k = SCHEDULED_WEEKS.index(week) if week in SCHEDULED_WEEKS else None
            on_drug = stop is None or week <= stop[0]
            band = (2.5 if weight < 25 else 5.0) if on_drug else None
            mg = A01_DOSE.get(week) if pid == "A01" else band
            cs_stop = CS_STOP.get(pid)
            cs = 0.0 if cs_stop is not None and week >= cs_stop else round(cs0 * TAPER[week], 2)
            activity = catbm(pid, week)
            row: dict[str, object] = {
                "patient_id": pid, "week": week,
                "weight_kg": round(weight + 0.035 * week, 1),
                "height_cm": height + round(week * 0.12),
            }
            if k is not None and pid in CMAS:
                row["cmas_total"] = CMAS[pid][k]
                if CMAS[pid][k] is None and CMAS_COURSE.get(pid) == "not_scorable_before":
                    row["reason_cmas_not_scored"] = "contracture"  # the letter's
            row["catbm_activity"] = activity
            if k is not None:
                row |= {
                    "ck_u_l": CK[pid][k] if pid in CK else _ck_normal(pid, k),
                    "ldh_u_l": LDH[pid][k] if pid in LDH else _ldh_normal(pid, k),
                    "ck_uln_u_l": CK_ULN, "ldh_uln_u_l": LDH_ULN,
                }
            row |= {
                "rash": activity > 0, "cs_mg_kg_day": cs,
                "jaki_mg_per_dose": mg, "jaki_doses_per_day": None if mg is None else 2,
            }
            visits.append(row)
        if pid in RASH:
            first, marked, resolved = RASH[pid]
            events.append({"patient_id": pid, "event": "rash_improvement", "week": first})
            events.append({"patient_id": pid, "event": "rash_marked_improvement",
                           "week": marked})
            if resolved is not None:
                events.append({"patient_id": pid, "event": "rash_resolution",
                               "week": resolved})
        if pid in CS_STOP:
            events.append({"patient_id": pid, "event": "cs_discontinuation",
                           "week": CS_STOP[pid]})
        if pid == "A02":
            events.append({"patient_id": pid, "event": "relapse", "week": 12})
        if stop is not None:
            events.append({"patient_id": pid, "event": "jaki_discontinuation", "week": stop[0]})
    return patients, visits, events


# -- figures --------------------------------------------------------------------------
# The patient courses (enzymes high at start or throughout, CMAS course) and the Wilcoxon
# p-values are jdmtrack's own (see demo_build_common); only the selection is done here.


def _event_weeks(t: T, event: str) -> np.ndarray:
    e = t["events"]
    return numbers(e.loc[e["event"] == event, "week"])


def _duration_months(t: T) -> np.ndarray:
    p = t["patients"]
    stop = pd.to_numeric(p["jaki_stop_week"])
    end = pd.to_numeric(p["followup_weeks"])
    return stop.fillna(end).to_numpy(dtype="float64") * WEEKS_TO_MONTHS


def _ldh_rises(t: T) -> list[tuple[float, float]]:
    before, after = pairs(t, "ldh_u_l", (0, 24), ("enzymes_high_start", "yes"))
    return sorted((b, a) for b, a in zip(before, after, strict=True) if a > b)


def _band(t: T, heavy: bool) -> float:
    v = visits_at(t, 0)
    weight = numbers(v["weight_kg"])
    dose = numbers(v["jaki_mg_per_dose"])
    per_day = numbers(v["jaki_doses_per_day"])
    if heavy:
        return float(((weight >= 25) & (dose == 5) & (per_day == 2)).sum())
    return float(((weight < 25) & (dose == 2.5) & (per_day == 2)).sum())


def figures() -> list[Figure]:
    figs: list[Figure] = []
    cmas_up = ("cmas_course", "improved")
    enz = ("enzymes_high_start", "yes")

    def add(*args: object, **kw: object) -> None:
        figs.append(Figure(*args, **kw))  # type: ignore[arg-type]

    def mqq(group: str, label: str, printed: tuple[str, str, str], decimals: int,
            path_root: str | None, compute: object, method: str,
            where: tuple[str, str] | None = None, scale: float | None = None,
            note: str = "", km: bool = False) -> None:
        for which, (stat, word) in enumerate((("median", "median"), ("q1", "Q1"),
                                              ("q3", "Q3"))):
            key = f"{stat}_weeks" if km else stat
            add(f"{group}_{stat}", group, f"{label}, {word}", printed[which],
                float(printed[which]), decimals, stat,
                None if path_root is None else f"{path_root}.{key}",
                lambda t, i=which, c=compute: c(t)[i],  # type: ignore[operator]
                method.format(word=word), subgroup=where, scale=scale, note=note)

    add("patients_n", "patients", "Patients", "25", 25, 0, "n", "cohort.n_patients",
        lambda t: float(len(t["patients"])), "rows of patients.csv")
    add("female_n", "female", "Female", "11", 11, 0, "count", "baseline.sex.counts.F",
        lambda t: count(t, "patients", "sex", "F"), "patients with sex F")
    add("female_pct", "female", "Female, %", "44", 44, 0, "percent", "baseline.sex.percent.F",
        lambda t: 100 * count(t, "patients", "sex", "F") / 25, "% of 25 with sex F")
    for key, label, mean, sd in (("age_onset_years", "Age at onset, years", "4.6", "3.3"),
                                 ("age_start_years", "Age at JAKi start, years", "7.2", "4.0")):
        add(f"{key}_mean", key, f"{label}, mean", mean, float(mean), 1, "mean",
            f"baseline.{key}.mean", lambda t, k=key: float(numbers(t["patients"][k]).mean()),
            f"mean of {key}")
        add(f"{key}_sd", key, f"{label}, SD", sd, float(sd), 1, "sd", f"baseline.{key}.sd",
            lambda t, k=key: float(numbers(t["patients"][k]).std(ddof=1)),
            f"sample SD of {key}")
    mqq("disease_months", "Disease course before JAKi, months", ("21.0", "14.0", "36.5"), 1,
        "baseline.disease_months", lambda t: quartiles(numbers(t["patients"]["disease_months"])),
        "type-6 {word} of disease_months",
        note="The letter words it 'mean ... (range: 14.0-36.5)'. The format is the one it "
             "uses for medians with interquartile ranges (rash times, CAT-BM, LDH), so the "
             "cohort reads it as a median (IQR); its mean is 27.1 and its range 6.5-75.0.")
    for level, n, pct in (("gc_ineffective", "8", "32"), ("gc_dependent", "17", "68")):
        add(f"refractory_{level}_n", f"refractory_{level}", f"Refractory type {level}", n,
            float(n), 0, "count", f"baseline.refractory_type.counts.{level}",
            lambda t, lv=level: count(t, "patients", "refractory_type", lv),
            f"refractory_type = {level}")
        add(f"refractory_{level}_pct", f"refractory_{level}", f"Refractory type {level}, %",
            pct, float(pct), 0, "percent", f"baseline.refractory_type.percent.{level}",
            lambda t, lv=level: 100 * count(t, "patients", "refractory_type", lv) / 25,
            f"% of 25 with refractory_type = {level}")
    for drug, n, pct in (("tofacitinib", "7", "28"), ("ruxolitinib", "18", "72")):
        add(f"drug_{drug}_n", f"drug_{drug}", f"{drug.capitalize()}", n, float(n), 0, "count",
            f"baseline.jaki_drug.counts.{drug}",
            lambda t, d=drug: count(t, "patients", "jaki_drug", d), f"jaki_drug = {drug}")
        add(f"drug_{drug}_pct", f"drug_{drug}", f"{drug.capitalize()}, %", pct, float(pct), 0,
            "percent", f"baseline.jaki_drug.percent.{drug}",
            lambda t, d=drug: 100 * count(t, "patients", "jaki_drug", d) / 25,
            f"% of 25 with jaki_drug = {drug}")
    add("jaki_duration_min", "jaki_duration", "JAKi duration, months, shortest", "3", 3, 0,
        "min", "exposure.duration_months.min", lambda t: float(_duration_months(t).min()),
        "jaki_stop_week, else followup_weeks, in months (x 7 x 12 / 365.25): shortest",
        note="A02 stopped at week 12 (2.8 months), which the letter rounds to 3.")
    add("jaki_duration_max", "jaki_duration", "JAKi duration, months, longest", "18", 18, 0,
        "max", "exposure.duration_months.max", lambda t: float(_duration_months(t).max()),
        "jaki_stop_week, else followup_weeks, in months: longest")
    add("dose_light_n", "dose_bands", "Under 25 kg: 2.5 mg twice daily", "11", 11, 0, "count",
        "exposure.start_weight_bands.under_25_kg.n_band_dose", lambda t: _band(t, False),
        "weight_kg < 25 at week 0 with 2.5 mg x 2 a day")
    add("dose_heavy_n", "dose_bands", "25 kg or more: 5 mg twice daily", "14", 14, 0, "count",
        "exposure.start_weight_bands.from_25_kg.n_band_dose", lambda t: _band(t, True),
        "weight_kg >= 25 at week 0 with 5 mg x 2 a day")
    add("dose_max_mg", "dose_max", "Highest dose, mg per dose (twice daily)", "7.5", 7.5, 1,
        "max", "exposure.highest_mg_per_dose.value",
        lambda t: float(np.nanmax(numbers(t["visits"]["jaki_mg_per_dose"]))),
        "largest jaki_mg_per_dose at any visit")
    add("dose_max_n", "dose_max", "Patients given 7.5 mg twice daily", "1", 1, 0, "count",
        "exposure.highest_mg_per_dose.n_patients",
        lambda t: float(t["visits"].loc[numbers(t["visits"]["jaki_mg_per_dose"]) == 7.5,
                                        "patient_id"].nunique()),
        "patients with jaki_mg_per_dose 7.5 at a visit")
    for stat, printed, fn in (("median", "7.0", np.median), ("min", "3", np.min),
                              ("max", "21", np.max)):
        add(f"followup_{stat}", "followup", f"Follow-up, months, {stat}", printed,
            float(printed), 1 if stat == "median" else 0, stat, f"cohort.followup_weeks.{stat}",
            lambda t, f=fn: float(f(numbers(t["patients"]["followup_weeks"]))) * WEEKS_TO_MONTHS,
            f"{stat} of followup_weeks, in months", scale=WEEKS_TO_MONTHS)
    add("rash_start_n", "rash_start", "Rash at JAKi start", "24", 24, 0, "count",
        "at_start.rash.n",
        lambda t: float((visits_at(t, 0)["rash"] == "yes").sum()), "rash = yes at week 0")
    add("rash_start_pct", "rash_start", "Rash at JAKi start, %", "96", 96, 0, "percent",
        "at_start.rash.percent",
        lambda t: 100 * float((visits_at(t, 0)["rash"] == "yes").mean()),
        "% of 25 with rash = yes at week 0")
    add("rash_improved_all", "rash_improved_all", "Rash improved (all with rash)", "24", 24, 0,
        "count", "time_to_event.rash_improvement.events",
        lambda t: float(len(_event_weeks(t, "rash_improvement"))),
        "patients with a rash_improvement event",
        note="From events.csv. jdmtrack's visit criterion rash_improved (CAT-BM below week 0, "
             "or rash gone) also holds at week 24 for every patient with rash and a week-24 "
             "visit.")
    add("rash_resolution_n", "rash_resolution_n", "Complete resolution of rash", "16", 16, 0,
        "count", "time_to_event.rash_resolution.events",
        lambda t: float(len(_event_weeks(t, "rash_resolution"))),
        "patients with a rash_resolution event")
    add("rash_resolution_pct", "rash_resolution_n", "Complete resolution of rash, % of 24",
        "66.7", 66.7, 1, "percent", "skin_course.resolution.percent",
        lambda t: 100 * len(_event_weeks(t, "rash_resolution")) / 24,
        "rash_resolution events, % of the 24 with rash")
    mqq("rash_first", "Time to first rash improvement, weeks", ("1.0", "0.6", "2.0"), 1,
        "time_to_event.rash_improvement",
        lambda t: quartiles(_event_weeks(t, "rash_improvement")),
        "type-6 {word} of the rash_improvement weeks (all 24 with rash had the event)",
        note="Every patient at risk had the event and the quartiles fall on tied times, so "
             "the Kaplan-Meier quartiles (keys *_weeks) equal the descriptive ones.", km=True)
    mqq("rash_marked", "Time to obvious rash improvement, weeks", ("2.5", "2.0", "4.0"), 1,
        "time_to_event.rash_marked_improvement",
        lambda t: quartiles(_event_weeks(t, "rash_marked_improvement")),
        "type-6 {word} of the rash_marked_improvement weeks (all 24 had the event)",
        note="As for the first improvement: Kaplan-Meier and descriptive quartiles agree.",
        km=True)
    mqq("rash_resolution", "Time to no visible rash, weeks (16 who resolved)",
        ("12.0", "8.0", "24.0"), 1, "skin_course.weeks_to_resolution_resolved",
        lambda t: quartiles(_event_weeks(t, "rash_resolution")),
        "type-6 {word} of the rash_resolution weeks among the 16 with the event",
        note="Descriptive, among those who resolved, as the letter reports it. The "
             "Kaplan-Meier estimate over the 24 with rash (time_to_event.rash_resolution) "
             "is a different quantity: 8 never resolved.")
    mqq("catbm_before", "CAT-BM activity before", ("7.0", "3.0", "10.0"), 1,
        "outcomes.catbm_activity.by_week.0", lambda t: quartiles(column_at(t, "catbm_activity", 0)),
        "type-6 {word} of catbm_activity at week 0 (25 patients)",
        note="The same with or without the patient who had no rash (ties at the quartiles).")
    mqq("catbm_after", "CAT-BM activity after (week 24)", ("0.0", "0.0", "1.0"), 1,
        "outcomes.catbm_activity.by_week.24", lambda t: quartiles(column_at(t, "catbm_activity", 24)),
        "type-6 {word} of catbm_activity at week 24 (the 23 followed that long)",
        note="The letter does not say when 'after' was assessed; the cohort puts it at week 24.")
    add("catbm_p", "catbm_p", "CAT-BM before vs after, p", "< 0.001", 0.001, 3, "upper_bound",
        "outcomes.catbm_activity.vs_baseline.24.p_value_exact",
        lambda t: wilcoxon_spss_p(t, "catbm_activity", (0, 24)),
        "two-sided Wilcoxon signed-rank p, week 24 vs week 0; reproduced when below 0.001 "
        "(SPSS's normal approximation here; jdmtrack's exact p at the path is smaller still)")
    add("cs_stopped_n", "cs_stopped", "Glucocorticoids stopped", "7", 7, 0, "count",
        "time_to_event.cs_discontinuation.events",
        lambda t: float(len(_event_weeks(t, "cs_discontinuation"))),
        "patients with a cs_discontinuation event")
    add("cs_stopped_pct", "cs_stopped", "Glucocorticoids stopped, %", "28", 28, 0, "percent",
        "steroids.stopped.percent",
        lambda t: 100 * len(_event_weeks(t, "cs_discontinuation")) / 25,
        "cs_discontinuation events, % of 25")
    add("relapse_n", "relapse", "Relapse", "1", 1, 0, "count", "time_to_event.relapse.events",
        lambda t: float(len(_event_weeks(t, "relapse"))), "patients with a relapse event")
    add("relapse_clear_week", "relapse", "Relapse: rash gone at week", "8", 8, 0, "value",
        "skin_course.relapses.0.rash_gone_week",
        lambda t: float(t["events"].query("patient_id == 'A02' and event == 'rash_resolution'")
                        ["week"].astype(float).iloc[0]),
        "A02's rash_resolution week")
    add("relapse_week", "relapse", "Relapse: rash back 4 weeks later (week)", "12", 12, 0,
        "value", "skin_course.relapses.0.relapse_week",
        lambda t: float(_event_weeks(t, "relapse")[0]), "the relapse week")
    add("relapse_stop_week", "relapse", "Relapse: JAKi stopped at week", "12", 12, 0, "value",
        "skin_course.relapses.0.jaki_stop_week",
        lambda t: float(t["patients"].set_index("patient_id").loc["A02", "jaki_stop_week"]),
        "A02's jaki_stop_week")
    add("weakness_n", "weakness", "Decreased muscle strength", "10", 10, 0, "count",
        "baseline.muscle_involvement.counts.yes",
        lambda t: count(t, "patients", "muscle_involvement", "yes"),
        "muscle_involvement = yes")
    add("weakness_pct", "weakness", "Decreased muscle strength, %", "40", 40, 0, "percent",
        "baseline.muscle_involvement.percent.yes",
        lambda t: 100 * count(t, "patients", "muscle_involvement", "yes") / 25,
        "% of 25 with muscle_involvement = yes")
    add("enzymes_persistent_n", "enzymes_persistent", "Persistently high muscle enzymes", "1",
        1, 0, "count", "at_start.enzymes_high_throughout.n",
        lambda t: count(t, "patients", "enzymes_high_throughout", "yes"),
        "patients with CK above ck_uln_u_l or LDH above ldh_uln_u_l at every laboratory visit")
    add("enzymes_persistent_pct", "enzymes_persistent", "Persistently high muscle enzymes, %",
        "4", 4, 0, "percent", "at_start.enzymes_high_throughout.percent",
        lambda t: 100 * count(t, "patients", "enzymes_high_throughout", "yes") / 25,
        "% of 25 with persistently high enzymes")
    for week, when, mean, sd in ((0, "before", "18.6", "15.0"), (24, "after", "35.7", "6.3")):
        add(f"cmas_improved_{when}_mean", f"cmas_improved_{when}",
            f"CMAS {when}, 7 who improved, mean", mean, float(mean), 1, "mean",
            f"outcomes.cmas_total.by_week.{week}.mean",
            lambda t, w=week: float(column_at(t, "cmas_total", w, cmas_up).mean()),
            f"mean of cmas_total at week {week} among cmas_course = improved",
            subgroup=cmas_up)
        add(f"cmas_improved_{when}_sd", f"cmas_improved_{when}",
            f"CMAS {when}, 7 who improved, SD", sd, float(sd), 1, "sd",
            f"outcomes.cmas_total.by_week.{week}.sd",
            lambda t, w=week: float(column_at(t, "cmas_total", w, cmas_up).std(ddof=1)),
            f"sample SD of cmas_total at week {week} among cmas_course = improved",
            subgroup=cmas_up)
    add("cmas_improved_p", "cmas_improved_p", "CMAS before vs after (7 improved), p", "0.018",
        0.018, 3, "p_value",
        "paper_tests.measures.cmas_total.vs_baseline.24.wilcoxon_asymptotic.p_value",
        lambda t: wilcoxon_spss_p(t, "cmas_total", (0, 24), cmas_up),
        "two-sided Wilcoxon signed-rank p, normal approximation without continuity correction "
        "(as SPSS prints it)", subgroup=cmas_up,
        note="Any 7 pairs that all rise with distinct differences give z = 2.366, p = 0.018. "
             "The exact p (2/128 = 0.016) is beside it (paper_tests ... p_value_exact) and "
             "at outcomes.cmas_total.vs_baseline.24.")
    unchanged = ("cmas_course", "unchanged")
    add("cmas_unchanged_n", "cmas_unchanged", "CMAS unchanged", "2", 2, 0, "count",
        "at_start.cmas_course.unchanged", lambda t: float(len(patients_where(t, unchanged))),
        "cmas_course = unchanged (last scored CMAS equal to week 0's)")
    for week, when in ((0, "before"), (24, "after")):
        for stat, fn in (("min", np.min), ("max", np.max)):
            add(f"cmas_unchanged_{when}_{stat}", "cmas_unchanged",
                f"CMAS {when}, the 2 unchanged, {stat}", "47", 47, 0, stat,
                f"outcomes.cmas_total.by_week.{week}.{stat}",
                lambda t, w=week, f=fn: float(f(column_at(t, "cmas_total", w, unchanged))),
                f"{stat} of cmas_total at week {week} among cmas_course = unchanged",
                subgroup=unchanged)
    add("cmas_not_scorable", "cmas_not_scorable", "CMAS not scorable before (contracture)",
        "1", 1, 0, "count", "at_start.cmas_not_scorable.reasons.contracture",
        lambda t: float(visits_at(t, 0, ("muscle_involvement", "yes"))["cmas_total"].isna().sum()),
        "patients with decreased strength and no cmas_total at week 0, "
        "reason_cmas_not_scored = contracture")
    add("enzymes_abnormal_n", "enzymes_abnormal", "CK and/or LDH abnormal at JAKi start", "12",
        12, 0, "count", "at_start.enzymes_high_start.n",
        lambda t: count(t, "patients", "enzymes_high_start", "yes"),
        "week 0: ck_u_l > ck_uln_u_l or ldh_u_l > ldh_uln_u_l (enzymes_high_start = yes)")
    for week, when in ((0, "before"), (24, "after")):
        add(f"ck_median_{when}", f"ck_median_{when}", f"Median CK {when}: normal", "normal",
            CK_ULN, 0, "at_most", f"outcomes.ck_u_l.by_week.{week}.median",
            lambda t, w=week: quartile_at(t, "ck_u_l", w, 0),
            f"type-6 median of ck_u_l at week {week}, at most the upper limit of normal "
            f"({CK_ULN} U/L in this cohort)")
    mqq("ldh_before", "LDH before, U/L (12 with abnormal enzymes)", ("361.5", "306.3", "463.3"),
        1, "outcomes.ldh_u_l.by_week.0", lambda t: quartiles(column_at(t, "ldh_u_l", 0, enz)),
        "type-6 {word} of ldh_u_l at week 0 among enzymes_high_start = yes", where=enz,
        note="With whole-number LDH, type-6 quartiles of 12 values fall on quarters: 306.25 "
             "and 463.25 print as 306.3 and 463.3 only when rounded half up, as SPSS does "
             "(Python's round() gives 306.2).")
    mqq("ldh_after", "LDH after (week 24), U/L (12 with abnormal enzymes)",
        ("291.0", "275.8", "394.8"), 1, "outcomes.ldh_u_l.by_week.24",
        lambda t: quartiles(column_at(t, "ldh_u_l", 24, enz)),
        "type-6 {word} of ldh_u_l at week 24 among enzymes_high_start = yes", where=enz)
    add("ldh_p", "ldh_p", "LDH before vs after, p", "0.034", 0.034, 3, "p_value",
        "paper_tests.measures.ldh_u_l.vs_baseline.24.wilcoxon_asymptotic.p_value",
        lambda t: wilcoxon_spss_p(t, "ldh_u_l", (0, 24), enz),
        "two-sided Wilcoxon signed-rank p, normal approximation without continuity correction "
        "(as SPSS prints it)", subgroup=enz,
        note="The two rises rank 5th and 7th of the 12 absolute changes: W+ = 12, z = -2.118. "
             "The exact p is beside it (p_value_exact) and at outcomes.ldh_u_l.vs_baseline.24.")
    add("ldh_rises_n", "ldh_rises", "LDH rose", "2", 2, 0, "count", "listing.rises.ldh_u_l.24.n",
        lambda t: float(len(_ldh_rises(t))), "pairs with LDH higher at week 24 than at week 0",
        subgroup=enz)
    for i, (before, after) in enumerate(((307, 420), (340, 395))):
        add(f"ldh_rise{i + 1}_before", "ldh_rises", f"LDH rise {i + 1}: before", str(before),
            before, 0, "value", f"listing.rises.ldh_u_l.24.patients.{i}.before",
            lambda t, j=i: _ldh_rises(t)[j][0], "week-0 LDH of a patient whose LDH rose",
            subgroup=enz)
        add(f"ldh_rise{i + 1}_after", "ldh_rises", f"LDH rise {i + 1}: after", str(after),
            after, 0, "value", f"listing.rises.ldh_u_l.24.patients.{i}.after",
            lambda t, j=i: _ldh_rises(t)[j][1], "week-24 LDH of the same patient",
            subgroup=enz)
    add("ae_thromboembolic", "safety", "Thromboembolic events", "0", 0, 0, "count",
        "aesi.special_interest.thromboembolism.n_events",
        lambda t: count(t, "adverse_events", "category", "thromboembolic"),
        "adverse events in category thromboembolic",
        note="No adverse events are recorded (adverse_events.csv is empty): the letter "
             "reports no thromboembolic event and no rise in EBV, CMV, VZV or tuberculosis "
             "infection, and 'no obvious side effects'.")
    add("ae_infections", "safety", "EBV, CMV, VZV or tuberculosis infections", "0", 0, 0,
        "count", "aesi.by_category.infection.n_events",
        lambda t: count(t, "adverse_events", "category", "infection"),
        "adverse events in category infection")
    return figs


def main(folder: Path = DEMO_ROOT / NAME) -> Path:
    """Write the cohort into ``folder`` (the bundled one unless told) and check it."""
    folder.mkdir(parents=True, exist_ok=True)
    patients, visits, events = build_rows()
    write_table(folder, "patients", patients)
    write_table(folder, "visits", visits)
    write_table(folder, "events", events)
    write_table(folder, "adverse_events", [])
    (folder / "README.txt").write_text(README, encoding="utf-8")
    figs = figures()
    check_figures(figs, frames(folder))
    source = {
        "study": "A",
        "citation": "Ding Y, Huang B, Wang Y, Hou J, Chi Y, Zhou Z, Li J. Janus kinase "
                    "inhibitor significantly improved rash and muscle strength in juvenile "
                    "dermatomyositis. Ann Rheum Dis. 2021;80(4):543-545.",
        "doi": "10.1136/annrheumdis-2020-218582",
        "design": "case series (letter), 25 children with refractory JDM, tofacitinib or "
                  "ruxolitinib added to ongoing treatment, Nov 2017 - May 2019, follow-up to "
                  "Aug 2019",
    }
    write_published(folder, source, CONVENTIONS, figs)
    return folder


if __name__ == "__main__":
    print(f"wrote {main()}")
