"""Apply the flag rules to every linked partner record and raise the flags not raised yet."""

import json

from django.core.management.base import BaseCommand

from earlyhelp.datahub.services import flags_raise


class Command(BaseCommand):
    help = "Raise the flags the flag rules find in linked partner records; a second run raises none."

    def handle(self, *args, **options):
        outcome = flags_raise()
        self.stdout.write(json.dumps({"raised": outcome.raised, "people": outcome.people}))
