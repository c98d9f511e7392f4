"""Audit events per second when several writers record events at once, each in its own
transaction on its own connection, as concurrent requests do, sealing after their commits as
requests do (docs/decisions/0007-audit-sealed-in-batches.md); then how fast a sealer chains a
backlog, and that the chain is intact."""

import threading
import time

from django.db import close_old_connections, connection, transaction
from django.test import override_settings

from bench.harness import Figure
from earlyhelp.accounts.models import User
from earlyhelp.audit.chain import awaiting_seal, seal, verify
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

NAME = "audit_write"
DEFAULTS = {"writers": 8, "seconds": 10}


def _writer(actor: User, deadline: float, counts: list[int], index: int, errors: list[BaseException]) -> None:
    try:
        while time.perf_counter() < deadline:
            with transaction.atomic():
                audit_record(actor=actor, action=Action.VIEW, object_type="bench", object_id=counts[index])
            counts[index] += 1
    except BaseException as error:  # noqa: BLE001 - reported by the main thread after join
        errors.append(error)
    finally:
        connection.close()


def _rate(actor: User, writers: int, seconds: int) -> float:
    counts = [0] * writers
    errors: list[BaseException] = []
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_writer, args=(actor, deadline, counts, i, errors), daemon=True) for i in range(writers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"an audit writer failed: {errors[0]!r}")
    return sum(counts) / elapsed


def run(sizes: dict[str, int]):
    close_old_connections()
    actor = User.objects.filter(is_active=True).select_related("agency").first()
    if actor is None:
        actor = User.objects.create_user(username="bench-audit", password=None)
    seal()
    single = _rate(actor, 1, sizes["seconds"])
    concurrent = _rate(actor, sizes["writers"], sizes["seconds"])
    yield Figure(name=f"{NAME}_1_writer", value=round(single, 1), unit="events/s", target=None)
    yield Figure(name=f"{NAME}_{sizes['writers']}_writers", value=round(concurrent, 1), unit="events/s", target=None)
    # The backlog the writers left for the next seal (each process seals at most once a second).
    backlog = awaiting_seal()
    yield Figure(name=f"{NAME}_left_unsealed", value=backlog, unit="events", target=None)
    # A sealer chaining a backlog: the rate at which the chain can keep up with any number of writers.
    _rate_without_sealing(actor, sizes["writers"], sizes["seconds"])
    backlog = awaiting_seal()
    started = time.perf_counter()
    sealed = seal()
    elapsed = time.perf_counter() - started
    yield Figure(name=f"{NAME}_sealed_per_second", value=round(sealed / elapsed, 1), unit="events/s", target=None)
    yield Figure(name=f"{NAME}_sealed_backlog", value=backlog, unit="events", target=None)
    started = time.perf_counter()
    report = verify()
    if not report.intact:
        raise RuntimeError(f"the audit chain is broken after the benchmark: {report.problem}")
    yield Figure(
        name=f"{NAME}_verified_per_second",
        value=round(report.checked / (time.perf_counter() - started), 1),
        unit="events/s",
        target=None,
    )


def _rate_without_sealing(actor: User, writers: int, seconds: int) -> float:
    with override_settings(AUDIT_SEAL_INTERVAL=10 * seconds):
        # One seal right at the start, then none: the writers leave a backlog.
        return _rate(actor, writers, seconds)
