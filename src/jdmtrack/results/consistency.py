"""Do the results agree with themselves? Every total and percentage the report prints, rechecked.

This is the results file's boundary check, so it lives with the readers (:mod:`.read`) and
reads the file as written, not the typed values: a count of 3.5 or a percentage that
disagrees with its own counts must be reported, where the typed readers would only read
the value as missing. ``jdmtrack.report.check_results`` is the same function.

Published case series have printed "CR 15 (79%)" for 15 of 20, and "CR and PR in 19 of
20" when CR 15 + PR 3 = 18. :func:`check_results` recomputes each such figure from the
counts in a results dict (as written to ``results.json``) and lists every disagreement;
an empty list means the report's numbers are consistent with one another.

>>> check_results({"response": {"24": {"n_evaluable": 20, "CR": 15, "PR": 3, "NR": 2,
...                                     "percent": {"CR": 79.0, "PR": 15.0, "NR": 10.0}}}})
['response week 24: percent CR is 79.0, but 100 × 15 / 20 = 75.0']
>>> check_results({"response": {"24": {"n_evaluable": 20, "CR": 15, "PR": 4, "NR": 2}}})
['response week 24: CR + PR + NR = 21, but n_evaluable = 20']
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import TypeIs

__all__ = ["check_results"]

_TOL = 1e-9


def is_number(x: object) -> TypeIs[int | float]:
    """True for a finite int or float (not bool, not None, not NaN)."""
    return not isinstance(x, bool) and isinstance(x, numbers.Real) and math.isfinite(x)


def sorted_weeks(keys: Iterable[str]) -> list[str]:
    """Week keys in time order, keys that are not numbers last.

    >>> sorted_weeks(["12", "0", "end", "4"])
    ['0', '4', '12', 'end']
    """
    def order(key: str) -> float:
        try:
            return float(key)
        except ValueError:
            return math.inf

    return sorted(keys, key=order)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOL, abs_tol=_TOL)


def _total(values: list[Any]) -> float | None:
    """The sum when every value is a number, else None."""
    numbers = [float(v) for v in values if is_number(v)]
    return sum(numbers) if len(numbers) == len(values) else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _Checker:
    def __init__(self, results: Mapping[str, Any]) -> None:
        self.results = results
        self.problems: list[str] = []
        cohort = _dict(results.get("cohort"))
        n = cohort.get("n_patients")
        self.n_patients: int | None = int(n) if is_number(n) else None

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def at_most(self, where: str, name: str, value: object, bound_name: str,
                bound: object) -> None:
        if is_number(value) and is_number(bound) and value > bound:
            self.fail(where, f"{name} = {value:g} exceeds {bound_name} = {bound:g}")

    def count(self, where: str, name: str, value: object) -> None:
        if value is None:
            return
        if not is_number(value) or value < 0 or not float(value).is_integer():
            self.fail(where, f"{name} = {value!r} is not a count")

    def percent(self, where: str, name: str, pct: object, k: object, n: object) -> None:
        if not (is_number(pct) and is_number(k) and is_number(n)):
            return
        if n == 0:
            self.fail(where, f"{name} is {pct:g} of a denominator of 0")
        elif not _close(pct, 100 * k / n):
            self.fail(where, f"{name} is {pct!r}, but 100 × {k:g} / {n:g} = {100 * k / n:.1f}")

    def ci(self, where: str, ci: object, estimate: object, *, lower: float = -math.inf,
           upper: float = math.inf) -> None:
        if not isinstance(ci, list | tuple) or len(ci) != 2:
            return
        lo, hi = ci
        if is_number(lo) and is_number(hi) and lo > hi:
            self.fail(where, f"95% CI [{lo:g}, {hi:g}] is reversed")
        for end in (lo, hi):
            if is_number(end) and not lower - _TOL <= end <= upper + _TOL:
                self.fail(where, f"95% CI limit {end:g} outside [{lower:g}, {upper:g}]")
        if is_number(estimate):
            if is_number(lo) and estimate < lo - _TOL:
                self.fail(where, f"estimate {estimate:g} below its 95% CI [{lo:g}, {hi}]")
            if is_number(hi) and estimate > hi + _TOL:
                self.fail(where, f"estimate {estimate:g} above its 95% CI [{lo}, {hi:g}]")

    def quartiles(self, where: str, s: Mapping[str, Any]) -> None:
        order = [(k, s.get(k)) for k in ("min", "q1", "median", "q3", "max")]
        known = [(k, v) for k, v in order if is_number(v)]
        for (k1, v1), (k2, v2) in itertools.pairwise(known):
            if v1 > v2 + _TOL:
                self.fail(where, f"{k1} = {v1:g} > {k2} = {v2:g}")
        self.count(where, "n", s.get("n"))
        self.at_most(where, "n", s.get("n"), "cohort n_patients", self.n_patients)

    def p_value(self, where: str, name: str, p: object) -> None:
        if is_number(p) and not 0 <= p <= 1:
            self.fail(where, f"{name} = {p:g} is not a probability")


def check_results(results: Mapping[str, Any]) -> list[str]:
    """Every internal inconsistency in a results dict, as readable messages ([] = consistent)."""
    c = _Checker(results)
    _cohort(c)
    _baseline(c)
    _outcomes(c)
    _criteria(c)
    _response(c)
    _time_to_event(c)
    _safety(c)
    _dosing_and_patients(c)
    return c.problems


def _cohort(c: _Checker) -> None:
    cohort = _dict(c.results.get("cohort"))
    per_week = _dict(cohort.get("visits_per_week"))
    for w, n in per_week.items():
        c.count(f"cohort week {w}", "visits", n)
        c.at_most(f"cohort week {w}", "patients seen", n, "n_patients", c.n_patients)
    seen = sum(v for v in per_week.values() if is_number(v))
    c.at_most("cohort", "visits at the listed weeks", seen, "n_visits", cohort.get("n_visits"))
    for variable, by_week in _dict(cohort.get("missing")).items():
        for w, n in _dict(by_week).items():
            c.count(f"cohort missing {variable} week {w}", "n_missing", n)
            c.at_most(f"cohort missing {variable} week {w}", "n_missing", n, "n_patients",
                      c.n_patients)
    follow = _dict(cohort.get("followup_weeks"))
    if follow:
        c.quartiles("cohort followup_weeks", follow)


def _baseline(c: _Checker) -> None:
    for name, s in _dict(c.results.get("baseline")).items():
        s = _dict(s)
        where = f"baseline {name}"
        n, missing = s.get("n"), s.get("missing")
        c.count(where, "missing", missing)
        if is_number(n) and is_number(missing) and c.n_patients is not None \
                and n + missing != c.n_patients:
            c.fail(where, f"n + missing = {n + missing:g}, but the cohort has {c.n_patients}")
        if s.get("type") == "categorical":
            counts, percents = _dict(s.get("counts")), _dict(s.get("percent"))
            for level, k in counts.items():
                c.count(where, f"count {level}", k)
                c.at_most(where, f"count {level}", k, "n", n)
                c.percent(where, f"percent {level}", percents.get(level), k, n)
            for level in percents.keys() - counts.keys():
                c.fail(where, f"percent {level} has no count")
        else:
            c.quartiles(where, s)


def _outcomes(c: _Checker) -> None:
    per_week = _dict(_dict(c.results.get("cohort")).get("visits_per_week"))
    for measure, entry in _dict(c.results.get("outcomes")).items():
        entry = _dict(entry)
        by_week = _dict(entry.get("by_week"))
        for w, s in by_week.items():
            where = f"outcomes {measure} week {w}"
            c.quartiles(where, _dict(s))
            c.at_most(where, "n", _dict(s).get("n"), "patients seen", per_week.get(w))
        base_n = _dict(by_week.get("0")).get("n")
        for w, t in _dict(entry.get("vs_baseline")).items():
            t = _dict(t)
            where = f"outcomes {measure} week {w} vs week 0"
            c.count(where, "n_pairs", t.get("n_pairs"))
            c.at_most(where, "n_pairs", t.get("n_pairs"), "n at week 0", base_n)
            c.at_most(where, "n_pairs", t.get("n_pairs"), f"n at week {w}",
                      _dict(by_week.get(w)).get("n"))
            c.at_most(where, "n_nonzero", t.get("n_nonzero"), "n_pairs", t.get("n_pairs"))
            for key in ("p_value_exact", "p_value_asymptotic", "p_adjusted", "p_value_t",
                        "min_attainable_p"):
                c.p_value(where, key, t.get(key))
            exact, adjusted = t.get("p_value_exact"), t.get("p_adjusted")
            if is_number(exact) and is_number(adjusted) and adjusted < exact - _TOL:
                c.fail(where, f"Holm-adjusted p {adjusted:g} is below the raw p {exact:g}")
            c.ci(where, t.get("ci95"), t.get("hodges_lehmann"))
        friedman = _dict(entry.get("friedman"))
        if friedman:
            where = f"outcomes {measure} friedman"
            c.p_value(where, "p_value", friedman.get("p_value"))
            c.p_value(where, "p_value_exact", friedman.get("p_value_exact"))
            complete = friedman.get("n_complete")
            for w in friedman.get("weeks") or []:
                c.at_most(where, "n_complete", complete, f"n at week {w}",
                          _dict(by_week.get(str(w))).get("n"))
            w_stat = friedman.get("kendall_w")
            if is_number(w_stat) and not -_TOL <= w_stat <= 1 + _TOL:
                c.fail(where, f"Kendall's W = {w_stat:g} outside [0, 1]")
        mixed = _dict(entry.get("mixed_model"))
        for w, e in _dict(mixed.get("estimates")).items():
            c.ci(f"outcomes {measure} mixed model week {w}", _dict(e).get("ci95"),
                 _dict(e).get("estimate"))
            c.p_value(f"outcomes {measure} mixed model week {w}", "p_value",
                      _dict(e).get("p_value"))


def _criteria(c: _Checker) -> None:
    criteria = _dict(c.results.get("criteria"))
    for name, weeks in criteria.items():
        if name == "tis":
            continue
        for w, s in _dict(weeks).items():
            s = _dict(s)
            where = f"criteria {name} week {w}"
            n, k = s.get("n_evaluable"), s.get("n_met")
            c.count(where, "n_evaluable", n)
            c.count(where, "n_met", k)
            c.at_most(where, "n_met", k, "n_evaluable", n)
            c.at_most(where, "n_evaluable", n, "n_patients", c.n_patients)
            p = s.get("proportion")
            if is_number(p) and is_number(k) and is_number(n):
                if n == 0:
                    c.fail(where, "a proportion of 0 evaluable patients")
                elif not _close(p, k / n):
                    c.fail(where, f"proportion {p!r}, but {k:g} / {n:g} = {k / n:.4f}")
            c.ci(where, s.get("ci95"), p, lower=0, upper=1)
    for w, s in _dict(criteria.get("tis")).items():
        s = _dict(s)
        where = f"criteria tis week {w}"
        parts = [s.get(k) for k in ("none", "minimal", "moderate", "major")]
        for name, k in zip(("none", "minimal", "moderate", "major"), parts, strict=True):
            c.count(where, name, k)
        total = _total(parts)
        if total is not None and is_number(s.get("n")) and total != s["n"]:
            c.fail(where, f"none + minimal + moderate + major = {total:g}, but n = {s['n']:g}")
        c.quartiles(where, s)


def _response(c: _Checker) -> None:
    for w in sorted_weeks(_dict(c.results.get("response"))):
        s = _dict(c.results["response"][w])
        where = f"response week {w}"
        n = s.get("n_evaluable")
        counts = [s.get(k) for k in ("CR", "PR", "NR")]
        for name, k in zip(("CR", "PR", "NR"), counts, strict=True):
            c.count(where, name, k)
        c.count(where, "not_evaluable", s.get("not_evaluable"))
        total = _total(counts)
        if total is not None and is_number(n) and total != n:
            c.fail(where, f"CR + PR + NR = {total:g}, but n_evaluable = {n:g}")
        if is_number(n) and is_number(s.get("not_evaluable")):
            c.at_most(where, "n_evaluable + not_evaluable", n + s["not_evaluable"],
                      "n_patients", c.n_patients)
        for name, k in zip(("CR", "PR", "NR"), counts, strict=True):
            c.percent(where, f"percent {name}", _dict(s.get("percent")).get(name), k, n)
            share = k / n if is_number(k) and is_number(n) and n > 0 else None
            c.ci(f"{where} {name}", _dict(s.get("ci95")).get(name), share, lower=0, upper=1)


def _time_to_event(c: _Checker) -> None:
    for event, s in _dict(c.results.get("time_to_event")).items():
        s = _dict(s)
        where = f"time_to_event {event}"
        c.count(where, "n", s.get("n"))
        c.count(where, "events", s.get("events"))
        c.at_most(where, "events", s.get("events"), "n", s.get("n"))
        c.at_most(where, "n", s.get("n"), "n_patients", c.n_patients)
        c.ci(where, s.get("ci95"), s.get("median_weeks"))
        curve = _dict(s.get("curve"))
        if not curve:
            continue
        time, surv, risk = (list(curve.get(k) or []) for k in ("time", "survival", "n_risk"))
        if not len(time) == len(surv) == len(risk):
            c.fail(where, f"curve lengths differ: time {len(time)}, survival {len(surv)}, "
                          f"n_risk {len(risk)}")
            continue
        for name, seq, rising in (("time", time, True), ("survival", surv, False),
                                  ("n_risk", risk, False)):
            pairs = [(a, b) for a, b in itertools.pairwise(seq)
                     if is_number(a) and is_number(b)]
            if any((b < a) if rising else (b > a + _TOL) for a, b in pairs):
                c.fail(where, f"curve {name} is not {'increasing' if rising else 'non-increasing'}")
        if any(is_number(v) and not -_TOL <= v <= 1 + _TOL for v in surv):
            c.fail(where, "curve survival outside [0, 1]")
        if risk:
            c.at_most(where, "curve n_risk at the first time", risk[0], "n", s.get("n"))


def _safety(c: _Checker) -> None:
    s = _dict(c.results.get("safety"))
    if not s:
        return
    where = "safety"
    n_events, n_patients, exposed = s.get("n_events"), s.get("n_patients"), s.get("n_exposed")
    for key in ("n_events", "n_patients", "n_exposed", "serious"):
        c.count(where, key, s.get(key))
    c.at_most(where, "n_patients (with an event)", n_patients, "n_exposed", exposed)
    c.at_most(where, "n_exposed", exposed, "cohort n_patients", c.n_patients)
    c.at_most(where, "n_patients (with an event)", n_patients, "n_events", n_events)
    c.at_most(where, "serious", s.get("serious"), "n_events", n_events)
    by_category = _dict(s.get("by_category"))
    if by_category:
        total = sum(_dict(v).get("events") or 0 for v in by_category.values())
        if is_number(n_events) and total != n_events:
            c.fail(where, f"events by category add to {total:g}, but n_events = {n_events:g}")
        for category, v in by_category.items():
            v = _dict(v)
            c.at_most(f"{where} {category}", "patients", v.get("patients"), "events",
                      v.get("events"))
            c.at_most(f"{where} {category}", "patients", v.get("patients"), "n_patients",
                      n_patients)
    grades = _dict(s.get("by_grade"))
    c.at_most(where, "events by grade", sum(v for v in grades.values() if is_number(v)),
              "n_events", n_events)
    py, rate = s.get("patient_years"), s.get("rate_per_100py")
    if is_number(py) and is_number(rate) and is_number(n_events) and py > 0 \
            and not _close(rate, 100 * n_events / py):
        c.fail(where, f"rate_per_100py {rate!r}, but 100 × {n_events:g} / {py:g} = "
                      f"{100 * n_events / py:.2f}")
    c.ci(where, s.get("rate_ci95"), rate, lower=0)
    events = s.get("events")
    if isinstance(events, list):
        if is_number(n_events) and len(events) != n_events:
            c.fail(where, f"{len(events)} events listed, but n_events = {n_events:g}")
        listed = {_dict(e).get("patient_id") for e in events}
        if is_number(n_patients) and len(listed) != n_patients:
            c.fail(where, f"events listed for {len(listed)} patients, but n_patients = "
                          f"{n_patients:g}")
        serious = sum(1 for e in events if _dict(e).get("serious") is True)
        if is_number(s.get("serious")) and serious != s["serious"]:
            c.fail(where, f"{serious} listed events are serious, but serious = {s['serious']:g}")


def _dosing_and_patients(c: _Checker) -> None:
    patients = c.results.get("patients")
    dosing = _dict(c.results.get("dosing"))
    by_drug = _dict(dosing.get("by_drug"))
    if c.n_patients is not None and by_drug:
        total = sum(v for v in by_drug.values() if is_number(v))
        c.at_most("dosing by_drug", "patients", total, "n_patients", c.n_patients)
    if not isinstance(patients, list):
        return
    ids = [_dict(p).get("patient_id") for p in patients]
    if c.n_patients is not None and len(patients) != c.n_patients:
        c.fail("patients", f"{len(patients)} listed, but cohort n_patients = {c.n_patients}")
    if len(set(ids)) != len(ids):
        c.fail("patients", "patient_id repeated")
    for key in ("below_reference", "above_maximum"):
        unknown = [p for p in dosing.get(key) or [] if p not in set(ids)]
        if unknown:
            c.fail(f"dosing {key}", f"unknown patients {unknown}")
    n_events = _dict(c.results.get("safety")).get("n_events")
    per_patient = _total([_dict(p).get("adverse_events") for p in patients])
    if is_number(n_events) and per_patient is not None and per_patient != n_events:
        c.fail("patients", f"adverse events per patient add to {per_patient:g}, but "
                           f"safety n_events = {n_events:g}")
    for p in patients:
        response = _dict(p).get("response_last")
        if response not in (None, "CR", "PR", "NR", "not_evaluable"):
            c.fail(f"patients {_dict(p).get('patient_id')}", f"response_last {response!r}")
