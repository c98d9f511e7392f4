"""manage.py indicators --from YYYY-MM-DD --to YYYY-MM-DD --format json|csv: every indicator for a period,
as published (counts of 1 to 4 shown as a marker). docs/indicators.md describes the output."""

import csv
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.measures import rules
from earlyhelp.measures.selectors import Period, indicators

DATE_INVALID = "--{option} must be a date written YYYY-MM-DD, like 2025-04-01"
PERIOD_BACKWARDS = "The period must end on or after the day it starts"


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(DATE_INVALID.format(option=option)) from None


class Command(BaseCommand):
    help = "Print every indicator (K01 to K19) for a period, with small numbers suppressed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="The first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="The last day of the period, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--as-of", dest="as_of", help="The day K14 follows closures up to (default today)")

    def handle(self, *args, **options) -> None:
        period = Period(start=_day("from", options["start"]), end=_day("to", options["end"]))
        if period.end < period.start:
            raise CommandError(PERIOD_BACKWARDS)
        as_of = _day("as-of", options["as_of"]) if options["as_of"] else None
        published = {key: rules.indicator_published(value) for key, value in indicators(period, as_of=as_of).items()}
        if options["format"] == "json":
            self.stdout.write(json.dumps(published, indent=2, ensure_ascii=False))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerows(rules.csv_rows(published))
