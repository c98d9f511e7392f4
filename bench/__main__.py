"""Run benchmarks: `python -m bench` for all, `python -m bench NAME` for one."""

import importlib
import os
import pkgutil
import sys
from types import ModuleType
from typing import Any

import django

import bench


def _modules() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name in {"harness", "data", "locustfile"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "run"):
            found[module.NAME] = module
    return found


def _ensure_database() -> None:
    """Create the benchmark database on the PostgreSQL server if it is not there yet."""
    import psycopg
    from django.conf import settings

    config = settings.DATABASES["default"]
    if not config["ENGINE"].endswith("postgresql"):
        return
    dsn: dict[str, Any] = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "dbname": "postgres",
    }
    if config["PASSWORD"]:
        dsn["password"] = config["PASSWORD"]
    with psycopg.connect(**dsn, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    _ensure_database()
    from django.core.management import call_command

    from bench.harness import sizes_from_env

    modules = _modules()
    wanted = argv or sorted(modules)
    unknown = [name for name in wanted if name not in modules]
    if unknown:
        print(f"Unknown benchmark {', '.join(unknown)}; known: {', '.join(sorted(modules))}", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    failed = False
    for name in wanted:
        module = modules[name]
        for figure in module.run(sizes_from_env(module.DEFAULTS)):
            print(figure.json(), flush=True)
            failed |= figure.ok is False
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
