"""Reading configuration from the environment, in one place."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_env(default_sqlite: Path) -> dj_database_url.DBConfig:
    """The database named by DATABASE_URL, or the embedded SQLite file when it is unset."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the background task worker and the web process share the file.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    return config


def replica_from_env() -> dj_database_url.DBConfig | None:
    """The read replica DATABASE_REPLICA_URL names, for reporting reads (docs/scaling.md); None when unset."""
    url = os.environ.get("DATABASE_REPLICA_URL")
    return dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)) if url else None


REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"
NO_SHARED_CACHE = (
    "REDIS_URL is not set: each process keeps its own cache, so the public form's rate limit and the "
    "partner API's throttle count per process, and /readyz cannot see the worker's heartbeat "
    "(docs/deploy.md)."
)


def cache_from_env() -> dict:
    """The Redis cache named by REDIS_URL, shared by every process; each process's own memory when unset."""
    url = os.environ.get("REDIS_URL")
    # The prefix lets several sites, or several test runs, share one Redis without meeting.
    prefix = env_str("CACHE_KEY_PREFIX")
    if url:
        return {"default": {"BACKEND": REDIS_CACHE_BACKEND, "LOCATION": url, "KEY_PREFIX": prefix}}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}}
