"""Apply each dataset's retention period to its partner records: queue the job, or report what it would delete."""

import json

from earlyhelp.datahub.services import partner_records_expire
from earlyhelp.datahub.tasks import expire_partner_records
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Delete partner records older than their dataset's retention period (queued for the worker)."
    job = expire_partner_records

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would go per dataset, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            self.stdout.write(json.dumps({"dry_run": True, "deleted": partner_records_expire(dry_run=True)}))
            return
        self.queue()

    def job_result(self, value) -> dict:
        return {"deleted": value}
