"""Queue the daily summary emails for the worker (run once a day by the scheduler)."""

from earlyhelp.notifications.tasks import send_digests
from earlyhelp.web.commands import QueueJobCommand


class Command(QueueJobCommand):
    help = "Queue each user's daily summary of notifications, and send the outbox (for the worker)."
    job = send_digests
