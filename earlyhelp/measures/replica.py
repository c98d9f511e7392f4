"""Reporting reads on a read replica: the indicators and the dashboards' counts are read from the
database alias `settings.REPORTING_DATABASE` (`replica` when DATABASE_REPLICA_URL names one,
otherwise `default`), so aggregates over a whole authority do not compete with casework for the
primary. Everything else, and every write, stays on `default`.

A replica lags the primary by a moment: aggregates may, casework may not, which is why the choice
is made by what a read is for (a selector wrapped in `reporting_reads`) and not by model.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("reporting_reads", default=False)


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Send the reads inside to the reporting database; usable as a decorator, `@reporting_reads()`."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_database() -> str:
    """The alias reporting reads go to: the replica when one is configured, else the primary."""
    alias: str = getattr(settings, "REPORTING_DATABASE", "default")
    return alias if alias in settings.DATABASES else "default"


class ReportingReplicaRouter:
    """Django's database router: reporting reads to the replica, the rest to `default`."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return reporting_database() if _reporting.get() else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: a record read from either may point at the other's.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary by replication, never by migrations of its own.
        return db != REPLICA
