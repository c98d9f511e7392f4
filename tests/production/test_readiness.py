"""`/readyz`: 200 only when the database, the cache and the worker's heartbeat answer; whether the audit chain
keeps up said beside them."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.utils import timezone

from earlyhelp.audit.chain import awaiting_seal, verify
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.home import health
from earlyhelp.home.management.commands.run_worker import _seal

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 9 (discard) on loopback: nothing listens, so every call fails at once.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_readyz_answers_200_when_the_database_the_cache_and_the_worker_answer(client):
    health.worker_heartbeat()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "worker": "ok", "audit_chain": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_answers_503_naming_the_worker_when_no_heartbeat_was_written(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "ok",
        "worker": health.NO_HEARTBEAT,
        "audit_chain": "ok",
    }


def test_a_heartbeat_older_than_three_beats_counts_as_none(client):
    cache.set(health.HEARTBEAT_KEY, time.time() - health.HEARTBEAT_STALE_AFTER - 1)
    assert client.get("/readyz").json()["worker"] == health.NO_HEARTBEAT


def test_readyz_answers_503_naming_the_database_when_it_does_not_answer(client, monkeypatch):
    health.worker_heartbeat()

    def refuse(*args, **kwargs):
        raise OperationalError("no database")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == response.json()["audit_chain"] == health.UNAVAILABLE
    assert response.json()["cache"] == response.json()["worker"] == health.OK


def test_readyz_answers_503_naming_the_cache_and_the_worker_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": health.UNAVAILABLE,
        "worker": health.UNAVAILABLE,
        "audit_chain": "ok",
    }


# Transactional: the worker closes the database connection between tasks, as a worker must.
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_writes_a_heartbeat_before_it_takes_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert cache.get(health.HEARTBEAT_KEY) is None
    call_command("run_worker", batch=True, startup_delay=False, verbosity=0)
    assert time.time() - cache.get(health.HEARTBEAT_KEY) < health.HEARTBEAT_STALE_AFTER


@pytest.mark.django_db
def test_the_worker_seals_the_audit_events_written_since_its_last_beat():
    with transaction.atomic():
        audit_record(actor=None, action=Action.VIEW, object_type="directory")
    assert awaiting_seal() == 1
    _seal()
    assert awaiting_seal() == 0
    assert verify().checked == 1


def test_an_event_left_unsealed_past_the_limit_shows_the_chain_behind_without_making_the_instance_unready(
    client, monkeypatch
):
    health.worker_heartbeat()
    with transaction.atomic():
        audit_record(actor=None, action=Action.VIEW, object_type="directory")
    written = timezone.now()

    monkeypatch.setattr(health.timezone, "now", lambda: written + timedelta(seconds=health.SEAL_BEHIND_AFTER - 5))
    assert client.get("/readyz").json()["audit_chain"] == health.OK

    monkeypatch.setattr(health.timezone, "now", lambda: written + timedelta(seconds=health.SEAL_BEHIND_AFTER + 5))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["audit_chain"] == health.BEHIND

    _seal()
    assert client.get("/readyz").json()["audit_chain"] == health.OK
