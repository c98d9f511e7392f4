"""p95 of the indicators dashboard over HTTP, signed in as a manager: a year by month, on the history of
bench/_history.py (BENCH_CHILDREN children).

The figures for one choice of period and filters are kept for `dashboard_cache_seconds`, so the p95 is of
pages served from the cache; the first, cold, page (every indicator worked out) is reported beside it.
"""

import time
import urllib.request

from django.test import Client

from bench._history import MEASURED_YEAR, ensure_history
from bench.data import ensure_register
from bench.family_page import _pass_second_factor
from bench.harness import Figure, p95, serve_http, time_ms
from earlyhelp.accounts.models import Role, User

NAME = "dashboard_page"
DEFAULTS = {"children": 30_000, "requests": 200}


def _query() -> str:
    start, end = MEASURED_YEAR
    return (
        f"start_day={start.day}&start_month={start.month}&start_year={start.year}"
        f"&end_day={end.day}&end_month={end.month}&end_year={end.year}&show_by=month"
    )


def run(sizes: dict[str, int]):
    ensure_register(500)
    ensure_history(sizes["children"])
    from django.core.cache import cache

    cache.clear()
    manager = User.objects.filter(role=Role.MANAGER).first()
    if manager is None:
        raise RuntimeError("The benchmark database has no manager: ensure_register builds the staff with it")
    client = Client()
    client.force_login(manager)
    _pass_second_factor(client, manager)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    with serve_http() as base_url:
        url = f"{base_url}/insights/dashboard/?{_query()}"

        def fetch() -> None:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback only
            with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - loopback URL built above
                if response.status != 200 or response.geturl() != url:
                    raise RuntimeError(f"the dashboard answered {response.status} from {response.geturl()}")
                if b'id="K18-trend"' not in response.read():
                    raise RuntimeError("the dashboard did not show every indicator")

        started = time.perf_counter()
        fetch()
        cold = (time.perf_counter() - started) * 1000
        samples = time_ms(fetch, sizes["requests"])
    yield Figure(name=NAME, value=p95(samples), unit="ms", target=500)
    yield Figure(name=f"{NAME}_median", value=sorted(samples)[len(samples) // 2], unit="ms", target=None)
    yield Figure(name=f"{NAME}_cold", value=cold, unit="ms", target=None)
