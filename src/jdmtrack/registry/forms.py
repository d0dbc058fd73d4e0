"""The visit form: its sections and inputs come from the field dictionary; saving goes
through the library's validation (``live.evaluate``) and the model's version check."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..fields import Field, fields_of
from . import audit
from .errors import RegistryError
from .live import Evaluation
from .tables import frame_rows, row_text

__all__ = ["VISIT_SECTIONS", "completeness", "form_texts", "save_visit"]

_TITLES = {"": "Visit", "cmas": "CMAS", "mmt8": "MMT-8", "das": "DAS", "catbm": "CAT-BM",
           "globals": "Global assessments", "labs": "Laboratory", "skin": "Skin",
           "medication": "Medication"}


def _sections() -> list[tuple[str, list[Field]]]:
    out: dict[str, list[Field]] = {}
    for spec in fields_of("visits"):
        if spec.name != "patient_id":
            out.setdefault(spec.group, []).append(spec)
    return [(_TITLES.get(group, group), specs) for group, specs in out.items()]


VISIT_SECTIONS = _sections()
# Completeness counts the instrument items and assessments a protocol visit records.
_ASSESSED = tuple(s.name for s in fields_of("visits")
                  if s.group in ("cmas", "mmt8", "das", "globals") and not s.name.endswith(
                      ("_total", "_seconds")))


def completeness(visit: Any) -> int:
    """Percent of the visit's instrument items and global assessments that hold a value."""
    filled = sum(getattr(visit, name) is not None for name in _ASSESSED)
    return round(100 * filled / len(_ASSESSED))


def form_texts(post: Any, base: dict[str, str]) -> dict[str, str]:
    """The saved row's text with the form's values put in (other columns kept)."""
    texts = dict(base)
    for _, specs in VISIT_SECTIONS:
        for spec in specs:
            if spec.name in post:
                texts[spec.name] = str(post.get(spec.name, "")).strip()
    return texts


def save_visit(user: Any, patient: Any, visit: Any, result: Evaluation, reason: str,
               version: int) -> Any:
    """Write the validated row: a new visit, or a new version of a saved one."""
    from .models import Visit

    if result.typed is None:
        raise RegistryError("the visit has problems to fix before it can be saved")
    _, values, extras = next(frame_rows(result.typed.iloc[[-1]], "visits"))
    values.pop("patient_id", None)
    with transaction.atomic():
        row = visit if visit is not None else Visit(patient=patient)
        adding = visit is None
        if not adding:
            row.version = version
            row._change_reason = reason
        # Every column: one the form emptied for all visits is absent from ``values``.
        for spec in fields_of("visits"):
            if spec.name != "patient_id":
                setattr(row, spec.name, values.get(spec.name))
        row.extras = extras
        row.save()
        audit.record(user, "create" if adding else "update", table="visits", row=str(row.pk),
                     site=patient.site.code, reason=reason,
                     after=audit.row_digest(row_text("visits", row)))
    return row
