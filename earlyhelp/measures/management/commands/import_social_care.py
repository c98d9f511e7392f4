"""manage.py import_social_care FILE --user USERNAME: load the social care system's feed (docs/social-care-feed.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.imports.commands import importing_user
from earlyhelp.imports.progress import TextProgress
from earlyhelp.measures.feed import social_care_feed_load

USER_UNKNOWN = "No active user is called '{username}': name the person loading the feed with --user"
STORED = "{stored} new records stored; {held} already held, left as they were"
REPORT_WRITTEN = "The row-level report is in {path}"


class Command(BaseCommand):
    help = "Load a CSV or XLSX feed of children's social care activity: checked first, all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The username of the person loading the feed")
        parser.add_argument("--report", type=Path, help="Where to write the row-level report if the file is refused")

    def handle(self, *args, **options) -> None:
        actor = importing_user(options["user"], unknown=USER_UNKNOWN)
        result = social_care_feed_load(actor=actor, source=options["file"], progress=TextProgress(self.stderr))
        if result.report.problems:
            report = result.report.to_csv()
            if options["report"]:
                options["report"].write_text(report, encoding="utf-8")
                self.stderr.write(REPORT_WRITTEN.format(path=options["report"]))
            else:
                self.stderr.write(report)
            raise CommandError(result.outcome.message)
        self.stdout.write(result.outcome.message)
        if result.outcome.loaded:
            self.stdout.write(STORED.format(stored=result.stored, held=result.already_held))
