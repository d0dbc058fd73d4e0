"""Fixtures for the demo-cohort tests: the bundled tables read as plain text, and a small
independent oracle that computes a results-file key directly with pandas and numpy.

The oracle does not use jdmtrack's scoring, criteria or statistics: it re-derives each
quantity from the CSV cells (type-6 quartiles via numpy ``method="weibull"``, sample SD,
study B's response rules written out), so that the bundled cohorts are checked against
the published figures independently of the code they will later exercise.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from itertools import product
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jdmtrack import demo

TABLES = ("patients", "visits", "events", "adverse_events")


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False,
                              na_values=[""]) for name in TABLES}


def num(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series).to_numpy(dtype="float64")


def half_up(value: float, decimals: int) -> Decimal:
    """SPSS/Prism rounding: half away from zero on the shortest decimal repr."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def matches(entry: dict[str, Any], value: float) -> bool:
    if entry["statistic"] == "upper_bound":
        return value < entry["value"]
    if entry["statistic"] == "at_most":
        return value <= entry["value"]
    return half_up(value, entry["decimals"]) == half_up(entry["value"], entry["decimals"])


def type6(values: np.ndarray) -> dict[str, float]:
    x = values[~np.isnan(values)]
    q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="weibull")
    return {"n": float(len(x)), "median": float(median), "q1": float(q1), "q3": float(q3),
            "mean": float(x.mean()), "sd": float(x.std(ddof=1)) if len(x) > 1 else math.nan,
            "min": float(x.min()), "max": float(x.max())}


def subset(tables: dict[str, pd.DataFrame], column: str, value: str) -> dict[str, pd.DataFrame]:
    patients = tables["patients"]
    values = (patients[column] if column in patients.columns
              else patients["patient_id"].map(derived(tables, column)))
    ids = set(patients.loc[values == value, "patient_id"])
    return {name: frame[frame["patient_id"].isin(ids)] for name, frame in tables.items()}


def derived(tables: dict[str, pd.DataFrame], column: str) -> pd.Series:
    """jdmtrack's derived patient columns, recomputed from the CSV cells (by patient_id):
    enzymes_high_start = CK or LDH above its upper limit at week 0 ("yes"/"no");
    cmas_course = last scored CMAS above/equal to/below week 0's."""
    v = tables["visits"].assign(w=lambda f: num(f["week"]))
    if column == "enzymes_high_start":
        w0 = v[(v["w"] == 0) & v["ck_u_l"].notna()]
        high = ((num(w0["ck_u_l"]) > num(w0["ck_uln_u_l"]))
                | (num(w0["ldh_u_l"]) > num(w0["ldh_uln_u_l"])))
        return pd.Series(np.where(high, "yes", "no"), index=w0["patient_id"].to_numpy())
    assert column == "cmas_course", column
    c = v[v["cmas_total"].notna()].sort_values("w")
    first = c[c["w"] == 0].set_index("patient_id")["cmas_total"].astype(float)
    last = c[c["w"] > 0].groupby("patient_id")["cmas_total"].last().astype(float)
    diff = (last - first).dropna()
    return diff.map(lambda d: "improved" if d > 0 else "worse" if d < 0 else "unchanged")


def exact_wilcoxon(d: np.ndarray) -> float:
    """Exact two-sided signed-rank p (zeros dropped, midranks, full enumeration)."""
    d = d[(d != 0) & ~np.isnan(d)]
    ranks = pd.Series(np.abs(d)).rank().to_numpy()
    centre = ranks.sum() / 2
    observed = abs(ranks[d > 0].sum() - centre)
    if len(d) <= 16:
        sums = np.array([sum(r for r, s in zip(ranks, signs, strict=True) if s)
                         for signs in product((0, 1), repeat=len(d))])
        return float(np.mean(np.abs(sums - centre) >= observed - 1e-9))
    # Larger n: the count distribution by dynamic programming over doubled ranks.
    counts = {0: 1}
    for r in (2 * ranks).astype(int):
        new: dict[int, int] = {}
        for s, c in counts.items():
            new[s] = new.get(s, 0) + c
            new[s + r] = new.get(s + r, 0) + c
        counts = new
    total = sum(counts.values())
    return sum(c for s, c in counts.items() if abs(s / 2 - centre) >= observed - 1e-9) / total


def km_quantile(times: np.ndarray, events: np.ndarray, p: float) -> float:
    """Kaplan-Meier quantile as R's quantile.survfit (midpoint where S = 1 - p exactly)."""
    order = np.argsort(times, kind="stable")
    times, events = times[order], events[order]
    unique = np.unique(times[events])
    surv, s = [], 1.0
    for t in unique:
        at_risk = np.sum(times >= t)
        s *= 1 - np.sum((times == t) & events) / at_risk
        surv.append(s)
    target = 1 - p
    for i, value in enumerate(surv):
        if abs(value - target) < 1e-12:
            return float((unique[i] + unique[i + 1]) / 2) if i + 1 < len(unique) else math.nan
        if value < target:
            return float(unique[i])
    return math.nan


class Oracle:
    """Computes results-file keys (version 1) from the raw tables of a demo cohort."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.t = tables
        v = tables["visits"].copy()
        v["w"] = num(v["week"])
        for prefix, name in (("cmas_", "cmas_total"), ("mmt8_", "mmt8_total")):
            items = [c for c in v.columns if c.startswith(prefix) and not c.endswith("total")
                     and not c.endswith("seconds")]
            given = num(v[name]) if name in v.columns else np.full(len(v), np.nan)
            summed = (v[items].apply(pd.to_numeric).sum(axis=1, min_count=len(items))
                      .to_numpy() if items else np.full(len(v), np.nan))
            v[name] = np.where(np.isnan(summed), given, summed)
        if "jaki_mg_per_dose" in v.columns:
            v["jaki_mg_kg_day"] = (num(v["jaki_mg_per_dose"]) * num(v["jaki_doses_per_day"])
                                   / num(v["weight_kg"]))
        self.v = v

    def week(self, w: float) -> pd.DataFrame:
        return self.v[self.v["w"] == w].set_index("patient_id")

    def measure(self, column: str, w: float) -> np.ndarray:
        frame = self.week(w)
        return num(frame[column]) if column in frame.columns else np.array([])

    def rash_improved(self, w: float) -> list[bool]:
        base, now = self.week(0), self.week(w)
        out = []
        for pid in now.index:
            b, n = base.loc[pid], now.loc[pid]
            das = (not pd.isna(n.get("das_skin")) and not pd.isna(b.get("das_skin"))
                   and float(n["das_skin"]) < float(b["das_skin"]))
            cat = (pd.isna(n.get("das_skin")) and not pd.isna(n.get("catbm_activity"))
                   and float(n["catbm_activity"]) < float(b["catbm_activity"]))
            cleared = b.get("rash") == "yes" and n.get("rash") == "no"
            out.append(bool(das or cat or cleared))
        return out

    def response(self, w: float) -> list[str]:
        """Study B: CR = PRINTO inactive (3 of CK <= 150, CMAS >= 48, MMT-8 >= 78,
        PhGA <= 0.2) and inactive skin (skin-DAS <= 1, no ulceration, no erythema);
        PR = skin improved, muscle improved where involved, steroid <= half, nothing new."""
        base, now = self.week(0), self.week(w)
        out = []
        for pid in now.index:
            b, n = base.loc[pid], now.loc[pid]
            printo = sum([float(n["ck_u_l"]) <= 150, n["cmas_total"] >= 48,
                          n["mmt8_total"] >= 78, float(n["phga_cm"]) <= 0.2]) >= 3
            skin = (float(n["das_skin"]) <= 1 and n["skin_ulceration_active"] == "no"
                    and n["erythema"] == "no")
            if printo and skin:
                out.append("CR")
                continue
            involved = b["cmas_total"] < 48 or b["mmt8_total"] < 78
            muscle = (not involved or n["cmas_total"] > b["cmas_total"]
                      or n["mmt8_total"] > b["mmt8_total"])
            skin_better = (float(n["das_skin"]) < float(b["das_skin"])
                           or (b["rash"] == "yes" and n["rash"] == "no"))
            taper = 2 * float(n["cs_mg_kg_day"]) <= float(b["cs_mg_kg_day"])
            fresh = n["new_immunosuppressant"] == "yes"
            out.append("PR" if skin_better and muscle and taper and not fresh else "NR")
        return out

    def at_risk(self, event: str) -> list[str]:
        first = self.week(0)
        if event.startswith("rash"):
            rash = first["rash"] == "yes"
            if "das_skin" in first.columns:
                rash |= pd.to_numeric(first["das_skin"]) > 0
            return list(first.index[rash.to_numpy()])
        return list(self.t["patients"]["patient_id"])

    def time_to_event(self, event: str, key: str) -> float:
        e = self.t["events"]
        happened = e[e["event"] == event].groupby("patient_id")["week"].min()
        if key == "events":
            return float(len(happened))
        ids = self.at_risk(event)
        if key == "n":
            return float(len(ids))
        end = self.t["patients"].set_index("patient_id")["followup_weeks"]
        times = np.array([float(happened.get(i, end[i])) for i in ids])
        flags = np.array([i in happened.index for i in ids])
        p = {"median_weeks": 0.5, "q1_weeks": 0.25, "q3_weeks": 0.75}[key]
        return km_quantile(times, flags, p)

    def value(self, path: str) -> float:
        parts = path.split(".")
        p = self.t["patients"]
        if path == "cohort.n_patients":
            return float(len(p))
        if parts[:2] == ["cohort", "followup_weeks"]:
            return type6(num(p["followup_weeks"]))[parts[2]]
        if parts[0] == "baseline":
            name = parts[1]
            if name == "cs_mg_kg_day":
                return type6(self.measure("cs_mg_kg_day", 0))[parts[2]]
            if name == "baseline_agents":
                lists = p[name].dropna().str.split(";")
                return float(sum(parts[3] in codes for codes in lists))
            if parts[2] in ("counts", "percent"):
                column = p[name]
                count = float((column == parts[3]).sum())
                return count if parts[2] == "counts" else 100 * count / column.notna().sum()
            return type6(num(p[name]))[parts[2]]
        if parts[0] == "dosing":
            return type6(self.measure(parts[1], 0))[parts[2]]
        if parts[0] == "outcomes":
            column, kind, w, stat = parts[1], parts[2], float(parts[3]), parts[4]
            if kind == "by_week":
                return type6(self.measure(column, w))[stat]
            base, now = self.week(0)[column], self.week(w)[column]
            pairs = pd.concat([pd.to_numeric(base), pd.to_numeric(now)], axis=1,
                              keys=["b", "n"]).dropna()
            return exact_wilcoxon((pairs["n"] - pairs["b"]).to_numpy())
        if parts[:2] == ["criteria", "rash_improved"]:
            flags = self.rash_improved(float(parts[2]))
            return float(sum(flags)) if parts[3] == "n_met" else float(np.mean(flags))
        if parts[0] == "response":
            return float(self.response(float(parts[1])).count(parts[2]))
        if parts[0] == "time_to_event":
            return self.time_to_event(parts[1], parts[2])
        if parts[0] == "safety":
            ae = self.t["adverse_events"]
            return {"n_events": float(len(ae)), "n_patients": float(ae["patient_id"].nunique()),
                    "serious": float((ae["serious"] == "yes").sum())}[parts[1]]
        raise KeyError(f"the test oracle does not know {path!r}")


def bundled_folder(name: str) -> Path:
    return Path(str(demo.path(name)))


def load_published(name: str) -> list[dict[str, Any]]:
    data = json.loads((bundled_folder(name) / "published.json").read_text(encoding="utf-8"))
    figures: list[dict[str, Any]] = data["figures"]
    return figures


@pytest.fixture(scope="session")
def demo_tables() -> Callable[[str], dict[str, pd.DataFrame]]:
    """``demo_tables(name)``: the bundled CSV files of a demo cohort, cells as text."""
    cache: dict[str, dict[str, pd.DataFrame]] = {}

    def get(name: str) -> dict[str, pd.DataFrame]:
        if name not in cache:
            cache[name] = read_tables(bundled_folder(name))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def oracle(demo_tables: Callable[[str], dict[str, pd.DataFrame]],
           ) -> Callable[[str, Any], Oracle]:
    """``oracle(name, subgroup)``: an Oracle on a demo cohort or on one of its subgroups
    (``subgroup`` as in published.json: None or {"column": ..., "value": ...})."""

    def get(name: str, subgroup: Any = None) -> Oracle:
        tables = demo_tables(name)
        if isinstance(subgroup, list):  # published.json's "where": ["FIELD=VALUE", ...]
            for condition in subgroup:
                column, value = condition.split("=", 1)
                tables = subset(tables, column, value)
        elif subgroup is not None:
            tables = subset(tables, subgroup["column"], subgroup["value"])
        return Oracle(tables)

    return get


@pytest.fixture(scope="session")
def helpers() -> SimpleNamespace:
    """The plain helper functions, for test modules (conftest is not importable)."""
    return SimpleNamespace(num=num, type6=type6, half_up=half_up, matches=matches,
                           exact_wilcoxon=exact_wilcoxon, subset=subset,
                           load_published=load_published, read_tables=read_tables,
                           bundled_folder=bundled_folder, Oracle=Oracle)
