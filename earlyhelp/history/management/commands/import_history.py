"""manage.py import_history DIR --user USERNAME: import a council's history bundle (docs/history-import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.history.services import history_import
from earlyhelp.imports.commands import importing_user
from earlyhelp.imports.progress import TextProgress

USER_UNKNOWN = "No active user is called '{username}': name the person importing the history with --user"
NOT_A_DIRECTORY = "'{path}' is not a directory: name the directory holding the bundle's files"
REFUSED = "The bundle was not imported: {count} problems, listed above and in {path}; nothing was stored"
STORED = "Imported {rows}; {unchanged} rows were imported before and left as they were"
NOTHING_NEW = "Nothing new: all {unchanged} rows were imported before; nothing was changed"
DEFAULT_REPORT = "history-import-report.csv"


class Command(BaseCommand):
    help = "Import a bundle of CSV files of history: checked whole first, all or nothing, once per row."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--user", required=True, help="The username of the person importing the history")
        parser.add_argument(
            "--report",
            type=Path,
            default=Path(DEFAULT_REPORT),
            help=f"Where to write the report (default {DEFAULT_REPORT})",
        )

    def handle(self, *args, **options) -> None:
        actor = importing_user(options["user"], unknown=USER_UNKNOWN)
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(NOT_A_DIRECTORY.format(path=directory))
        outcome = history_import(actor=actor, directory=directory, progress=TextProgress(self.stderr))
        if not outcome.ok:
            problems = outcome.report.sorted_problems()
            for file_name, problem in problems:
                where = " ".join(
                    part for part in (file_name, f"row {problem.row}" if problem.row else "", problem.column) if part
                )
                self.stderr.write(f"{where}: {problem.message} [{problem.rule}]")
            options["report"].write_text(outcome.report.to_csv(), encoding="utf-8")
            raise CommandError(REFUSED.format(count=len(problems), path=options["report"]))
        if not outcome.stored:
            self.stdout.write(NOTHING_NEW.format(unchanged=outcome.unchanged))
            return
        rows = ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in outcome.stored.items())
        self.stdout.write(STORED.format(rows=rows, unchanged=outcome.unchanged))
