"""Queue the daily summary emails for the worker (run once a day by the scheduler)."""

import json

from django.core.management.base import BaseCommand

from earlyhelp.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Queue each user's daily summary of notifications, and send the outbox (for the worker)."

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line["result"] = result.return_value
        self.stdout.write(json.dumps(line))
