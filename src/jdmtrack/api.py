"""The Python front door: read, validate, score, analyse and report, as the CLI does.

Every function takes a cohort as a path (a folder of CSV files or a workbook), a
``Cohort`` already read, or pandas DataFrames in long format (one row per patient per
visit, as ``visits.csv``; ``patients`` optional, else the patients are the visits'
``patient_id`` values). The command line (``jdmtrack analyze``/``report``) calls these.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from .cohort import Cohort
from .errors import DataWarning, InputError, Problem, SettingsError
from .fields import LIST_SEPARATOR
from .pipeline import ScoredCohort, load_cohort, score_cohort

if TYPE_CHECKING:
    from .analysis.settings import AnalysisSettings
    from .report.render import ReportFiles
    from .results import Results

__all__ = ["CohortSource", "Validation", "analyze", "read_cohort", "report", "score", "validate"]

CohortSource: TypeAlias = "str | Path | Cohort | ScoredCohort | pd.DataFrame"


def read_cohort(source: str | Path | pd.DataFrame, *, patients: pd.DataFrame | None = None,
                events: pd.DataFrame | None = None,
                adverse_events: pd.DataFrame | None = None) -> Cohort:
    """Read and validate a cohort; raises ``InputError`` listing every problem at once.

    ``source`` is a folder or workbook path, or the visits as a long DataFrame (then
    ``patients``, ``events`` and ``adverse_events`` may be given as DataFrames too).
    A DataFrame is checked exactly as a workbook sheet would be; its rows are numbered
    as a spreadsheet would number them (header = row 1).
    """
    if isinstance(source, pd.DataFrame):
        from .validate import validate_cohort

        return validate_cohort(_raw_from_frames(source, patients, events, adverse_events))
    if patients is not None or events is not None or adverse_events is not None:
        raise SettingsError("patients=, events= and adverse_events= go with a visits "
                            "DataFrame, not with a path")
    return load_cohort(source)


@dataclass(frozen=True)
class Validation:
    """What validation found: every problem (empty when the cohort is valid) and warnings."""

    problems: tuple[Problem, ...]
    warnings: tuple[DataWarning, ...]
    n_patients: int
    n_visits: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return (f"valid: {self.n_patients} patients, {self.n_visits} visits, "
                    f"{len(self.warnings)} warning(s)")
        return "\n".join([f"{len(self.problems)} problem(s):", *(f"  {p}" for p in self.problems)])


def validate(source: str | Path | Cohort | pd.DataFrame, **tables: pd.DataFrame) -> Validation:
    """Check a cohort against the cohort format; never raises for bad input."""
    try:
        cohort = source if isinstance(source, Cohort) else read_cohort(source, **tables)
    except InputError as err:
        return Validation(err.problems, (), 0, 0)
    return Validation((), tuple(cohort.warnings), len(cohort.patients), len(cohort.visits))


def score(source: CohortSource, settings: AnalysisSettings | None = None) -> ScoredCohort:
    """Every instrument scored and every visit classified (``jdmtrack score``)."""
    if isinstance(source, ScoredCohort):
        return source
    cohort = source if isinstance(source, Cohort) else read_cohort(source)
    return score_cohort(cohort, None if settings is None else settings.criteria)


def analyze(source: CohortSource, *, where: str | Sequence[str] | None = None,
            by: str | None = None, measures: Sequence[str] | None = None,
            settings: AnalysisSettings | str | Path | None = None,
            patients: pd.DataFrame | None = None,
            progress: Callable[[str], None] | None = None, **options: Any) -> Results:
    """The analysis (``jdmtrack analyze``) as a typed ``Results``.

    ``where`` restricts to a population (conditions joined by AND), ``by`` adds the
    by-group section, ``measures`` chooses the outcome measures; ``settings`` is an
    ``AnalysisSettings`` or a settings file, and ``options`` override single settings
    (``alpha=0.01``, ``weeks=(0, 12, 24)``, ...).
    """
    from dataclasses import replace

    from .analysis import analyze as analyze_dict
    from .analysis.settings import AnalysisSettings, load_settings
    from .results import Results

    step = progress or (lambda _stage: None)
    overrides = {"where": ((where,) if isinstance(where, str) else where), "by": by,
                 "measures": measures, **options}
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if isinstance(settings, AnalysisSettings):
        chosen = replace(settings, **overrides) if overrides else settings
    else:
        chosen = load_settings(settings, **overrides)
    if isinstance(source, pd.DataFrame):
        source = read_cohort(source, patients=patients)
    elif not isinstance(source, (Cohort, ScoredCohort)):
        step(f"reading and validating {source}")
        source = read_cohort(source)
    if not isinstance(source, ScoredCohort):
        step(f"scoring and classifying {len(source.visits)} visits")
    scored = score(source, chosen)
    step("analysing")
    return Results._owning(analyze_dict(scored, chosen), visits=scored.visits,
                           scored=scored, settings=chosen)


def report(results: Results | Mapping[str, Any], out: str | Path, *,
           visits: pd.DataFrame | None = None,
           progress: Callable[[str], None] | None = None) -> ReportFiles:
    """Write the report (HTML, Word, Excel, figures, results.json) into the folder ``out``.

    ``results`` is what ``analyze`` returned (it carries the scored visits for the
    per-patient figures), or a results-file dict with ``visits`` given.
    """
    from .report import render_report
    from .results import Results

    if isinstance(results, Results):
        data, table = results, results.visits if visits is None else visits
    else:
        data, table = Results.from_dict(results, copy_data=False), visits
    if table is None:
        table = pd.DataFrame({"patient_id": pd.Series(dtype=object),
                              "week": pd.Series(dtype="float64")})
    return render_report(data, table, Path(out), progress=progress)


# -- DataFrames as raw tables --------------------------------------------------------


def _cell(value: object) -> object:
    """A DataFrame cell as a workbook would give it: yes/no for booleans, lists joined."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def _raw_table(name: str, frame: pd.DataFrame) -> Any:
    from .io.raw import RawTable

    out = pd.DataFrame(index=pd.RangeIndex(2, 2 + len(frame), name="row"))
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[str(column)] = values.to_numpy(dtype="float64", na_value=float("nan"))
        else:
            out[str(column)] = pd.Series([_cell(v) for v in values], index=out.index,
                                         dtype=object)
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return RawTable(name, f"{name} (DataFrame)", None, out, digest)


def _raw_from_frames(visits: pd.DataFrame, patients: pd.DataFrame | None,
                     events: pd.DataFrame | None, adverse: pd.DataFrame | None) -> Any:
    from .io.raw import RawCohort

    if patients is None:
        if "patient_id" not in visits.columns:
            raise InputError([Problem("visits (DataFrame)", None, "patient_id", None,
                                      "a patient_id column")])
        patients = pd.DataFrame({"patient_id": pd.unique(visits["patient_id"].dropna())})
    raw = RawCohort(Path("<DataFrames>"))
    for name, frame in (("patients", patients), ("visits", visits), ("events", events),
                        ("adverse_events", adverse)):
        if frame is not None:
            raw.tables[name] = _raw_table(name, frame)
    return raw
