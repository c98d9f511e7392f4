"""The audit hash chain: each event's hash covers its own content and the previous event's hash.

The serialisation is canonical (sorted-key JSON of plain values, times in UTC) so that the hash
computed before an insert is the hash recomputed from the stored row on any database. Events
are chained in id order; audit_record takes a lock so that no two writers chain onto the same
event.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection

from .models import AuditEvent

GENESIS = "0" * 64
# A fixed key for pg_advisory_xact_lock: "audit chain" as a 32-bit number.
ADVISORY_LOCK_KEY = 0x61756463

CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "household_id",
    "person_id",
    "purpose",
    "request_id",
    "details",
    "prev_hash",
)

ALTERED = "Audit event {id} does not match its hash: it was altered after it was written."
BROKEN_LINK = (
    "Audit event {id} does not follow the event before it: an event was removed, reordered or inserted before it."
)


def _plain(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "at":
        return value.astimezone(UTC).isoformat()
    if name in {"household_id", "person_id", "request_id"}:
        return str(value)
    if name == "details":
        # The same JSON whether it comes from Python or back from the database.
        return json.loads(json.dumps(value))
    return value


def canonical(event: AuditEvent) -> bytes:
    """The event's chained fields as sorted-key JSON, UTF-8."""
    plain = {name: _plain(name, getattr(event, name)) for name in CHAINED_FIELDS}
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def lock_chain() -> None:
    """Serialise chain writers until the end of the transaction.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: writers are already serialised (the
    project's connections begin IMMEDIATE transactions, which take the write lock at once)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def chain_head() -> str:
    """The hash the next event chains onto: the last event's, or the genesis value."""
    last = AuditEvent.objects.order_by("-id").values_list("event_hash", flat=True).first()
    return last or GENESIS


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head: str
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def verify(events: Iterable[AuditEvent] | None = None) -> ChainReport:
    """Walk the chain in id order; stop at the first event whose hash or link is wrong."""
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    expected_prev = GENESIS
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(checked, expected_prev, event.id, BROKEN_LINK.format(id=event.id))
        if event.event_hash != event_hash(event):
            return ChainReport(checked, expected_prev, event.id, ALTERED.format(id=event.id))
        expected_prev = event.event_hash
        checked += 1
    return ChainReport(checked, expected_prev)


def rechain(events: Iterator[AuditEvent]) -> Iterator[AuditEvent]:
    """Events with prev_hash and event_hash set in id order (for the migration that starts the chain)."""
    prev = GENESIS
    for event in events:
        event.prev_hash = prev
        event.event_hash = event_hash(event)
        prev = event.event_hash
        yield event
