"""One migrated test database per pass, copied for each pytest-xdist worker.

Migrating the test database (about eighty migrations, their triggers and data) is the dearest part of a
worker's start, and every worker of a pass would do the same work. Instead the first worker to start
migrates its own database and leaves a copy as the pass's template; each other worker waits for it and
starts from a copy, which Django then finds fully migrated:

- SQLite (each worker's own in-memory database): the template is a file, written with SQLite's backup
  API, and read back into the worker's in-memory database the same way, in place of `migrate`;
- PostgreSQL: the template is a database, `test_<name>_template`, and each worker's database is
  created from it (`CREATE DATABASE ... TEMPLATE`, Django's TEST TEMPLATE setting), so `migrate`
  has nothing left to do and is not run.

The template lives as long as the run: its file sits in the run's shared temporary folder, and the
PostgreSQL template is made again by the first worker of every run, so a changed migration is never
missed, and dropped by the run's controller once its workers have finished (`drop_postgres_template`).
Without xdist (`-n 0`) the one process migrates as Django always does.
"""

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from django.core import management
from django.db import connection, connections
from django.test.utils import setup_databases

TEMPLATE_SUFFIX = "_template"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One worker at a time: an exclusive lock on a file in the run's shared folder."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _instead_of_migrate(action) -> Iterator[None]:
    """While Django creates the test databases, `migrate` runs `action` instead; other commands run."""
    real = management.call_command

    def call_command(name: Any, *args: Any, **options: Any) -> Any:
        if name == "migrate":
            return action()
        return real(name, *args, **options)

    with mock.patch.object(management, "call_command", call_command):
        yield


def _postgres_template_name() -> str:
    """test_<name>_template, beside the workers' test_<name>_gw0, _gw1, ..."""
    return f"test_{connection.settings_dict['NAME']}{TEMPLATE_SUFFIX}"


def drop_postgres_template() -> None:
    """Drop the pass's PostgreSQL template, if a worker left one, so that a run leaves no database behind
    (the workers' own databases are dropped by Django as each worker ends)."""
    if connection.vendor != "postgresql":
        return
    # The controller never opens the test databases; it asks the server itself, as Django does to create them.
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{_postgres_template_name()}"')


def _copy_into_memory(template: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _save_sqlite_template(template: Path) -> None:
    partial = template.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.rename(template)


def _save_postgres_template(name: str, own: str) -> None:
    # CREATE DATABASE ... TEMPLATE needs the source database to have no other session.
    connections.close_all()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{own}"')


def setup_from_template(shared: Path, **setup: Any) -> Any:
    """Django's setup_databases for one xdist worker, migrating only if no worker has left a template yet.
    Returns what setup_databases returns, for teardown_databases."""
    vendor = connection.vendor
    in_memory = vendor == "sqlite" and connection.creation.is_in_memory_db(connection.creation._get_test_db_name())
    if vendor != "postgresql" and not in_memory:
        return setup_databases(**setup)
    ready = shared / f"test-database-{vendor}.ready"
    with _locked(shared / f"test-database-{vendor}.lock"):
        if vendor == "postgresql":
            name = _postgres_template_name()
            if ready.exists():
                connection.settings_dict["TEST"]["TEMPLATE"] = name
                with _instead_of_migrate(lambda: None):
                    config = setup_databases(**setup)
                connection.settings_dict["TEST"].pop("TEMPLATE")
                return config
            config = setup_databases(**setup)
            _save_postgres_template(name, connection.settings_dict["NAME"])
        else:
            template = shared / "test-database.sqlite3"
            if ready.exists():
                with _instead_of_migrate(lambda: _copy_into_memory(template)):
                    return setup_databases(**setup)
            config = setup_databases(**setup)
            _save_sqlite_template(template)
        ready.touch()
        return config
