"""The background task worker of django-tasks-db, writing a heartbeat that /readyz reads and sealing
the audit events written since the last beat, so a quiet hour's last events do not wait for the
next request to join the chain."""

import logging
import threading

from django.db import connection
from django_tasks_db.management.commands import db_worker

from earlyhelp.audit.chain import seal
from earlyhelp.home.health import HEARTBEAT_SECONDS, worker_heartbeat

logger = logging.getLogger(__name__)


def _beat() -> None:
    try:
        worker_heartbeat()
    except Exception:  # noqa: BLE001 - a missed beat shows on /readyz; the worker keeps working
        logger.warning("The worker could not write its heartbeat to the cache.")


def _seal() -> None:
    try:
        seal(wait=False)
    except Exception:  # noqa: BLE001 - unsealed events wait for the next beat or request
        logger.warning("The worker could not seal the audit events written since its last beat.")


def _beat_until(stop: threading.Event) -> None:
    # A thread rather than a hook in the worker's loop: a long task holds the loop, and a worker
    # busy with a task is alive. The thread is a daemon, so the beat ends with the process.
    while not stop.wait(HEARTBEAT_SECONDS):
        _beat()
        _seal()
        # The beat's thread holds its own database connection; it is not kept between beats.
        connection.close()


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
