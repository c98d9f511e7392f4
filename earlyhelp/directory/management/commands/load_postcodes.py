"""Load a postcode lookup table from the ONS Postcode Directory (ONSPD) CSV, for distances."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.directory import rules
from earlyhelp.directory.postcodes import SYNTHETIC_POSTCODES
from earlyhelp.directory.services import postcodes_load


class Command(BaseCommand):
    help = (
        "Load postcode centroids from an ONS Postcode Directory CSV (columns pcds or pcd, lat, long, doterm). "
        "Safe to repeat: it updates what is there and removes terminated postcodes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The ONSPD CSV file (the full file or a local extract).")
        parser.add_argument(
            "--districts",
            nargs="+",
            default=[],
            metavar="OUTWARD",
            help="Load only these postcode districts (e.g. L33 L34): the national file has 2.7 million rows.",
        )
        parser.add_argument("--demo", action="store_true", help="Load the demo borough's small synthetic file instead.")

    def handle(self, *args, path: str | None, districts: list[str], demo: bool, **options):
        if demo == bool(path):
            raise CommandError("Give the path of an ONSPD CSV file, or --demo (not both)")
        source = SYNTHETIC_POSTCODES if demo or path is None else Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        wanted = {district.upper() for district in districts}
        if any(not rules.outward_code_is_valid(district) for district in wanted):
            raise CommandError("--districts takes postcode districts (outward codes), like L33")
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"lat", "long"} <= set(reader.fieldnames or []) or not {"pcds", "pcd"} & set(
                reader.fieldnames or []
            ):
                raise CommandError("The file lacks the ONSPD columns pcds (or pcd), lat and long")
            rows = (row for row in reader if not wanted or _district(row) in wanted)
            result = postcodes_load(rows=rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.loaded:,} postcodes; removed {result.terminated:,} terminated; "
                f"skipped {result.skipped:,} without a location."
            )
        )


def _district(row: dict[str, str]) -> str:
    return rules.postcode_district(row.get("pcds") or row.get("pcd") or "")
