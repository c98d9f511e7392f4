"""Readiness: whether this process can serve, and whether the background worker is alive.

`/healthz` answers liveness (the process runs and reaches its database); `/readyz` answers 200
only when the database, the cache and the worker's heartbeat all answer, so a load balancer sends
requests only to a fully working instance. The answers name parts, never records or people.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# The worker writes the time into the cache this often; three missed beats and it is taken as gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = 3 * HEARTBEAT_SECONDS
HEARTBEAT_KEY = "health:worker-heartbeat"
PROBE_KEY = "health:readiness-probe"

OK = "ok"
UNAVAILABLE = "unavailable"
NO_HEARTBEAT = "no heartbeat"


def worker_heartbeat() -> None:
    """Record that the background worker is alive now."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=HEARTBEAT_STALE_AFTER)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return OK if cursor.fetchone() == (1,) else UNAVAILABLE
    except Exception:  # noqa: BLE001 - any failure to reach the database is the answer
        return UNAVAILABLE


def _cache() -> str:
    try:
        token = str(time.time())
        cache.set(PROBE_KEY, token, timeout=10)
        return OK if cache.get(PROBE_KEY) == token else UNAVAILABLE
    except Exception:  # noqa: BLE001 - any failure to reach the cache is the answer
        return UNAVAILABLE


def _worker() -> str:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 - an unreachable cache is reported as the cache's failure
        return UNAVAILABLE
    if beat is None or time.time() - beat > HEARTBEAT_STALE_AFTER:
        return NO_HEARTBEAT
    return OK


@never_cache
@require_GET
def readyz(request):
    """200 when the database, the cache and the worker all answer; 503 naming the parts that do not."""
    parts = {"database": _database(), "cache": _cache(), "worker": _worker()}
    ready = all(answer == OK for answer in parts.values())
    return JsonResponse({"status": OK if ready else UNAVAILABLE, **parts}, status=200 if ready else 503)
