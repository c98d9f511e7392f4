"""The audit hash chain: each event's hash covers its own content and the previous event's hash.

The serialisation is canonical (sorted-key JSON of plain values, times in UTC) so that the hash
computed when an event is sealed is the hash recomputed from the stored row on any database.

Events are written without a lock and sealed into the chain in batches (`seal`), soon after they
commit: the sealer takes the chain's lock, reads the head, and gives each committed event not yet
sealed, in id order, the next place (`seq`), the head's hash and its own hash. An event whose
transaction commits late, after events with higher ids were sealed, takes the next place when it
is sealed, so the chain's order is `seq`, the order in which events were sealed
(docs/decisions/0007-audit-sealed-in-batches.md).
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Min

from .models import AuditEvent

GENESIS = "0" * 64
# A fixed key for pg_advisory_xact_lock: "audit chain" as a 32-bit number.
ADVISORY_LOCK_KEY = 0x61756463
# Events sealed in one transaction; a longer queue is sealed in several.
SEAL_BATCH = 2000

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


def lock_chain(*, wait: bool = True) -> bool:
    """Serialise sealers until the end of the transaction; without `wait`, give up at once (and
    return False) when another sealer holds the lock.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: writers are already serialised (the
    project's connections begin IMMEDIATE transactions, which take the write lock at once)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        row = cursor.fetchone()
        return bool(row and row[0])


def chain_head() -> tuple[int, str]:
    """The place and hash the next sealed event chains onto: the last sealed event's, or (0, genesis)."""
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "event_hash").first()
    if last is None or last[0] is None:
        return 0, GENESIS
    return last[0], last[1]


def awaiting_seal() -> int:
    """How many committed events are not yet sealed into the chain."""
    return AuditEvent.objects.filter(seq__isnull=True).count()


def oldest_awaiting_seal() -> datetime | None:
    """When the oldest committed event not yet sealed into the chain was written, if there is one."""
    return AuditEvent.objects.filter(seq__isnull=True).aggregate(oldest=Min("at"))["oldest"]


def _store_seals(events: list[AuditEvent]) -> None:
    # One prepared UPDATE run for many rows (psycopg pipelines them): bulk_update's CASE over
    # hundreds of ids costs several times more on PostgreSQL.
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, event_hash = %s WHERE id = %s",
            [(event.seq, event.prev_hash, event.event_hash, event.id) for event in events],
        )


def seal(*, wait: bool = True, batch: int = SEAL_BATCH) -> int:
    """Seal every committed event not yet in the chain, in id order, in batches of `batch`, each in
    its own transaction under the chain's lock; return how many were sealed. Without `wait`, return
    at once when another sealer is at work (it will seal what this one would have)."""
    sealed = 0
    while True:
        with transaction.atomic():
            if not lock_chain(wait=wait):
                return sealed
            place, head = chain_head()
            pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            for event in pending:
                place += 1
                event.seq = place
                event.prev_hash = head
                event.event_hash = head = event_hash(event)
            _store_seals(pending)
        sealed += len(pending)
        if len(pending) < batch:
            return sealed


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head: str
    first_bad_id: int | None = None
    problem: str = ""
    # Events written but not yet sealed: the chain does not yet vouch for them.
    awaiting_seal: int = 0

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def verify(events: Iterable[AuditEvent] | None = None) -> ChainReport:
    """Walk the sealed chain in its order; stop at the first event whose hash or link is wrong."""
    pending = 0
    if events is None:
        events = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
        pending = awaiting_seal()
    expected_prev = GENESIS
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(checked, expected_prev, event.id, BROKEN_LINK.format(id=event.id), pending)
        if event.event_hash != event_hash(event):
            return ChainReport(checked, expected_prev, event.id, ALTERED.format(id=event.id), pending)
        expected_prev = event.event_hash
        checked += 1
    return ChainReport(checked, expected_prev, awaiting_seal=pending)


def rechain(events: Iterator[AuditEvent]) -> Iterator[AuditEvent]:
    """Events with prev_hash and event_hash set in id order (for migration 0004, which started the
    chain before events had places; migration 0006 gave each its id as its place)."""
    prev = GENESIS
    for event in events:
        event.prev_hash = prev
        event.event_hash = event_hash(event)
        prev = event.event_hash
        yield event
