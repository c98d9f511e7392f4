"""Readiness: whether this process can serve, and whether the background worker is alive.

`/healthz` answers liveness (the process runs and reaches its database); `/readyz` answers 200
only when the database, the cache and the worker's heartbeat all answer, so a load balancer sends
requests only to a fully working instance. It also says whether the audit chain keeps up (events
sealed into it soon after they are written); that is for whoever watches, and does not make the
instance unready: it still serves, and its events are kept, waiting to be sealed. The answers name
parts, never records or people.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from earlyhelp.audit.chain import oldest_awaiting_seal

# The worker writes the time into the cache this often; three missed beats and it is taken as gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = 3 * HEARTBEAT_SECONDS
HEARTBEAT_KEY = "health:worker-heartbeat"
PROBE_KEY = "health:readiness-probe"

# The worker seals the audit events written since its last beat on every beat: one waiting longer than this
# means sealing has stopped (the worker's beat thread failing, or the chain's lock held).
SEAL_BEHIND_AFTER = 5 * 60

OK = "ok"
UNAVAILABLE = "unavailable"
NO_HEARTBEAT = "no heartbeat"
BEHIND = "behind"


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


def _audit_chain() -> str:
    try:
        oldest = oldest_awaiting_seal()
    except Exception:  # noqa: BLE001 - an unreachable database is reported as the database's failure
        return UNAVAILABLE
    if oldest is not None and (timezone.now() - oldest).total_seconds() > SEAL_BEHIND_AFTER:
        return BEHIND
    return OK


@never_cache
@require_GET
def readyz(request):
    """200 when the database, the cache and the worker all answer; 503 naming the parts that do not. Whether
    the audit chain keeps up is said beside them, whatever the status."""
    parts = {"database": _database(), "cache": _cache(), "worker": _worker()}
    ready = all(answer == OK for answer in parts.values())
    status = OK if ready else UNAVAILABLE
    return JsonResponse({"status": status, **parts, "audit_chain": _audit_chain()}, status=200 if ready else 503)
