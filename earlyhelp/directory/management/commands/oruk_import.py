"""Import a directory from Open Referral UK 3.0 JSON: a file, or another council's live ORUK API."""

import json
from urllib.request import Request, urlopen

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.directory.importer import ImportRefusedError, directory_import, read_feed, read_file
from earlyhelp.directory.models import ReviewStatus

FEED_TIMEOUT_SECONDS = 30


def _get_json(url: str) -> object:
    if not url.startswith(("https://", "http://")):
        raise CommandError(f"Only http(s) feeds can be read, not {url}")
    request = Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked above
    with urlopen(request, timeout=FEED_TIMEOUT_SECONDS) as answer:  # noqa: S310 - scheme checked above
        return json.load(answer)


class Command(BaseCommand):
    help = (
        "Import an ORUK 3.0 directory, matching records by id (safe to repeat). Each service is checked whole; "
        "rejected services are listed with their reasons and none of them is loaded."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("path", nargs="?", help="A JSON file: this system's export, a list of services, or a page.")
        source.add_argument("--url", help="The base URL of another ORUK API, e.g. https://example.org/oruk/")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="Load nothing at all if any service is rejected."
        )
        parser.add_argument(
            "--hold-for-review",
            action="store_true",
            help="New services wait for the Early Help Team's review instead of being published at once.",
        )

    def handle(self, *args, path: str | None, url: str | None, all_or_nothing: bool, hold_for_review: bool, **options):
        source = url or path
        if source is None:  # argparse's required group names one of them
            raise CommandError("Name a JSON file or an ORUK API's --url")
        try:
            document = read_feed(url, _get_json) if url else read_file(source)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the directory: {error}") from error
        try:
            report = directory_import(
                document=document,
                review_status=ReviewStatus.PENDING if hold_for_review else ReviewStatus.PUBLISHED,
                all_or_nothing=all_or_nothing,
                source=source,
            )
        except ImportRefusedError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} services were rejected (listed above)", returncode=1)
