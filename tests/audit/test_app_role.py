"""On PostgreSQL the application's role can add and read audit events but never change or remove them."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from earlyhelp.audit.database_roles import BAD_ROLE_NAME, application_role_sql
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import audit_record
from tests.factories import UserFactory

ROLE = "eh_trust_app"


def test_the_role_sql_refuses_a_name_that_is_not_a_plain_identifier():
    with pytest.raises(ValueError, match=BAD_ROLE_NAME):
        application_role_sql("app; DROP TABLE audit_auditevent")


def test_the_command_prints_grants_without_update_or_delete_on_the_audit_table(capsys):
    call_command("app_role_sql", "earlyhelp_app")
    output = capsys.readouterr().out
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO earlyhelp_app;" in output
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_auditevent FROM earlyhelp_app;" in output
    assert "GRANT UPDATE (seq, prev_hash, event_hash) ON public.audit_auditevent TO earlyhelp_app;" in output
    with pytest.raises(CommandError, match=BAD_ROLE_NAME):
        call_command("app_role_sql", "Robert'); --")


@pytest.fixture
def app_role(db):
    """A non-superuser role with the application's grants; created inside the test's transaction,
    so it disappears when the test rolls back."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOSUPERUSER NOLOGIN")
        for statement in application_role_sql(ROLE):
            cursor.execute(statement)
    return ROLE


def _as_role(role: str, sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            with transaction.atomic():
                cursor.execute(sql, params)
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres
def test_the_application_role_cannot_update_or_delete_audit_events(app_role):
    user = UserFactory()
    with transaction.atomic():
        event = audit_record(actor=user, action=Action.VIEW, object_type="person", object_id="1")
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'changed' WHERE id = %s",
        "UPDATE audit_auditevent SET seq = 1, purpose = 'changed' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            _as_role(app_role, sql, [event.id])
    with pytest.raises(DatabaseError, match="permission denied"):
        _as_role(app_role, "TRUNCATE audit_auditevent", [])
    assert AuditEvent.objects.get(pk=event.pk).purpose == ""


@pytest.mark.postgres
def test_the_application_role_can_still_write_and_verify_the_audit_trail(app_role):
    user = UserFactory()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role}")
        try:
            event = audit_record(actor=user, action=Action.VIEW, object_type="person", object_id="2")
            # Sealing, which sets the event's place and hashes, is within the role's grants.
            call_command("verify_audit")
            cursor.execute("UPDATE accounts_user SET job_title = 'Lead' WHERE id = %s", [user.id])
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
