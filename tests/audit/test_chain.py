"""The audit trail is hash-chained: verify_audit names the first altered, removed or reordered event."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from earlyhelp.audit.chain import ALTERED, BROKEN_LINK, GENESIS, event_hash, verify
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _events(count: int = 4) -> list[AuditEvent]:
    user = UserFactory()
    events = []
    for number in range(count):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=user,
                    action=Action.VIEW,
                    object_type="person",
                    object_id=number,
                    purpose="case work",
                    details={"result": number, "names": ["ä", "b"]},
                )
            )
    return events


def _superuser_sql(sql: str, params: list | None = None) -> None:
    """Run SQL as a PostgreSQL superuser who sets the append-only trigger aside (replica mode
    skips ordinary triggers), as someone with direct database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params or [])
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def _verify_audit_fails_naming(event_id: int) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    message = str(failure.value)
    assert f"Audit event {event_id} " in message
    return message


def test_each_event_chains_onto_the_one_before():
    events = _events(3)
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].event_hash
    assert events[2].prev_hash == events[1].event_hash
    stored = AuditEvent.objects.get(pk=events[2].pk)
    assert stored.event_hash == event_hash(stored)


def test_verify_audit_passes_an_intact_chain_and_prints_its_head(capsys):
    events = _events(3)
    call_command("verify_audit")
    output = capsys.readouterr().out
    assert "Audit chain intact" in output
    assert events[-1].event_hash in output


def test_an_empty_trail_is_intact():
    assert verify().intact


def test_an_event_edited_directly_in_the_database_is_named():
    events = _events(4)
    _superuser_sql("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["nothing to see", events[2].id])
    message = _verify_audit_fails_naming(events[2].id)
    assert message.startswith(ALTERED.format(id=events[2].id))


def test_an_edited_details_field_is_named():
    events = _events(3)
    _superuser_sql(
        "UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"result": 99, "names": ["a"]}', events[1].id]
    )
    _verify_audit_fails_naming(events[1].id)


def test_a_removed_event_is_detected_at_the_event_after_it():
    events = _events(4)
    _superuser_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    message = _verify_audit_fails_naming(events[2].id)
    assert message.startswith(BROKEN_LINK.format(id=events[2].id))


def test_reordered_events_are_detected_at_the_first_moved_one():
    events = _events(4)
    first, second = events[1].id, events[2].id
    spare = max(event.id for event in events) + 1000
    _superuser_sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [spare, first])
    _superuser_sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [first, second])
    _superuser_sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [second, spare])
    _verify_audit_fails_naming(first)


def test_a_forged_event_with_a_recomputed_own_hash_still_breaks_the_next_link():
    events = _events(3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.purpose = "rewritten"
    _superuser_sql(
        "UPDATE audit_auditevent SET purpose = %s, event_hash = %s WHERE id = %s",
        ["rewritten", event_hash(forged), forged.id],
    )
    _verify_audit_fails_naming(events[2].id)


@pytest.mark.postgres
def test_the_database_refuses_updates_and_deletes_of_audit_rows_even_for_the_owner():
    from django.db import DatabaseError

    event = _events(1)[0]
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])
