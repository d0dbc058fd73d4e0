"""report/tables.py: the per-patient table is built once per report for the printed table
(the core scores) and the spreadsheet's copy (every measure); the two must show the same
cells, each as the rounding rules print it."""

from __future__ import annotations

import gc
from typing import Any

from jdmtrack.report import tables
from jdmtrack.report.context import Context


def _with_more_measures(results: dict[str, Any]) -> dict[str, Any]:
    """P01 gains DAS total (an integer score), CK and a corticosteroid dose (mg/kg/day, two
    places); P02 a last CK only."""
    first, second = results["patients"][0], results["patients"][1]
    first["baseline"] |= {"das_total": 12, "ck_u_l": 1234.5, "cs_mg_kg_day": 0.625}
    first["last"] |= {"das_total": 1, "ck_u_l": 88.0, "cs_mg_kg_day": 0.125}
    second["last"] |= {"ck_u_l": 90.25}
    return results


def test_printed_table_is_the_core_columns_of_the_full_one(results: dict[str, Any]) -> None:
    ctx = Context.of(_with_more_measures(results))
    printed, full = tables.patients_table(ctx), tables.patients_table(ctx, full=True)
    assert printed is not None and full is not None
    assert (printed.key, full.key, printed.excel_only, full.excel_only) == (
        "patients", "patients_all", False, True)
    # Report order (context.PREFERRED_MEASURES): the core scores, then the others.
    scores = [h.removesuffix(" 0 → last") for h in full.header[6:-2]]
    assert scores == ["Skin-DAS", "CMAS", "MMT-8", "DAS total", "CK", "Corticosteroid dose"]
    # Printed: tables.PATIENT_MEASURES (Skin-DAS, CMAS, MMT-8, corticosteroid dose).
    assert printed.header == [*full.header[:9], full.header[11], *full.header[-2:]]
    kept = [full.header.index(h) for h in printed.header]
    for short, long in zip(printed.rows, full.rows, strict=True):
        assert [c.text for c in short] == [long[j].text for j in kept]
    # P01 by hand: 4 mg/day, 4/32 = 0.125 mg/kg/day, 32 kg, last seen week 24; scores
    # whole numbers as recorded, CK 1234.5 -> 88 (one place, whole numbers bare), the
    # corticosteroid dose to two places (0.625 -> 0.63, half away from zero).
    assert [c.text for c in full.rows[0]] == [
        "P01", "Baricitinib", "4.0", "0.13", "32.0", "24", "6 → 0", "38 → 51", "70 → 80",
        "12 → 1", "1234.5 → 88", "0.63 → 0.13", full.rows[0][-2].text, "2"]
    assert [c.text for c in full.rows[1]][9:12] == ["– → –", "– → 90.3", "– → –"]


def test_full_table_alone_and_twice_give_the_same_rows(results: dict[str, Any]) -> None:
    first = Context.of(_with_more_measures(results))
    alone = tables.patients_table(first, full=True)
    again = tables.patients_table(first, full=True)
    printed = tables.patients_table(first)
    assert alone is not None and again is not None and printed is not None
    assert [[c.text for c in r] for r in alone.rows] == [[c.text for c in r] for r in again.rows]
    assert len(printed.header) == len(alone.header) - 2


def test_rows_are_kept_only_while_the_context_lives(results: dict[str, Any]) -> None:
    ctx = Context.of(results)
    key = id(ctx)
    assert tables.patients_table(ctx) is not None
    assert key in tables._PATIENT_ROWS
    del ctx
    gc.collect()
    assert key not in tables._PATIENT_ROWS


def test_no_patients_no_table(results: dict[str, Any]) -> None:
    results["patients"] = []
    ctx = Context.of(results)
    assert tables.patients_table(ctx) is None and tables.patients_table(ctx, full=True) is None
