"""The audit trail is hash-chained: events are sealed into the chain in batches after they commit,
and verify_audit names the first altered, removed or reordered sealed event."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from earlyhelp.audit.chain import ALTERED, BROKEN_LINK, GENESIS, awaiting_seal, event_hash, seal, verify
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(count: int = 4, user=None) -> list[AuditEvent]:
    user = user or UserFactory()
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


def _events(count: int = 4) -> list[AuditEvent]:
    """Events written and sealed, as they stand in the database."""
    events = _write(count)
    seal()
    return list(AuditEvent.objects.filter(pk__in=[event.pk for event in events]).order_by("seq"))


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


def test_events_are_written_unsealed_and_sealed_in_the_order_they_were_written():
    written = _write(3)
    assert [event.seq for event in written] == [None, None, None]
    assert awaiting_seal() == 3
    assert verify().awaiting_seal == 3
    assert seal() == 3
    assert awaiting_seal() == 0
    stored = AuditEvent.objects.filter(pk__in=[event.pk for event in written])
    assert [event.id for event in stored.order_by("seq")] == [event.id for event in written]
    assert [event.seq for event in stored.order_by("seq")] == [1, 2, 3]
    assert seal() == 0


def test_a_seal_in_several_batches_is_one_chain():
    _write(5)
    assert seal(batch=2) == 5
    report = verify()
    assert report.intact and report.checked == 5


def test_an_event_that_commits_after_later_ids_were_sealed_takes_the_next_place():
    """A transaction can commit after another that took a higher id: its event is sealed next, not
    slotted back in id order, so the chain never has to be rewritten."""
    user = UserFactory()
    early = _write(1, user)[0]
    late_id = early.id + 1000
    with transaction.atomic():
        # An event with a high id sealed first, then one with a lower id committed after it.
        AuditEvent.objects.create(id=late_id, actor=user, actor_username=user.username, action=Action.VIEW)
    seal()
    lower = _write(1, user)[0]
    seal()
    places = dict(AuditEvent.objects.values_list("id", "seq"))
    assert places[early.id] < places[late_id] < places[lower.id]
    assert verify().intact


def test_an_event_is_sealed_when_its_transaction_commits(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_INTERVAL = 0
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = audit_record(actor=UserFactory(), action=Action.VIEW, object_type="person", object_id="1")
        assert AuditEvent.objects.get(pk=event.pk).seq is None
    assert AuditEvent.objects.get(pk=event.pk).seq is not None


def test_an_event_rolled_back_with_its_change_is_never_sealed(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_INTERVAL = 0
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_record(actor=UserFactory(), action=Action.VIEW, object_type="person", object_id="1")
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not AuditEvent.objects.exists()


def test_verify_audit_seals_what_waits_and_no_seal_leaves_it(capsys):
    _write(2)
    call_command("verify_audit", "--no-seal")
    output = capsys.readouterr().out
    assert "intact: 0 events" in output
    assert "2 events are not yet sealed" in output
    call_command("verify_audit")
    output = capsys.readouterr().out
    assert "Sealed 2 events" in output
    assert "intact: 2 events" in output


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
    first, second = events[1].seq, events[2].seq
    spare = max(event.seq for event in events) + 1000
    _superuser_sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [spare, first])
    _superuser_sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [first, second])
    _superuser_sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [second, spare])
    # The event now in the first moved place does not follow the event before it.
    _verify_audit_fails_naming(events[2].id)


def test_an_event_removed_before_it_was_sealed_is_not_noticed_but_everything_sealed_after_it_holds():
    """The window the batches open (docs/decisions/0007-audit-sealed-in-batches.md): an event is
    vouched for from its seal, not its commit."""
    events = _write(3)
    _superuser_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    seal()
    assert verify().intact


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
    event = _events(1)[0]
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])


@pytest.mark.postgres
def test_the_database_lets_a_sealer_seal_an_event_once_and_change_nothing_else():
    event = _write(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # Sealing and rewriting in one statement.
        cursor.execute("UPDATE audit_auditevent SET seq = 1, purpose = 'x' WHERE id = %s", [event.id])
    seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # Sealing it again somewhere else in the chain.
        cursor.execute("UPDATE audit_auditevent SET seq = 99, prev_hash = %s WHERE id = %s", [GENESIS, event.id])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.purpose) == (1, "case work")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_and_sealers_at_once_make_one_intact_chain(settings):
    """Eight writers on their own connections, each sealing after its commits as requests do."""
    settings.AUDIT_SEAL_INTERVAL = 0
    user = UserFactory()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            _write(15, user)
        except BaseException as error:  # noqa: BLE001 - reported after join
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seal()
    report = verify()
    assert report.intact and report.checked == 120 and report.awaiting_seal == 0
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 121))


def test_an_event_chained_by_the_release_before_but_not_placed_is_sealed_like_any_other():
    """During a rolling upgrade a server still running the release before writes events with hashes
    but no place in the chain: the sealer must not stall on them."""
    user = UserFactory()
    with transaction.atomic():
        AuditEvent.objects.create(
            actor=user, actor_username=user.username, action=Action.VIEW, prev_hash=GENESIS, event_hash="f" * 64
        )
    _write(2, user)
    assert seal() == 3
    report = verify()
    assert report.intact and report.checked == 3
