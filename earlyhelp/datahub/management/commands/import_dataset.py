"""Load a partner's file into a dataset from the command line, with the same checks as the page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.datahub import selectors
from earlyhelp.datahub.models import UploadStatus
from earlyhelp.datahub.services import dataset_upload_receive
from earlyhelp.imports.commands import importing_user
from earlyhelp.imports.progress import TextProgress

NO_DATASET = "No dataset is called or numbered '{dataset}'; the register lists them at /data-hub/"
NO_USER = "No active account is called '{username}'"
NO_FILE = "There is no file at {path}"


class Command(BaseCommand):
    help = (
        "Check a partner's CSV or XLSX file against its dataset's layout and, only if every row passes, "
        "store its rows as partner records. A refused file stores nothing; its problems are printed as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("dataset", help="the dataset's name or number")
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")
        parser.add_argument("--user", required=True, help="the account the load is recorded against")
        parser.add_argument("--report", type=Path, help="write the problems of a refused file to this CSV file")

    def handle(self, *args, dataset: str, file: Path, user: str, report: Path | None, **options):
        found = selectors.dataset_find(dataset)
        if found is None:
            raise CommandError(NO_DATASET.format(dataset=dataset))
        actor = importing_user(user, unknown=NO_USER)
        if not file.is_file():
            raise CommandError(NO_FILE.format(path=file))
        # The command is the background job: it checks the file here, showing its progress.
        received = dataset_upload_receive(
            actor=actor, dataset=found, file=file, background=False, progress=TextProgress(self.stdout)
        )
        if received.status in (UploadStatus.LOADED, UploadStatus.ALREADY_LOADED):
            self.stdout.write(_summary(received))
            return
        if report is not None:
            report.write_text(received.report_csv, encoding="utf-8")
        else:
            self.stdout.write(received.report_csv, ending="")
        raise CommandError(received.message)


def _summary(received) -> str:
    if received.status == UploadStatus.ALREADY_LOADED:
        return received.message
    line = f"{received.message}: {received.stored_count:,} records stored"
    if received.present_count:
        line += f", {received.present_count:,} already held"
    return line
