"""The restore drill: back up, restore into a fresh database, and find the same rows in every table."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction
from psycopg import sql

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of the rows, per table."""
    result = {}
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {} t"
            ).format(sql.Identifier(table))
            count, checksum = conn.execute(query).fetchone()
            result[table] = (count, checksum)
    return result


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own scripts
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def scratch_database():
    name = f"eh_trust_restore_{uuid.uuid4().hex[:8]}"
    admin = _url("postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_backup_restores_into_a_fresh_database_with_identical_rows(tmp_path, scratch_database):
    user = UserFactory()
    for _ in range(3):
        InvolvementFactory(household=MembershipFactory().household, practitioner=user)
    with transaction.atomic():
        audit_record(actor=user, action=Action.VIEW, object_type="household", details={"drill": True})
    source = _url(connection.settings_dict["NAME"])
    backup = tmp_path / "drill.dump"

    made = _run("backup.sh", str(backup), DATABASE_URL=source)
    assert made.returncode == 0, made.stderr
    restored = _run("restore.sh", str(backup), RESTORE_DATABASE_URL=_url(scratch_database))
    assert restored.returncode == 0, restored.stderr

    before, after = _fingerprint(source), _fingerprint(_url(scratch_database))
    assert before == after
    assert before["families_household"][0] >= 3
    assert before["audit_auditevent"][0] >= 1


def test_restore_refuses_a_database_that_already_has_tables(tmp_path):
    source = _url(connection.settings_dict["NAME"])
    backup = tmp_path / "drill.dump"
    assert _run("backup.sh", str(backup), DATABASE_URL=source).returncode == 0
    refused = _run("restore.sh", str(backup), RESTORE_DATABASE_URL=source)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr
