"""Send the emails due in the outbox now, or keep sending them (--loop) where no task worker runs."""

import json
import time

from django.core.management.base import BaseCommand

from earlyhelp.notifications.services import outbox_send


class Command(BaseCommand):
    help = "Send the emails due in the outbox; failures wait for their next attempt."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sending, every --every seconds, until stopped")
        parser.add_argument("--every", type=int, default=30, help="seconds between runs with --loop (default 30)")

    def handle(self, *args, loop: bool, every: int, **options):
        while True:
            self.stdout.write(json.dumps(outbox_send()))
            if not loop:
                return
            time.sleep(every)
