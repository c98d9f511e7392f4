"""The shape of a command the scheduler runs to queue one background job for the worker."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks.base import Task


class QueueJobCommand(BaseCommand):
    """Queue `job` and write one JSON line: the task's id and status and, where the job has already run
    (the immediate backend runs it at once), what it returned, in the words `job_result` gives it.

    A command that can say what its job would do names in `dry_run_help` what `--dry-run` reports, and
    gives the report in `dry_run_report`: with `--dry-run` it writes that, changes nothing and queues nothing."""

    job: Task
    dry_run_help = ""

    def add_arguments(self, parser) -> None:
        if self.dry_run_help:
            parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            self.stdout.write(json.dumps({"dry_run": True, **self.dry_run_report()}))
            return
        result = self.job.enqueue()
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line |= self.job_result(result.return_value)
        self.stdout.write(json.dumps(line))

    def job_result(self, value: Any) -> dict:
        return {"result": value}

    def dry_run_report(self) -> dict:
        raise NotImplementedError
