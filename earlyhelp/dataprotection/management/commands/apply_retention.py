import json

from earlyhelp.dataprotection.services import retention_apply
from earlyhelp.dataprotection.tasks import apply_retention
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Apply the retention policy: queue the job (run daily by the scheduler), or report what it would remove."
    job = apply_retention

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would go, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            report = retention_apply(dry_run=True)
            self.stdout.write(json.dumps({"dry_run": True, **_counts(report.__dict__)}))
            return
        self.queue(dry_run=False)

    def job_result(self, value) -> dict:
        return _counts(value)


def _counts(report: dict) -> dict:
    return {key: len(value) if isinstance(value, list) else value for key, value in report.items()}
