"""Apply each dataset's retention period to its partner records: queue the job, or report what it would delete."""

import json

from django.core.management.base import BaseCommand

from earlyhelp.datahub.services import partner_records_expire
from earlyhelp.datahub.tasks import expire_partner_records


class Command(BaseCommand):
    help = "Delete partner records older than their dataset's retention period (queued for the worker)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would go per dataset, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            self.stdout.write(json.dumps({"dry_run": True, "deleted": partner_records_expire(dry_run=True)}))
            return
        result = expire_partner_records.enqueue()
        line: dict = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line["deleted"] = result.return_value
        self.stdout.write(json.dumps(line))
