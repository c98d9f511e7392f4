"""Queue the daily job that tells practitioners of their overdue plan actions (run by the scheduler)."""

from earlyhelp.plans.tasks import notify_overdue_actions
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Tell each practitioner, once, of their plan actions past due (queued for the worker)."
    job = notify_overdue_actions
