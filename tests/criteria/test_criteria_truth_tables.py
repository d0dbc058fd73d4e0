"""Composite criteria against an independent three-valued implementation, whole truth tables.

Each component is met / not met / missing (None). The oracle below is written here, not
taken from jdmtrack: Kleene's strong three-valued logic (``and`` is False if any operand is
False, True if all are True, else unknown; ``or`` dually), and, as a second opinion, the
supervaluation rule the design contract states: a composite is decided when every way of
filling in its missing components gives the same answer, and not evaluable otherwise. For
these composites (each component used once) the two agree, which is checked too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pytest
from criteria_frames import frame

from jdmtrack.criteria import (
    CriteriaSettings,
    classify_printo_cid,
    classify_response,
    classify_severe,
    classify_skin_inactive,
)

Tri = bool | None
STATES: tuple[Tri, ...] = (True, False, None)


def k_and(*values: Tri) -> Tri:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def k_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def supervaluation(rule: Callable[..., object], values: Sequence[Tri]) -> object:
    """``rule`` over every completion of the missing values; None unless they all agree."""
    slots = [(v,) if v is not None else (True, False) for v in values]
    answers = {rule(*filled) for filled in itertools.product(*slots)}
    return answers.pop() if len(answers) == 1 else None


def at_least(k: int, values: Sequence[Tri]) -> Tri:
    met = sum(v is True for v in values)
    unknown = sum(v is None for v in values)
    if met >= k:
        return True
    return False if met + unknown < k else None


# ---- PRINTO clinically inactive disease -------------------------------------------------
# component -> (value meeting it, value failing it)
PRINTO_VALUES = {"ck_u_l": (150.0, 151.0), "cmas_total": (48.0, 47.0),
                 "mmt8_total": (78.0, 77.0), "phga_cm": (0.2, 0.3)}
TABLE4 = list(itertools.product(STATES, repeat=4))


def _printo_frame() -> pd.DataFrame:
    records = []
    for states in TABLE4:
        record: dict[str, Any] = {"week": 0.0}
        for (column, (good, bad)), state in zip(PRINTO_VALUES.items(), states, strict=True):
            if state is not None:
                record[column] = good if state else bad
        records.append(record)
    return frame("visits", [{"patient_id": f"p{i}", **r} for i, r in enumerate(records)])


@pytest.mark.parametrize("variant", ["lazarevic_2013", "almeida_2015"])
def test_printo_cid_truth_table(variant: str) -> None:
    """3 of 4 (Lazarevic); PhGA and 2 of the other 3 (Almeida): all 81 combinations."""
    got = classify_printo_cid(_printo_frame(), variant)  # type: ignore[arg-type]
    labels = {True: "met", False: "not_met", None: "not_evaluable"}
    for states, label in zip(TABLE4, got.columns["printo_cid"], strict=True):
        ck, cmas, mmt8, phga = states
        if variant == "lazarevic_2013":
            kleene = at_least(3, states)
            rule: Callable[..., object] = lambda *v: sum(v) >= 3  # noqa: E731
        else:
            kleene = k_and(phga, at_least(2, (ck, cmas, mmt8)))
            rule = lambda a, b, c, d: d and a + b + c >= 2  # noqa: E731
        assert supervaluation(rule, states) == kleene, states
        assert label == labels[kleene], (variant, states)


# ---- inactive skin ----------------------------------------------------------------------
def test_skin_inactive_truth_table() -> None:
    """skin-DAS <= 1 and no active ulceration and no erythema: all 27 combinations."""
    table = list(itertools.product(STATES, repeat=3))
    records = []
    for i, (das_ok, no_ulcer, no_erythema) in enumerate(table):
        record: dict[str, Any] = {"patient_id": f"p{i}", "week": 0.0}
        if das_ok is not None:
            record["das_skin"] = 1.0 if das_ok else 2.0
        if no_ulcer is not None:
            record["skin_ulceration_active"] = not no_ulcer
        if no_erythema is not None:
            record["erythema"] = not no_erythema
        records.append(record)
    got = classify_skin_inactive(frame("visits", records)).columns["skin_inactive"]
    for states, value in zip(table, got, strict=True):
        expected = k_and(*states)
        assert supervaluation(lambda *v: all(v), states) == expected
        assert (None if value is pd.NA else bool(value)) == expected, states


# ---- response (CR / PR / NR) ------------------------------------------------------------
RESPONSE_TABLE = list(itertools.product(STATES, repeat=7))


def _response_category(printo: bool, skin: bool, rash: bool, muscle: bool, taper: bool,
                       no_new: bool, _: bool) -> str:
    if printo and skin:
        return "CR"
    return "PR" if rash and muscle and taper and no_new else "NR"


def _response_kleene(states: Sequence[Tri]) -> str:
    printo, skin, rash, muscle, taper, no_new, _ = states
    complete = k_and(printo, skin)
    partial = k_and(rash, muscle, taper, no_new)
    if complete is True:
        return "CR"
    if complete is None:
        return "not_evaluable"
    return {True: "PR", False: "NR", None: "not_evaluable"}[partial]


def test_response_truth_table() -> None:
    """CR = PRINTO and inactive skin; PR = rash improved, muscle improved (where involved),
    steroid taper >= 50 %, no new immunosuppressant. Seven components (the seventh only
    varies whether the muscle clause is decided by CMAS or by MMT-8): 3^7 = 2187 rows."""
    records: list[dict[str, Any]] = []
    printo, skin, rash = [], [], []
    for i, (p, s, r, muscle, taper, no_new, by_mmt8) in enumerate(RESPONSE_TABLE):
        pid = f"p{i}"
        base: dict[str, Any] = {"patient_id": pid, "week": 0.0, "cs_mg_kg_day": 1.0}
        follow: dict[str, Any] = {"patient_id": pid, "week": 12.0}
        # Muscle involved at week 0 (CMAS 40 < 48); improved = CMAS or MMT-8 above week 0.
        if by_mmt8:
            base.update(cmas_total=40.0, mmt8_total=70.0)
            if muscle is not None:
                follow.update(cmas_total=40.0, mmt8_total=75.0 if muscle else 70.0)
        else:
            base.update(cmas_total=40.0)
            if muscle is not None:
                follow.update(cmas_total=45.0 if muscle else 40.0, mmt8_total=70.0)
                base.update(mmt8_total=70.0)
        if taper is not None:
            follow["cs_mg_kg_day"] = 0.5 if taper else 0.51
        if no_new is not None:
            follow["new_immunosuppressant"] = not no_new
        records += [base, follow]
        printo += ["not_evaluable", {True: "met", False: "not_met", None: "not_evaluable"}[p]]
        skin += [None, s]
        rash += [None, r]
    visits = frame("visits", records)
    got = classify_response(
        visits, printo_cid=pd.Series(printo, index=visits.index, dtype=object),
        skin_inactive=pd.Series(pd.array(skin, dtype="boolean"), index=visits.index),
        rash_improved=pd.Series(pd.array(rash, dtype="boolean"), index=visits.index),
    ).columns["response"].tolist()
    assert got[0::2] == ["not_evaluable"] * len(RESPONSE_TABLE)  # week 0 not classified
    for states, label in zip(RESPONSE_TABLE, got[1::2], strict=True):
        expected = _response_kleene(states)
        oracle = supervaluation(_response_category, states)
        assert (oracle or "not_evaluable") == expected, states
        assert label == expected, states


# ---- severe (SHARE high-risk) JDM -------------------------------------------------------
FLAGS = ("dysphagia", "gi_involvement", "cardiac_involvement", "ild", "skin_ulceration",
         "icu_admission")


def test_severe_truth_table() -> None:
    """Any feature present: 6 patient flags, CMAS < 15 at week 0 and onset before 1 year
    (3^8 = 6561 patients); MMT-8 < 30 is known absent (MMT-8 80)."""
    table = list(itertools.product(STATES, repeat=8))
    people, visits = [], []
    for i, states in enumerate(table):
        pid = f"p{i}"
        person: dict[str, Any] = {"patient_id": pid}
        for name, state in zip(FLAGS, states[:6], strict=True):
            if state is not None:
                person[name] = state
        if states[7] is not None:
            person["age_onset_years"] = 0.5 if states[7] else 5.0
        people.append(person)
        visit: dict[str, Any] = {"patient_id": pid, "week": 0.0, "mmt8_total": 80.0}
        if states[6] is not None:
            visit["cmas_total"] = 14.0 if states[6] else 15.0
        visits.append(visit)
    got = classify_severe(frame("patients", people), frame("visits", visits)).columns["severe"]
    labels = {True: "yes", False: "no", None: "not_evaluable"}
    for states, label in zip(table, got, strict=True):
        expected = k_or(*states)
        assert supervaluation(lambda *v: any(v), states) == expected
        assert label == labels[expected], states


def test_settings_default_is_lazarevic() -> None:
    assert CriteriaSettings().printo_cid_variant == "lazarevic_2013"
