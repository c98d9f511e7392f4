"""Queue the daily job that tells practitioners of their overdue plan actions (run by the scheduler)."""

import json

from django.core.management.base import BaseCommand

from earlyhelp.plans.tasks import notify_overdue_actions


class Command(BaseCommand):
    help = "Tell each practitioner, once, of their plan actions past due (queued for the worker)."

    def handle(self, *args, **options):
        result = notify_overdue_actions.enqueue()
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line["result"] = result.return_value
        self.stdout.write(json.dumps(line))
