"""The production pieces read from the environment: the cache, gunicorn, the deployment check."""

import importlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import checks

from config import env
from earlyhelp.home import health

PRODUCT = Path(__file__).resolve().parents[2] / "earlyhelp"
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


def test_the_deployment_check_warns_when_the_cache_is_not_shared(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    messages = health.shared_cache_check(None)
    assert [(message.level, message.id, message.msg) for message in messages] == [
        (checks.WARNING, "earlyhelp.W001", health.NO_SHARED_CACHE)
    ]


def test_the_deployment_check_is_quiet_with_redis(settings):
    settings.CACHES = {"default": {"BACKEND": env.REDIS_CACHE_BACKEND, "LOCATION": "redis://127.0.0.1:6379/3"}}
    assert health.shared_cache_check(None) == []


def test_the_deployment_check_runs_with_check_deploy_only():
    assert health.shared_cache_check in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert health.shared_cache_check not in checks.registry.registry.get_checks(include_deployment_checks=False)


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
