"""Queue the daily job that tells lead professionals of plan reviews coming up (run by the scheduler)."""

import json

from django.core.management.base import BaseCommand

from earlyhelp.plans.tasks import notify_reviews_due


class Command(BaseCommand):
    help = "Tell each lead professional, once for each review date, of a plan review due soon (queued for the worker)."

    def handle(self, *args, **options):
        result = notify_reviews_due.enqueue()
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line["result"] = result.return_value
        self.stdout.write(json.dumps(line))
