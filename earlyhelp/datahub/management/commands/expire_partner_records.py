"""Apply each dataset's retention period to its partner records: queue the job, or report what it would delete."""

from earlyhelp.datahub.services import partner_records_expire
from earlyhelp.datahub.tasks import expire_partner_records
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Delete partner records older than their dataset's retention period (queued for the worker)."
    job = expire_partner_records
    dry_run_help = "count what would go per dataset, change nothing"

    def job_result(self, value) -> dict:
        return {"deleted": value}

    def dry_run_report(self) -> dict:
        return {"deleted": partner_records_expire(dry_run=True)}
