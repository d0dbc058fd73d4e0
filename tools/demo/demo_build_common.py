"""Shared helpers of the demo-cohort builders (tools/demo/build_*.py).

The builders write the bundled demo cohorts under ``src/jdmtrack/data/demo/<name>/``:
the four cohort-format v1 CSV files, ``README.txt`` and ``published.json``. They are
deterministic (no random numbers: every value is written out in the builder), and each
one checks, before writing, that its cohort gives every published figure it claims to
reproduce.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jdmtrack.fields import CMAS_ITEMS, EXTRA_PREFIX, MMT8_GROUPS, TABLES, fields_of
from jdmtrack.pipeline import load_cohort, score_cohort
from jdmtrack.stats import spss_signed_rank, wilcoxon_signed_rank

REPO = Path(__file__).resolve().parents[2]
DEMO_ROOT = REPO / "src" / "jdmtrack" / "data" / "demo"

# Weeks to months as the results file and the papers use them (365.25 / 12 days a month).
WEEKS_TO_MONTHS = 7 * 12 / 365.25

# Order in which a CMAS deficit (52 - total) is taken from the items: axial and proximal
# endurance items first, as weakness in JDM is proximal (item numbers as on the form).
_CMAS_LOSS_ORDER = (1, 3, 5, 8, 10, 11, 6, 4, 12, 9, 13, 7, 2, 14)
# Order in which an MMT-8 deficit (80 - total) is taken from the muscle groups.
_MMT8_LOSS_ORDER = ("mmt8_neck_flexors", "mmt8_gluteus_medius", "mmt8_gluteus_maximus",
                    "mmt8_deltoid", "mmt8_quadriceps", "mmt8_biceps", "mmt8_wrist_extensors",
                    "mmt8_ankle_dorsiflexors")


def cmas_items(total: int) -> dict[str, int]:
    """Fourteen CMAS item scores summing to ``total``: the deficit spread over the items.

    >>> sum(cmas_items(41).values()), cmas_items(52)["cmas_05"], cmas_items(0)["cmas_05"]
    (41, 6, 0)
    """
    if not 0 <= total <= 52:
        raise ValueError(f"CMAS total {total} outside 0-52")
    maxima = {int(name[-2:]): top for name, _, top in CMAS_ITEMS}
    items = dict(maxima)
    deficit = 52 - total
    while deficit:
        for number in _CMAS_LOSS_ORDER:
            if deficit and items[number] > 0:
                items[number] -= 1
                deficit -= 1
    return {f"cmas_{n:02d}": items[n] for n in sorted(items)}


def mmt8_groups(total: int) -> dict[str, int]:
    """Eight MMT-8 group scores (0-10) summing to ``total``.

    >>> sum(mmt8_groups(73).values()), mmt8_groups(73)["mmt8_ankle_dorsiflexors"]
    (73, 10)
    """
    if not 0 <= total <= 80:
        raise ValueError(f"MMT-8 total {total} outside 0-80")
    groups = {name: 10 for name, _ in MMT8_GROUPS}
    deficit = 80 - total
    while deficit:
        for name in _MMT8_LOSS_ORDER:
            if deficit and groups[name] > 0:
                groups[name] -= 1
                deficit -= 1
    return groups


def cell(value: object) -> str:
    """One CSV cell in cohort format v1: empty = missing, yes/no, ';'-lists, short numbers.

    >>> [cell(v) for v in (None, True, 12.0, 0.339, ("ivig", "methotrexate"), "B01")]
    ['', 'yes', '12', '0.339', 'ivig;methotrexate', 'B01']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer():
            return str(int(number))
        return repr(round(number, 6))
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    return str(value)


def write_table(folder: Path, table: str, rows: Sequence[Mapping[str, object]]) -> Path:
    """Write one table; columns in field-dictionary order, then the ``x_`` extras."""
    known = [f.name for f in fields_of(table)]
    present: set[str] = set()
    extras: list[str] = []
    for row in rows:
        for name in row:
            if name in present:
                continue
            present.add(name)
            if name.startswith(EXTRA_PREFIX):
                extras.append(name)
            elif name not in known:
                raise KeyError(f"{table}: {name!r} is not a cohort-format v1 column")
    if not rows:
        present.update(f.name for f in fields_of(table) if f.required or table == "adverse_events")
    columns = [name for name in known if name in present] + extras
    path = folder / f"{table}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(name)) for name in columns])
    return path


# What the builders' self-checks take from jdmtrack's own derive stage rather than compute
# again: instrument totals and doses (jdmtrack.instruments), the visit criteria
# (jdmtrack.criteria) and the patient courses (jdmtrack.courses).
DERIVED_VISIT_COLUMNS = ("cmas_total", "mmt8_total", "jaki_mg_kg_day", "rash_improved",
                         "response")
DERIVED_PATIENT_COLUMNS = ("enzymes_high_start", "enzymes_high_throughout", "cmas_course")


def frames(folder: Path) -> dict[str, pd.DataFrame]:
    """The written tables, read back as text (empty cells as NaN), for the self-checks,
    with the columns jdmtrack derives from them (``DERIVED_*_COLUMNS``) added as text too:
    the cohort is loaded and scored by the library, as ``jdmtrack analyse`` does."""
    out = {}
    for spec in TABLES:
        path = folder / spec.filename
        out[spec.name] = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    scored = score_cohort(load_cohort(folder))
    for name, derived, columns in (("visits", scored.visits, DERIVED_VISIT_COLUMNS),
                                   ("patients", scored.patients, DERIVED_PATIENT_COLUMNS)):
        table = out[name]
        derived = derived.reset_index(drop=True)
        keys = ["patient_id", "week"] if name == "visits" else ["patient_id"]
        same = all(numbers(table[k]).tolist() == derived[k].astype(float).tolist()
                   if k == "week" else table[k].tolist() == derived[k].tolist() for k in keys)
        if not same:
            raise SystemExit(f"{name}: jdmtrack's scored rows are not in the file's order")
        for column in columns:
            if column not in table.columns:
                table[column] = [_text(v) for v in derived[column].tolist()]
    return out


def _text(value: object) -> str | float:
    """A derived value as the text tables hold it: yes/no, the code, the number; NaN empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    return value if isinstance(value, str) else repr(float(value))  # type: ignore[arg-type]


def numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="raise").to_numpy(dtype="float64")


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """(median, Q1, Q3), Hyndman-Fan type 6 (SPSS, Prism), missing values dropped."""
    x = np.asarray(list(values), dtype="float64")
    x = x[~np.isnan(x)]
    q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="weibull")
    return float(median), float(q1), float(q3)


# -- reading figures off the tables (``t``: the tables ``frames`` returns) --------------

T = dict[str, pd.DataFrame]
Where = tuple[str, str] | None  # (patients column, value): the analysis population


def patients_where(t: T, where: Where = None) -> pd.DataFrame:
    """The patients rows, or those whose column ``where[0]`` (recorded or derived) is
    ``where[1]``."""
    p = t["patients"]
    return p if where is None else p[p[where[0]].to_numpy() == where[1]]


def visits_at(t: T, week: float, where: Where = None) -> pd.DataFrame:
    """The visits at ``week`` (of the patients ``where`` selects)."""
    v = t["visits"]
    v = v[numbers(v["week"]) == week]
    if where is not None:
        v = v[v["patient_id"].isin(patients_where(t, where)["patient_id"])]
    return v


def column_at(t: T, column: str, week: float, where: Where = None) -> np.ndarray:
    return numbers(visits_at(t, week, where)[column])


def quartile_at(t: T, column: str, week: float, which: int, where: Where = None) -> float:
    """(median, Q1, Q3)[which] of ``column`` at ``week``."""
    return quartiles(column_at(t, column, week, where))[which]


def count(t: T, table: str, column: str, value: str) -> float:
    return float((t[table][column] == value).sum())


def pairs(t: T, column: str, weeks: tuple[float, float], where: Where = None,
          ) -> tuple[np.ndarray, np.ndarray]:
    """``column`` at the two weeks, for the patients who have it at both (file order)."""
    before = visits_at(t, weeks[0], where).set_index("patient_id")[column]
    after = visits_at(t, weeks[1], where).set_index("patient_id")[column]
    both = pd.concat([before, after], axis=1, keys=["b", "a"]).dropna()
    return numbers(both["b"]), numbers(both["a"])


def wilcoxon_exact_p(t: T, column: str, weeks: tuple[float, float], where: Where = None,
                     ) -> float:
    """jdmtrack's exact two-sided Wilcoxon signed-rank p, later week minus earlier."""
    before, after = pairs(t, column, weeks, where)
    p = wilcoxon_signed_rank(after - before).p_value_exact
    if p is None:
        raise SystemExit(f"{column}: no exact Wilcoxon p for weeks {weeks}")
    return p


def wilcoxon_spss_p(t: T, column: str, weeks: tuple[float, float], where: Where = None,
                    ) -> float:
    """jdmtrack's Wilcoxon signed-rank p as SPSS prints it (normal approximation, ties
    corrected, no continuity correction), later week minus earlier."""
    before, after = pairs(t, column, weeks, where)
    p = spss_signed_rank(after - before).p_value
    if p is None:
        raise SystemExit(f"{column}: no Wilcoxon p for weeks {weeks}")
    return p


def half_up(value: float, decimals: int) -> Decimal:
    """Round as SPSS and Prism print: half away from zero, on the shortest decimal repr.

    >>> str(half_up(306.25, 1)), str(half_up(7.25, 1)), str(half_up(0.0449, 2))
    ('306.3', '7.3', '0.04')
    """
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


@dataclass
class Figure:
    """One published number, how to get it, and (builder only) how to compute it."""

    id: str
    group: str
    label: str
    printed: str
    value: float
    decimals: int
    statistic: str
    path: str | None
    compute: Callable[[dict[str, pd.DataFrame]], float] | None
    method: str
    reproducible: bool = True
    subgroup: tuple[str, str] | None = None
    scale: float | None = None
    note: str = ""
    cohort_value: float | None = field(default=None, init=False)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "group": self.group, "label": self.label, "printed": self.printed,
            "value": self.value, "decimals": self.decimals, "statistic": self.statistic,
            "path": self.path,
            "where": ([] if self.subgroup is None
                      else [f"{self.subgroup[0]}={self.subgroup[1]}"]),
            "scale": self.scale, "reproducible": self.reproducible,
            "cohort_value": self.cohort_value, "method": self.method, "note": self.note,
        }
        return out


def check_figures(figures: Sequence[Figure], tables: dict[str, pd.DataFrame]) -> None:
    """Compute every figure on the written cohort; reproducible ones must round to print."""
    seen: set[str] = set()
    failures = []
    for fig in figures:
        if fig.id in seen:
            failures.append(f"{fig.id}: duplicate id")
        seen.add(fig.id)
        if fig.compute is None:
            if fig.reproducible:
                failures.append(f"{fig.id}: reproducible but nothing computes it")
            continue
        got = float(fig.compute(tables))
        if fig.statistic == "upper_bound":  # printed as "p < 0.05": a bound, not a value
            matches = got < fig.value
        elif fig.statistic == "at_most":  # printed as "normal": at most the limit
            matches = got <= fig.value
        else:
            matches = half_up(got, fig.decimals) == half_up(fig.value, fig.decimals)
        if fig.reproducible and not matches:
            failures.append(f"{fig.id}: printed {fig.printed}, cohort gives {got!r}")
        if not fig.reproducible:
            fig.cohort_value = round(got, 10)
            if matches:
                failures.append(f"{fig.id}: marked not reproducible but the cohort gives it")
    if failures:
        raise SystemExit("published figures not reproduced:\n  " + "\n  ".join(failures))


def write_published(folder: Path, source: Mapping[str, object],
                    conventions: Mapping[str, str], figures: Sequence[Figure]) -> Path:
    data = {
        "schema_version": 1,
        "synthetic": True,
        "source": dict(source),
        "conventions": dict(conventions),
        "figures": [f.as_json() for f in figures],
    }
    path = folder / "published.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


CONVENTIONS = {
    "quantiles": "Hyndman-Fan type 6 (SPSS, GraphPad Prism; rank (n + 1) p): numpy "
                 "np.quantile(x, q, method='weibull'); jdmtrack's default",
    "sd": "sample standard deviation (n - 1)",
    "rounding": "half away from zero at the printed number of decimals, on the full-precision "
                "value (SPSS and Prism print this way; Python's round() does not)",
    "percent": "100 * count / denominator, printed to the decimals shown",
    "path": "dotted key of the jdmtrack results file, version 1 (docs/results.schema.json); "
            "null when the results file does not hold the quantity",
    "where": "--where conditions (FIELD=VALUE on a patients field, recorded or derived, e.g. "
             "cmas_course=improved): the figure is computed on that analysis population",
    "scale": "when set, multiply the results-file value by it before rounding (weeks to "
             "months: 7 x 12 / 365.25)",
    "statistic": "what the value is: median, q1, q3, mean, sd, min, max, count, percent, "
                 "value (one patient's), p_value; upper_bound when the paper prints a bound "
                 "(p < 0.05: reproduced when the cohort's value is below it); at_most when "
                 "the paper says 'normal' (reproduced when at most the upper limit of normal)",
    "cohort_value": "for figures that no data can give (reproducible false): what this cohort "
                    "gives instead, at full precision",
}
