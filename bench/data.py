"""The synthetic register the benchmarks run on, built once per size and reused."""

import sys

from earlyhelp.accounts.models import Role, User
from earlyhelp.families.models import Person

# The demo builder averages about 3.6 people per household.
PEOPLE_PER_FAMILY = 3.6


def ensure_register(persons: int, seed: int = 2026) -> int:
    """At least `persons` people in the benchmark database; returns how many there are."""
    from earlyhelp.demo.borough import build_borough

    have = Person.objects.count()
    if have >= persons * 0.98:
        return have
    families = int((persons - have) / PEOPLE_PER_FAMILY) + 1
    print(f"Building a register of about {persons:,} people for the benchmarks…", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if done % 10_000 < 2_000 or done == total:
            print(f"  {done:,} of {total:,} families", file=sys.stderr)

    from django.db import connection

    from earlyhelp.demo.large import BULK_THRESHOLD, build_large

    if connection.vendor == "postgresql" and families >= BULK_THRESHOLD:
        # A large register by bulk inserts (demo/large.py), with its history: minutes, where the
        # demo builder's services would take hours.

        def stage(name: str, rows: int, seconds: float) -> None:
            print(f"  {name}: {rows:,} rows in {seconds:.0f} s", file=sys.stderr)

        build_large(families=families, seed=seed + have, progress=stage)
    else:
        build_borough(families=families, seed=seed + have, progress=progress)

    if connection.vendor == "postgresql":
        # Flush the trigram indexes' pending lists (bulk inserts leave them long) and refresh the
        # planner's statistics, as autovacuum would in a running system.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Person.objects.count()


def register_coordinator() -> User:
    """The coordinator the benchmarks search and open records as, from the demo borough's staff."""
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    if coordinator is None:
        raise RuntimeError("The benchmark database has no coordinator: ensure_register builds the staff with it")
    return coordinator
