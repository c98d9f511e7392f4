import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from earlyhelp.demo.borough import build_borough
from earlyhelp.demo.directory import build_directory
from earlyhelp.demo.history import build_history
from earlyhelp.demo.identifiers import NhsNumbersExhaustedError
from earlyhelp.demo.journey import build_journey
from earlyhelp.demo.large import BULK_THRESHOLD, BulkSeedError, build_large
from earlyhelp.families.models import Household

# Enough families that each locality has 5 or more at every level of need on the analyst's page.
DEFAULT_FAMILIES = 3000
DEFAULT_SEED = 2014
# Families whose episodes closed in the last three years, for every 100 of today's (demo/history.py).
HISTORY_SHARE = 15


class Command(BaseCommand):
    help = "Build a synthetic borough: the partnership, one demo user per role, and families."

    def add_arguments(self, parser):
        parser.add_argument(
            "--families",
            type=int,
            default=DEFAULT_FAMILIES,
            help=f"How many households (default {DEFAULT_FAMILIES:,}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed; the same seed builds the same borough."
        )
        parser.add_argument("--services", type=int, default=120, help="How many directory services (default 120).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the register already has families.")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "Build by bulk inserts in PostgreSQL (demo/large.py): a large authority with years of history in "
                f"minutes. Taken by itself on PostgreSQL from {BULK_THRESHOLD:,} families."
            ),
        )

    def handle(self, *args, families: int, seed: int, if_empty: bool, services: int, bulk: bool = False, **options):
        if families < 0:
            raise CommandError("--families must be zero or more")
        on_postgres = connection.vendor == "postgresql"
        if bulk and not on_postgres:
            raise CommandError(
                "--bulk needs PostgreSQL: the bulk seed makes its rows inside the database with INSERT … SELECT "
                "over generate_series and PostgreSQL's hash functions. Leave out --bulk to build through the "
                "services on this database."
            )
        if if_empty and Household.objects.exists():
            self.stdout.write("Demo data already loaded.")
            return
        if bulk or (on_postgres and families >= BULK_THRESHOLD):
            self._bulk(families=families, seed=seed, services=services)
            return
        self.stdout.write("Path: through the services (each record audited and in the chronology).")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:,} of {total:,} families", ending="\r" if done < total else "\n")
            self.stdout.flush()

        self.stdout.write(f"Building a synthetic borough of {families:,} families (seed {seed})…")
        started = time.monotonic()
        try:
            size = build_borough(families=families, seed=seed, progress=progress)
        except NhsNumbersExhaustedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {size.families:,} families, {size.persons:,} people, {size.involvements:,} involvements."
            )
        )
        # The directory first: family plans in the demo journey refer to its services.
        self._directory(seed=seed, services=services)
        journey = build_journey(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {journey.requests} requests for support, {journey.episodes} episodes, {journey.step_ups} step ups."
            )
        )
        history = build_history(seed=seed, families=families * HISTORY_SHARE // 100)
        self.stdout.write(self.style.SUCCESS(f"Imported three years of history: {history.stored}."))
        self._took(started)

    def _bulk(self, *, families: int, seed: int, services: int) -> None:
        self.stdout.write(
            f"Path: bulk inserts in PostgreSQL (--bulk, or {BULK_THRESHOLD:,} families or more). "
            f"Building a large authority of {families:,} families (seed {seed})…"
        )
        started = time.monotonic()

        def progress(stage: str, rows: int, seconds: float) -> None:
            self.stdout.write(f"  {stage}: {rows:,} rows in {seconds:,.1f} s")
            self.stdout.flush()

        try:
            size = build_large(families=families, seed=seed, progress=progress)
        except BulkSeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {size.families:,} families, {size.persons:,} people ({size.children:,} children) "
                f"and {size.events:,} rows of history."
            )
        )
        self._directory(seed=seed, services=services)
        self._took(started)

    def _directory(self, *, seed: int, services: int) -> None:
        directory = build_directory(seed=seed, services=services)
        self.stdout.write(self.style.SUCCESS(f"Published {directory.published:,} services in the directory."))

    def _took(self, started: float) -> None:
        self.stdout.write(
            f"Took {time.monotonic() - started:,.1f} s; the database is now {database_size() / 1_000_000:,.1f} MB."
        )


def database_size() -> int:
    """The size of the database on disk, in bytes, as the database itself reports it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return int(cursor.fetchone()[0])
