"""The audit log: append-only events chained by SHA-256, and the walk that checks the chain.

Each event's ``hash`` is the SHA-256 of its own content and the previous event's hash
(the first event follows ``GENESIS``). Altering any field of a stored event, deleting an
event or inserting one breaks the chain at that point: ``verify`` re-computes every hash
in order and names the first event that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

__all__ = ["GENESIS", "ChainBreak", "digest", "record", "row_digest", "verify"]

GENESIS = "0" * 64


def digest(event: Any) -> str:
    """SHA-256 of an event's content and its ``prev_hash`` (what its ``hash`` must be)."""
    content = [event.prev_hash, event.time.isoformat(), event.actor, event.action, event.table,
               event.record, event.site, event.reason, event.detail]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_digest(values: dict[str, Any]) -> str:
    """SHA-256 of a row's values (the 'after' state an audit event names)."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def actor_name(user: Any) -> str:
    return str(getattr(user, "username", "") or "command line")


def record(actor: Any, action: str, *, table: str = "", row: str = "", site: str = "",
           reason: str = "", **detail: Any) -> Any:
    """Append one event (inside the caller's transaction, if any)."""
    from .models import AuditEvent

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Row locks cannot serialise appenders on PostgreSQL: a second writer waiting
            # on the last row's lock would, once it is released, still append after that
            # row. One transaction-scoped advisory lock queues them (SQLite's IMMEDIATE
            # transactions already do).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(6373856)")
        last = AuditEvent.objects.select_for_update().order_by("-id").first()
        event = AuditEvent(
            time=timezone.now(), actor=actor if isinstance(actor, str) else actor_name(actor),
            action=action, table=table, record=row, site=site, reason=reason,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
            if detail else "",
            prev_hash=last.hash if last is not None else GENESIS)
        event.hash = digest(event)
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    """The first event that does not fit the chain, and why."""

    event_id: int
    summary: str
    why: str

    def __str__(self) -> str:
        return f"audit event {self.event_id} ({self.summary}): {self.why}"


def summary(event: Any) -> str:
    where = f" {event.table} {event.record}".rstrip() if event.table else ""
    return f"{event.time:%Y-%m-%d %H:%M:%S} {event.actor} {event.action}{where}"


def verify() -> tuple[int, ChainBreak | None]:
    """Walk the whole log in order: (events checked, the first break or None)."""
    from .models import AuditEvent

    expected_prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.prev_hash != expected_prev:
            return count, ChainBreak(event.pk, summary(event),
                                     "it does not follow the event before it "
                                     "(an event was removed or inserted here)")
        if digest(event) != event.hash:
            return count, ChainBreak(event.pk, summary(event),
                                     "its content does not match its hash "
                                     "(it was altered after it was written)")
        expected_prev = event.hash
        count += 1
    return count, None
