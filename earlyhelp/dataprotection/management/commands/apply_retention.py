import json

from django.core.management.base import BaseCommand

from earlyhelp.dataprotection.services import retention_apply
from earlyhelp.dataprotection.tasks import apply_retention


class Command(BaseCommand):
    help = "Apply the retention policy: queue the job (run daily by the scheduler), or report what it would remove."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would go, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            report = retention_apply(dry_run=True)
            self.stdout.write(json.dumps({"dry_run": True, **_counts(report.__dict__)}))
            return
        result = apply_retention.enqueue(dry_run=False)
        line = {"task": str(result.id), "status": str(result.status)}
        if result.is_finished and result.return_value is not None:
            line |= _counts(result.return_value)
        self.stdout.write(json.dumps(line))


def _counts(report: dict) -> dict:
    return {key: len(value) if isinstance(value, list) else value for key, value in report.items()}
