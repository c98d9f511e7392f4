"""The production pieces read from the environment: the cache, the connections, gunicorn, static files."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from config import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ROOT / "earlyhelp"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def test_redis_url_gives_the_shared_redis_cache(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("CACHE_KEY_PREFIX", "council-a")
    assert env.cache_from_env() == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
            "KEY_PREFIX": "council-a",
        }
    }


def test_without_redis_url_each_process_keeps_its_cache_in_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_KEY_PREFIX", raising=False)
    assert env.cache_from_env() == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": ""}
    }


def _production_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    values = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "p" * 60,
        "DATABASE_URL": "postgres://earlyhelp_app@127.0.0.1:5432/earlyhelp",
        "DJANGO_ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter running code written in this file
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={key: value for key, value in os.environ.items() if key != "REDIS_URL"} | values | environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_production_without_redis_warns_on_start_that_limits_count_per_process():
    started = _production_python("from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])")
    assert started.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    assert env.NO_SHARED_CACHE in started.stderr


def test_production_with_redis_uses_it_and_keeps_its_connections_a_minute_with_health_checks():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(s.CACHES['default']['BACKEND'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    started = _production_python(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert started.stdout.split() == [env.REDIS_CACHE_BACKEND, "60", "True"]
    assert env.NO_SHARED_CACHE not in started.stderr


def test_production_with_a_replica_url_reports_from_it_and_keeps_its_connections_as_the_primarys():
    code = (
        "from django.conf import settings as s; r = s.DATABASES['replica'];"
        "print(s.REPORTING_DATABASE, r['HOST'], r['CONN_MAX_AGE'], r['CONN_HEALTH_CHECKS'], *s.DATABASE_ROUTERS)"
    )
    started = _production_python(code, DATABASE_REPLICA_URL="postgres://earlyhelp_reader@10.0.0.2:5432/earlyhelp")
    assert started.stdout.split() == [
        "replica",
        "10.0.0.2",
        "60",
        "True",
        "earlyhelp.measures.replica.ReportingReplicaRouter",
    ]


def test_production_without_a_replica_url_reports_from_the_primary():
    code = "from django.conf import settings as s; print(s.REPORTING_DATABASE, *sorted(s.DATABASES))"
    started = _production_python(code, DATABASE_REPLICA_URL="")
    assert started.stdout.split() == ["default", "default"]


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (3, 7), (16, 8)])
def test_gunicorn_runs_two_workers_a_core_and_one_more_up_to_the_cap(monkeypatch, cores, workers):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_WORKERS_MAX", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    config = importlib.reload(importlib.import_module("config.gunicorn"))
    assert config.workers == workers


def test_gunicorn_takes_its_workers_and_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("WEB_THREADS", "1")
    config = importlib.reload(importlib.import_module("config.gunicorn"))
    assert (config.workers, config.threads, config.worker_class) == (2, 1, "sync")


def test_every_static_file_a_template_names_exists():
    # Production's manifest storage refuses to render a page naming a missing file, so a wrong
    # path there is a server error on every page, where development only shows a broken icon.
    named = {match for path in PRODUCT.rglob("*.html") for match in STATIC_TAG.findall(path.read_text())}
    assert named
    assert [name for name in sorted(named) if finders.find(name) is None] == []


def test_production_redirects_plain_http_to_https_except_the_health_probes():
    code = (
        "from django.test import Client; c = Client();"
        "print(*(c.get(path).status_code for path in ('/accounts/sign-in/', '/healthz', '/readyz')))"
    )
    # The database named does not answer: the probes say so (503) rather than being redirected.
    started = _production_python(
        code, DJANGO_ALLOWED_HOSTS="testserver", DATABASE_URL="postgres://nobody@127.0.0.1:9/none"
    )
    assert started.stdout.split() == ["301", "503", "503"]


def test_gunicorn_readies_the_application_once_before_forking_its_workers():
    config = importlib.reload(importlib.import_module("config.gunicorn"))
    assert config.preload_app is True
    assert callable(config.when_ready)


def test_warming_up_compiles_every_template_of_the_service_and_opens_no_database_connection():
    from django.db import connections
    from django.template import engines

    from earlyhelp.web.warm import project_templates, warm_up

    def open_connections() -> set[str]:
        return {connection.alias for connection in connections.all() if connection.connection is not None}

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    names = project_templates()
    assert "base.html" in names and len(names) > 100
    # A connection made before forking would be shared by the workers: warming up must make none. (An
    # in-memory SQLite test database stays open across close_all, so only new connections are counted.)
    before = open_connections()
    assert warm_up() == len(names)
    assert set(names) <= set(loader.get_template_cache)
    assert open_connections() <= before
