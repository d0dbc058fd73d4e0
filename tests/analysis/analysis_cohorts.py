"""Small cohort folders (CSV) written by the analysis tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_cohort"]


def write_cohort(folder: Path, visits: list[dict[str, Any]], *, patients: list[str] | None = None,
                 events: list[tuple[str, str, float]] = (),  # type: ignore[assignment]
                 adverse: list[tuple[str, float]] = (),  # type: ignore[assignment]
                 followup: dict[str, float] | None = None) -> Path:
    """A cohort folder: patients.csv, visits.csv and, when given, events / adverse events."""
    folder.mkdir(parents=True)
    ids = patients or sorted({v["patient_id"] for v in visits})
    follow = followup or {}
    (folder / "patients.csv").write_text(
        "patient_id,followup_weeks\n" + "".join(f"{p},{follow.get(p, '')}\n" for p in ids),
        encoding="utf-8")
    columns = sorted({k for v in visits for k in v} - {"patient_id", "week"})
    lines = [",".join(["patient_id", "week", *columns])]
    lines += [",".join([v["patient_id"], str(v["week"]), *(str(v.get(c, "")) for c in columns)])
              for v in visits]
    (folder / "visits.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if events:
        (folder / "events.csv").write_text(
            "patient_id,event,week\n" + "".join(f"{p},{e},{w}\n" for p, e, w in events),
            encoding="utf-8")
    if adverse:
        (folder / "adverse_events.csv").write_text(
            "patient_id,week,term,category,ctcae_grade\n"
            + "".join(f"{p},{w},Infection,infection,1\n" for p, w in adverse), encoding="utf-8")
    return folder
