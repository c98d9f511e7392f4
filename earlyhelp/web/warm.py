"""Readying a server process before it answers anyone.

Django compiles a template the first time a process renders it and keeps it (the cached loader), and
imports each view module the first time a URL is resolved. Under gunicorn each worker would otherwise do
that on its first requests, which then take ten times as long as the next ones, and again whenever a worker
is replaced (`max_requests`). `warm_up` does it once in gunicorn's master (`preload_app`, config/gunicorn.py)
before the workers are forked, so every worker starts with them done.
"""

from pathlib import Path

from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver


def project_templates() -> list[str]:
    """The names of the service's own templates (the first template directory), in a stable order."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    root = Path(engine.dirs[0])
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.html"))


def warm_up() -> int:
    """Compile the service's templates into the template cache and import every view the URLs name; returns
    how many templates were compiled. Opens no database connection, and closes any a module opened on
    import, since a connection must never be shared by forked workers."""
    engine = engines["django"]
    compiled = 0
    for name in project_templates():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:  # a fragment that only compiles inside its parent; compiled there
            continue
        compiled += 1
    get_resolver().url_patterns  # noqa: B018 - resolving imports every view module
    connections.close_all()
    return compiled
