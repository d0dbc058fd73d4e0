"""What the patient page shows of monitoring: queries, SDV, lock, e-signature, consent,
and which of those actions the user may take (``policy.can``)."""

from __future__ import annotations

from typing import Any

from .oversight import signature_status
from .oversight_models import SIGNATURE_MEANING
from .policy import can, scoped
from .queries import query_fields
from .tables import text_value

__all__ = ["monitoring_context"]


def monitoring_context(user: Any, patient: Any) -> dict[str, Any]:
    from .models import Consent, Query

    status, signature = signature_status(patient)
    locked = patient.state == "locked"
    rows = [(f"patients:{patient.pk}", "patient")]
    rows += [(f"visits:{v.pk}", f"visit week {text_value(v.week)}")
             for v in patient.visits.order_by("week")]
    return {
        "queries": scoped(user, Query.objects.filter(patient=patient)).prefetch_related("messages"),
        "query_rows": rows,
        "query_fields": {"patients": query_fields("patients"), "visits": query_fields("visits")},
        "consent": scoped(user, Consent.objects.filter(patient=patient)).first(),
        "signature_status": status, "signature": signature, "meaning": SIGNATURE_MEANING,
        "visits": patient.visits.order_by("week"),
        "may": {
            "raise": can(user, "raise_query", patient) and not locked,
            "sdv": can(user, "sdv", patient) and not locked,
            "lock": can(user, "lock", patient) and not locked,
            "unlock": can(user, "unlock", patient) and locked,
            "sign": can(user, "sign", patient) and status != "signed",
            "consent": can(user, "edit", patient),
        },
    }
