"""De-identified rows for the pooled export (``export --deidentify``).

What the field dictionary marks ``identifying`` is replaced, per row:

- the patient id becomes an HMAC-SHA-256 of (site, patient id) keyed with the registry's
  secret key: the same patient gets the same code in every export of this registry, and
  the code cannot be turned back into the id without the key;
- each date becomes a count of days from the patient's JAKi start, written to the column
  ``x_<date>_days`` (the JAKi start itself is day 0 and is dropped); before that, the
  numeric alternatives the cohort format has for dates (``age_onset_years``,
  ``age_start_years``, ``disease_months``) are filled from the dates where they are empty,
  with the day lengths ``jdmtrack analyze`` uses for the same conversion;
- the user's own ``x_`` columns (free text) are dropped unless asked for.

``site`` stays as the site code. Anything else marked identifying stops the export, so a
new identifying field in the dictionary cannot slip through unhandled.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from ..analysis.baseline import _DAYS_PER_MONTH, _DAYS_PER_YEAR
from ..fields import EXTRA_PREFIX, fields_of
from .errors import RegistryError

__all__ = ["DATE_START", "NUMERIC_FROM_DATES", "deidentify_row", "pseudonym"]

DATE_START = "jaki_start_date"
# numeric column -> (later date, earlier date, days per unit): the conversion of
# jdmtrack.analysis.baseline, which fills the same columns from the same dates.
NUMERIC_FROM_DATES: dict[str, tuple[str, str, float]] = {
    "age_onset_years": ("onset_date", "birth_date", _DAYS_PER_YEAR),
    "age_start_years": ("jaki_start_date", "birth_date", _DAYS_PER_YEAR),
    "disease_months": ("jaki_start_date", "diagnosis_date", _DAYS_PER_MONTH),
}
_KEY_PURPOSE = b"jdmtrack registry: de-identified patient ids"


def pseudonym(secret: str, site: str, patient_id: str) -> str:
    """The patient's code in de-identified exports: 16 hex digits of an HMAC-SHA-256.

    >>> pseudonym("k", "S1", "P-001") == pseudonym("k", "S1", "P-001")
    True
    >>> pseudonym("k", "S1", "P-001") != pseudonym("k", "S2", "P-001")
    True
    """
    key = hmac.new(secret.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()
    message = f"{site}\x1f{patient_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def deidentify_row(table: str, texts: dict[str, str], site: str, start: date | None,
                   secret: str, keep_extras: bool) -> dict[str, str]:
    """One exported row (cohort-format text) without what identifies the patient."""
    out = {k: v for k, v in texts.items() if keep_extras or not k.startswith(EXTRA_PREFIX)}
    if table == "patients":
        for column, (later, earlier, per_unit) in NUMERIC_FROM_DATES.items():
            a, b = _date(texts.get(later, "")), _date(texts.get(earlier, ""))
            if not out.get(column) and a is not None and b is not None:
                out[column] = repr((a - b).days / per_unit)
    days: dict[str, str] = {}
    for spec in fields_of(table):
        if not spec.identifying:
            continue
        if spec.kind == "id":
            out[spec.name] = pseudonym(secret, site, texts[spec.name])
        elif spec.kind == "date":
            value = _date(out.pop(spec.name, ""))
            if spec.name != DATE_START and value is not None and start is not None:
                days[f"{EXTRA_PREFIX}{spec.name}_days"] = str((value - start).days)
        else:
            raise RegistryError(f"{table}.{spec.name} is marked identifying but the "
                                "de-identified export has no rule for a "
                                f"{spec.kind} field")
    out.update(days)
    return out
