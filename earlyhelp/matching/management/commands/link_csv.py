import csv
from pathlib import Path

import duckdb
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.matching import messages
from earlyhelp.matching.model import READ_COLUMNS, link
from earlyhelp.matching.rules import Bands


def _mapping(values: list[str]) -> dict[str, str]:
    """Standard field -> CSV column, from COLUMN=field arguments."""
    mapping = {}
    for value in values:
        column, separator, field = value.partition("=")
        if not separator or not column.strip() or not field.strip():
            raise CommandError(messages.MAP_FORMAT.format(value=value))
        if field.strip() not in READ_COLUMNS:
            raise CommandError(messages.MAP_FIELD_UNKNOWN.format(field=field.strip(), allowed=", ".join(READ_COLUMNS)))
        mapping[field.strip()] = column.strip()
    return mapping


def _quoted(column: str) -> str:
    escaped = column.replace('"', '""')
    return f'"{escaped}"'


def _read(connection: duckdb.DuckDBPyConnection, which: str, path: Path, mapping: dict[str, str]):
    if not path.is_file():
        raise CommandError(messages.FILE_MISSING.format(which=which, path=path))
    # Every value stays text: identifiers keep their leading zeros and dates their written form.
    relation = connection.read_csv(str(path), all_varchar=True, header=True)
    present = relation.columns
    # One set of --map serves both files: a file without the mapped heading may use the standard name.
    wanted = {field: mapping[field] if mapping.get(field) in present else field for field in READ_COLUMNS}
    missing = [
        mapping.get(field, field)
        for field, column in wanted.items()
        if column not in present and (field == "record_id" or field in mapping)
    ]
    if missing:
        raise CommandError(
            messages.COLUMNS_MISSING.format(which=which, columns=", ".join(missing), present=", ".join(present))
        )
    selected = ", ".join(_quoted(column) + f" AS {field}" for field, column in wanted.items() if column in present)
    return relation.project(selected)


class Command(BaseCommand):
    help = "Link a partner's CSV file to a register CSV file with the matching model; the database is not touched."

    def add_arguments(self, parser):
        parser.add_argument("--register", required=True, type=Path, help="CSV of register records")
        parser.add_argument("--partner", required=True, type=Path, help="CSV of the partner's records")
        parser.add_argument(
            "--map",
            action="append",
            dest="mappings",
            default=[],
            metavar="COLUMN=field",
            help=f"read a CSV column as a standard field, one of {', '.join(READ_COLUMNS)}",
        )
        parser.add_argument("--out", required=True, type=Path, help="CSV to write, one row per partner record")
        parser.add_argument("--auto-link", type=float, default=Bands.auto_link, help="lowest probability linked")
        parser.add_argument("--review", type=float, default=Bands.review, help="lowest probability reviewed")

    def handle(self, *args, register, partner, mappings, out, auto_link, review, **options):
        try:
            bands = Bands(auto_link=auto_link, review=review)
        except ValueError as error:
            raise CommandError(str(error)) from error
        mapping = _mapping(mappings)
        connection = duckdb.connect(":memory:")
        tables = {
            which: _read(connection, which, path, mapping)
            for which, path in (("register", register), ("partner", partner))
        }
        try:
            linkage = link(
                register=tables["register"].to_arrow_table(),
                partner=tables["partner"].to_arrow_table(),
                bands=bands,
                progress=lambda stage: self.stdout.write(f"{stage}…"),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        with out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "person_id", "match_probability", "band"])
            for row in linkage.links:
                probability = "" if row.match_probability is None else f"{row.match_probability:.6f}"
                writer.writerow([row.record_id, row.person_id or "", probability, row.band.value])
        counts = {band: sum(row.band == band for row in linkage.links) for band in {row.band for row in linkage.links}}
        summary = ", ".join(f"{count} {band.value}" for band, count in sorted(counts.items()))
        self.stdout.write(f"Wrote {len(linkage.links)} partner records to {out}: {summary}")
