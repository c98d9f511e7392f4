"""Queue the daily job that tells lead professionals of plan reviews coming up (run by the scheduler)."""

from earlyhelp.plans.tasks import notify_reviews_due
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Tell each lead professional, once for each review date, of a plan review due soon (queued for the worker)."
    job = notify_reviews_due
