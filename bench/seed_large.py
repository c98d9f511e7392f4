"""How long `seed_demo --bulk` takes to build a large synthetic authority, and how big the database grows.

The build needs an empty database, so this benchmark does not use the shared benchmark database: it drops
and recreates `earlyhelp_seed_large` (BENCH_SEED_DATABASE overrides the name) on the same server, migrates
it, points the default connection at it for the build, and points it back afterwards. Only the build is
timed, not the migrations.

BENCH_FAMILIES sets the size (default 5,000, a minute or so). 157,000 families give about 300,000
children; the issue's budget for them is 30 minutes, and the target here is that budget in proportion to
the families built.
"""

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.harness import Figure

NAME = "seed_large"
DEFAULTS = {"families": 5_000, "seed": 2014}
BUDGET_MINUTES = 30
BUDGET_FAMILIES = 150_000


def _server_dsn(config: Any) -> dict[str, Any]:
    dsn: dict[str, Any] = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "dbname": "postgres",
    }
    if config["PASSWORD"]:
        dsn["password"] = config["PASSWORD"]
    return dsn


@contextmanager
def _own_database(name: str) -> Iterator[None]:
    """A new, empty database on the benchmark's server, the default connection pointed at it meanwhile."""
    import psycopg

    config = settings.DATABASES["default"]
    with psycopg.connect(**_server_dsn(config), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    previous = config["NAME"]
    connection.close()
    config["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        config["NAME"] = previous


def run(sizes: dict[str, int]):
    from earlyhelp.demo.large import build_large
    from earlyhelp.demo.management.commands.seed_demo import database_size

    name = os.environ.get("BENCH_SEED_DATABASE", "earlyhelp_seed_large")
    with _own_database(name):
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"Migrated {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)

        def progress(stage: str, rows: int, seconds: float) -> None:
            print(f"  {stage}: {rows:,} rows in {seconds:.1f} s", file=sys.stderr)

        started = time.perf_counter()
        size = build_large(families=sizes["families"], seed=sizes["seed"], progress=progress)
        minutes = (time.perf_counter() - started) / 60
        megabytes = database_size() / 1_000_000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Load average at the end: {load:.1f}", file=sys.stderr)
    yield Figure(
        name=f"{NAME}_minutes",
        value=minutes,
        unit="min",
        target=BUDGET_MINUTES * sizes["families"] / BUDGET_FAMILIES,
    )
    yield Figure(name=f"{NAME}_size", value=megabytes, unit="MB", target=None)
    yield Figure(name=f"{NAME}_children", value=size.children, unit="children", target=None)
    yield Figure(name=f"{NAME}_events", value=size.events, unit="rows", target=None)
