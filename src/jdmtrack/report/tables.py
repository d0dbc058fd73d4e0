"""Tables of the cohort, patients, safety, dosing and provenance (warnings: tables_quality)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..fields import code_label
from . import format as f
from .cells import blank, count, num, text
from .context import Context, ordered_measures
from .model import Cell, Table
from .tables_quality import coded, column_label

if TYPE_CHECKING:
    from ..results import Characteristic, Setting

__all__ = [
    "LISTING_LIMIT",
    "adverse_event_table",
    "baseline_table",
    "dosing_table",
    "files_table",
    "grade_table",
    "listing_table",
    "missing_table",
    "patients_table",
    "published_table",
    "settings_table",
    "visits_per_week_table",
]

#: Listings longer than this are printed in full only in tables.xlsx.
LISTING_LIMIT = 200

def visits_per_week_table(ctx: Context) -> Table | None:
    """Patients seen at each week, as a share of the cohort (STROBE 13a)."""
    per_week = ctx.typed.cohort.visits_per_week if ctx.typed.cohort is not None else None
    if not per_week:
        return None
    rows = [[text(f.week_label(w)), count(per_week[w]),
             text(f.fmt_pct(f.percent(per_week[w], ctx.n_patients), ctx.pct_decimals))]
            for w in f.sorted_weeks(per_week)]
    return Table("visits_per_week", "Visits per week",
                 ["Week", "Patients seen", "% of cohort"], rows,
                 [f"Cohort: {f.fmt_int(ctx.n_patients)} patients.", ctx.pct_note()])


def baseline_table(ctx: Context) -> Table | None:
    """Table 1: characteristics at JAKi start."""
    baseline = ctx.typed.baseline
    if not baseline:
        return None
    rows: list[list[Cell]] = []
    doses = False
    for name, c in baseline.items():
        label = f.measure_label(name, c.label)
        if c.categorical:
            rows.extend(_categorical_rows(ctx, label, c))
            continue
        d = f.decimals_for(name, c.unit)
        doses = doses or d == 2
        s = c.summary
        rows.append([text(label), count(s.n),
                     text(f.fmt_median_iqr(s.median, s.q1, s.q3, d)),
                     text(f.fmt_mean_sd(s.mean, s.sd, d)),
                     text(f.fmt_range(s.min, s.max, d)), count(s.missing)])
    return Table("baseline", "Baseline characteristics at JAKi start",
                 ["Characteristic", "n", "Median (Q1, Q3) or n (%)", "Mean ± SD", "Range",
                  "Missing"], rows,
                 [ctx.quartiles + " Categories: n (% of patients with the value recorded).",
                  f.rounding_note(measures=True, doses=doses, pct_decimals=ctx.pct_decimals)])


def _categorical_rows(ctx: Context, label: str, c: Characteristic) -> list[list[Cell]]:
    counts, percents, s = c.counts, c.percent, c.summary
    if set(counts) <= {"yes", "no"}:
        return [[text(label), count(s.n),
                 text(f.count_pct(counts.get("yes", 0), percents.get("yes", 0.0),
                                  ctx.pct_decimals)),
                 blank(), blank(), count(s.missing)]]
    rows = [[text(label), count(s.n), blank(), blank(), blank(), count(s.missing)]]
    for level, n in counts.items():
        rows.append([text(code_label(level), level=1), blank(),
                     text(f.count_pct(n, percents.get(level), ctx.pct_decimals)),
                     blank(), blank(), blank()])
    return rows


def missing_table(ctx: Context) -> Table | None:
    """Values missing per variable and week (STROBE 14b)."""
    cohort = ctx.typed.cohort
    if cohort is None or not cohort.missing:
        return None
    missing, per_week = cohort.missing, cohort.visits_per_week
    weeks = f.sorted_weeks({w for v in missing.values() for w in v})
    rows = []
    for name in ordered_measures(missing):
        by_week = missing[name]
        rows.append([text(ctx.label(name)), *[count(by_week.get(w)) for w in weeks],
                     count(sum(v for v in by_week.values() if f.is_number(v)))])
    header = [f"{f.week_label(w)} ({f.fmt_int(per_week.get(w))} seen)"
              if f.is_number(per_week.get(w)) else f.week_label(w) for w in weeks]
    return Table("missing", "Missing values per variable and week",
                 ["Variable", *header, "Total"], rows,
                 ["Number of missing values of each variable at each week; in brackets the "
                  "number of patients seen that week (values of patients not seen are not "
                  "counted as visits)."])


#: The scores the printed per-patient table shows (all measures: the spreadsheet's copy).
PATIENT_MEASURES = ("das_skin", "cmas_total", "mmt8_total", "cs_mg_kg_day")


def patients_table(ctx: Context, *, full: bool = False) -> Table | None:
    """One row per patient: drug, dose, baseline and last scores, response, adverse events.

    The printed table shows the core scores of ``PATIENT_MEASURES``; ``full=True`` gives
    every measure, for the spreadsheet only.
    """
    built = _patient_rows(ctx)
    if built is None:
        return None
    every, full_rows = built
    if full:
        measures, rows = every, full_rows
    else:
        shown = [j for j, m in enumerate(every) if m in PATIENT_MEASURES]
        measures = [every[j] for j in shown]
        last = len(_PATIENT_START) + len(every)  # the columns after the scores
        rows = [[*row[:len(_PATIENT_START)], *[row[len(_PATIENT_START) + j] for j in shown],
                 *row[last:]] for row in full_rows]
    key, title = "patients", "Patients: treatment, scores at week 0 and at the last visit"
    if full:
        key, title = "patients_all", title + " (every measure)"
    return Table(key, title,
                 [*_PATIENT_START,
                  *[f"{f.short_label(ctx.label(m))} 0 → last" for m in measures], "Response (last)",
                  "Adverse events"], rows,
                 ["Dose and weight at JAKi start. Scores: week 0 → last visit. Response at the "
                  "last visit. Adverse events: number reported.",
                  "Rounding: mg/day and weight to 1 decimal place, mg/kg/day to 2; individual "
                  "scores as recorded (at most 1 decimal place)."],
                 inline_limit=LISTING_LIMIT, excel_only=full)


_PATIENT_START = ("Patient", "JAKi", "mg/day", "mg/kg/day", "Weight, kg", "Last week")

# The rows of every measure, built once per report (per Context): the printed table and the
# spreadsheet's copy (build.py asks for both) show the same cells, the printed one a subset
# of the columns. Kept only as long as the Context lives.
_PATIENT_ROWS: dict[int, tuple[list[str], list[list[Cell]]] | None] = {}


def _patient_rows(ctx: Context) -> tuple[list[str], list[list[Cell]]] | None:
    key = id(ctx)
    if key in _PATIENT_ROWS:
        return _PATIENT_ROWS[key]
    built = _PATIENT_ROWS[key] = _every_patient_row(ctx)
    weakref.finalize(ctx, _PATIENT_ROWS.pop, key, None)
    return built


def _every_patient_row(ctx: Context) -> tuple[list[str], list[list[Cell]]] | None:
    """The measures recorded in any patient's baseline or last visit, and each patient's row
    with all of them."""
    patients = ctx.typed.patients
    if not patients:
        return None
    recorded = {m for p in patients for part in (p.baseline, p.last)
                for m, v in part.items() if v is not None}
    measures = ordered_measures(recorded)
    shown = [_dose if ctx.decimals(m) == 2 else _score for m in measures]
    rows = []
    for p in patients:
        row = [text(p.patient_id), _coded(p.jaki_drug),
               num(p.jaki_mg_day, 1), num(p.jaki_mg_kg_day, 2),
               num(p.weight_kg, 1), text(f.fmt_value(p.last_week, 1))]
        baseline, last = p.baseline, p.last
        row += [text(f"{show(baseline.get(m))} → {show(last.get(m))}")
                for m, show in zip(measures, shown, strict=True)]
        row += [_coded(p.response_last), count(p.adverse_events)]
        rows.append(row)
    return measures, rows


def _coded(code: object) -> Cell:
    """A cell showing a dictionary code by its label (missing: a dash)."""
    return text(None if code is None else code_label(code))


def _dose(value: object) -> str:
    return f.fmt_number(value, 2)


def _score(value: object) -> str:
    return f.fmt_value(value, 1)


def adverse_event_table(ctx: Context) -> Table | None:
    """Adverse events: all, serious, and by category, with patients affected."""
    safety = ctx.typed.safety
    if not safety.present:
        return None
    exposed = safety.n_exposed
    pct = ctx.pct_decimals

    def patients(n: object) -> Cell:
        return text(f.count_pct(n, f.percent(n, exposed), pct))

    rows = [[text("All adverse events"), count(safety.n_events), patients(safety.n_patients)]]
    if safety.by_category:
        rows.append([text("By category"), blank(), blank()])
    for category in safety.by_category:
        rows.append([text(code_label(category.key), level=1), count(category.n_events),
                     patients(category.n_patients)])
    rows.append([text("Serious adverse events"), count(safety.serious), blank()])
    return Table("safety", "Adverse events",
                 ["Adverse events", "Events", "Patients with ≥ 1, n (%)"], rows,
                 [f"Percent of the {f.fmt_int(exposed)} patients exposed to a JAK inhibitor. "
                  f"Exposure {f.fmt_number(safety.patient_years, 1)} patient-years; "
                  f"rate {f.fmt_number(safety.rate_per_100py, 1)} events per 100 "
                  f"patient-years (exact Poisson 95% CI "
                  f"{f.fmt_ci(safety.rate_ci95, 1)}).",
                  "Rounding: patient-years and rates to 1 decimal place; "
                  + ctx.pct_note().removeprefix("Rounding: ")])


def grade_table(ctx: Context) -> Table | None:
    by_grade = ctx.typed.safety.by_grade
    if not by_grade:
        return None
    total = ctx.typed.safety.n_events
    rows = [[text(f"Grade {g}"), count(n), text(f.fmt_pct(f.percent(n, total), ctx.pct_decimals))]
            for g, n in sorted(by_grade, key=lambda item: item[0])]
    return Table("safety_grade", "Adverse events by CTCAE grade", ["Grade", "Events", "% of events"],
                 rows, [ctx.pct_note()])


def listing_table(ctx: Context) -> Table | None:
    events = ctx.typed.safety.events
    if not events:
        return None
    rows = [[text(e.patient_id), text(f.fmt_value(e.week, 1)), text(e.term),
             _coded(e.category), count(e.ctcae_grade), _coded(_yes_no(e.serious))]
            for e in events]
    return Table("ae_listing", "Adverse event listing",
                 ["Patient", "Week", "Term", "Category", "CTCAE grade", "Serious"], rows,
                 ["Week of onset since JAKi start."], inline_limit=LISTING_LIMIT)


def _yes_no(value: object) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if value is None else str(value)


def dosing_table(ctx: Context) -> Table | None:
    dosing = ctx.typed.dosing
    if not dosing.present:
        return None
    rows: list[list[Cell]] = []
    for s, label, d in ((dosing.mg_kg_day, "JAKi dose, mg/kg/day", 2),
                        (dosing.mg_day, "JAKi dose, mg/day", 1)):
        if s is not None:
            rows.append([text(label), count(s.n),
                         text(f.fmt_median_iqr(s.median, s.q1, s.q3, d)),
                         text(f.fmt_range(s.min, s.max, d))])
    for drug, n in dosing.by_drug:
        rows.append([text(code_label(drug), level=1), count(n),
                     text(f.fmt_pct(f.percent(n, ctx.n_patients), ctx.pct_decimals)), blank()])
    if not rows:
        return None
    return Table("dosing", "JAK-inhibitor dose at start",
                 ["Dose", "n", "Median (Q1, Q3) or % of patients", "Range"], rows,
                 [ctx.quartiles, "Rounding: mg/kg/day to 2 decimal places, mg/day to 1; "
                  + ctx.pct_note().removeprefix("Rounding: ")])


def published_table(ctx: Context) -> Table | None:
    """A demo cohort's published figures beside what jdmtrack computes from its patients."""
    published = ctx.typed.demo.published
    if not published:
        return None
    rows = []
    matched = comparable = 0
    for item in published:
        printed = item.printed
        reproduced = item.reproduced_text
        if not reproduced:
            reproduced = f.fmt_number(item.reproduced, f.decimals_in(printed))
        match = item.match
        if item.reproducible is False:
            verdict = "not computable"
        else:
            comparable += 1
            matched += match is True
            verdict = "yes" if match is True else "no" if match is False else f.MISSING
        rows.append([text(item.label), text(printed or None), text(reproduced),
                     text(verdict), text(item.note)])
    source = ctx.typed.demo.citation
    notes = [f"{matched} of {comparable} published figures that patient-level data can give "
             f"are reproduced; {len(published) - comparable} cannot be computed from them "
             "(see each note). Published: as printed in the source article. Reproduced: "
             "computed by jdmtrack from the demo cohort, at the published number of decimal "
             "places."]
    if isinstance(source, str):
        notes.append(f"Source: {source}")
    return Table("published", "Published versus reproduced",
                 ["Quantity", "Published", "Reproduced", "Match", "Note"], rows, notes)


def files_table(ctx: Context) -> Table | None:
    provenance = ctx.typed.provenance
    if not provenance.files:
        return None
    rows = [[text(None if x.table is None else code_label(x.table)), text(x.path),
             text(x.sheet), text(x.sha256)] for x in provenance.files]
    return Table("input_files", "Input files", ["Table", "File", "Sheet", "SHA-256"], rows,
                 [f"SHA-256 of all input files together: {provenance.input_sha256}."])


def settings_table(ctx: Context) -> Table | None:
    settings = ctx.typed.recorded_settings.recorded
    if not settings:
        return None
    rows = [[text(key.replace("_", " ")),
             _columns(value) if key in _COLUMN_SETTINGS else text(_setting(value))]
            for key, value in settings.items()]
    return Table("settings", "Analysis settings", ["Setting", "Value"], rows,
                 ["As recorded in results.json."])


# Settings whose value names columns: shown by their labels, the names in small type.
_COLUMN_SETTINGS = ("by", "measures", "refractory_definition")


def _columns(value: Setting) -> Cell:
    names = [str(v) for v in value] if isinstance(value, tuple) else [value] \
        if isinstance(value, str) else []
    if not names:
        return text(_setting(value))
    return coded(", ".join(column_label(None, n) for n in names), ", ".join(names))


def _setting(value: Setting) -> str:
    if isinstance(value, tuple):
        return ", ".join(_setting(v) for v in value)
    if isinstance(value, Mapping):  # e.g. visit_window: {week: half-width}
        return ", ".join(f"{k}: {_setting(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return f.MISSING
    if isinstance(value, float):
        return repr(value)
    return str(value)
