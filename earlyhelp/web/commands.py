"""The shape of a command the scheduler runs to queue one background job for the worker."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks.base import Task


class QueueJobCommand(BaseCommand):
    """Queue `job` and write one JSON line: the task's id and status and, where the job has already run
    (the immediate backend runs it at once), what it returned, in the words `job_result` gives it."""

    job: Task

    def handle(self, *args, **options) -> None:
        self.queue()

    def queue(self, **arguments: Any) -> None:
        result = self.job.enqueue(**arguments)
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line |= self.job_result(result.return_value)
        self.stdout.write(json.dumps(line))

    def job_result(self, value: Any) -> dict:
        return {"result": value}
