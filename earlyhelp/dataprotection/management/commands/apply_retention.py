from earlyhelp.dataprotection.services import retention_apply
from earlyhelp.dataprotection.tasks import apply_retention
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Apply the retention policy: queue the job (run daily by the scheduler), or report what it would remove."
    job = apply_retention
    dry_run_help = "report what would go, change nothing"

    def job_result(self, value) -> dict:
        return _counts(value)

    def dry_run_report(self) -> dict:
        return _counts(retention_apply(dry_run=True).__dict__)


def _counts(report: dict) -> dict:
    return {key: len(value) if isinstance(value, list) else value for key, value in report.items()}
