"""The background task worker of django-tasks-db, writing a heartbeat that /readyz reads."""

import logging
import threading

from django_tasks_db.management.commands import db_worker

from earlyhelp.home.health import HEARTBEAT_SECONDS, worker_heartbeat

logger = logging.getLogger(__name__)


def _beat() -> None:
    try:
        worker_heartbeat()
    except Exception:  # noqa: BLE001 - a missed beat shows on /readyz; the worker keeps working
        logger.warning("The worker could not write its heartbeat to the cache.")


def _beat_until(stop: threading.Event) -> None:
    # A thread rather than a hook in the worker's loop: a long task holds the loop, and a worker
    # busy with a task is alive. The thread is a daemon, so the beat ends with the process.
    while not stop.wait(HEARTBEAT_SECONDS):
        _beat()


class Command(db_worker.Command):
    help = "Run the database background worker (manage.py db_worker) with a heartbeat for /readyz."

    def handle(self, *args, **options) -> None:
        _beat()
        stop = threading.Event()
        threading.Thread(target=_beat_until, args=(stop,), name="worker-heartbeat", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
