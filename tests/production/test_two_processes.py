"""Two gunicorn servers on one PostgreSQL database and one Redis behave as one service: a session,
the public form's per-address limit and a partner's API throttle hold across both."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import requests
from django.conf import settings
from django.db import connection

from earlyhelp.journey.views import TOO_MANY_REQUESTS
from earlyhelp.partners.services import partner_client_create
from tests.factories import TEST_PASSWORD, AgencyFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# Database 0 is the default one people use by hand; this test keeps to its own, under its own prefix.
REDIS_URL = "redis://127.0.0.1:6379/9"
PUBLIC_REQUESTS_PER_HOUR = 2
STARTUP_SECONDS = 90
REQUEST_SECONDS = 20
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Server(NamedTuple):
    url: str
    process: subprocess.Popen
    log: Path


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(environment: dict[str, str], log: Path) -> Server:
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "python:config.gunicorn"],
            cwd=ROOT,
            env=environment | {"WEB_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn stopped at start:\n{server.log.read_text()[-3000:]}")
        try:
            if requests.get(f"{server.url}/healthz", timeout=REQUEST_SECONDS).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS} seconds:\n{server.log.read_text()[-3000:]}")


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_setup) -> Iterator[tuple[Server, Server]]:
    # Once for the module: each test makes its own records and its own cache keys (a new browser,
    # a new partner client), and the servers see every test's records as soon as they are committed.
    if not _redis_answers():
        reason = f"needs Redis at {REDIS_URL} for the shared cache: none answers"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run this test (.ci/run starts redis-server)")
        pytest.skip(reason)
    prefix = f"two-processes-{uuid.uuid4().hex}"
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "EARLY_HELP_PUBLIC_REQUESTS_PER_HOUR": str(PUBLIC_REQUESTS_PER_HOUR),
        "EARLY_HELP_PUBLIC_REQUESTS_PER_ADDRESS_PER_HOUR": str(PUBLIC_REQUESTS_PER_HOUR),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
    }
    started: list[Server] = []
    try:
        for name in ("first", "second"):
            started.append(_start(environment, tmp_path_factory.mktemp("gunicorn") / f"{name}.log"))
        for server in started:
            _wait_until_up(server)
        yield started[0], started[1]
    finally:
        for server in started:
            _stop(server)
        import redis

        store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)


def _csrf_token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=REQUEST_SECONDS)
    assert page.status_code == 200
    return CSRF_FIELD.search(page.text).group(1)


def test_a_session_made_on_one_server_is_valid_on_the_other(servers):
    first, second = servers
    user = UserFactory()
    browser = requests.Session()
    token = _csrf_token(browser, f"{first.url}/accounts/sign-in/")
    signed_in = browser.post(
        f"{first.url}/accounts/sign-in/",
        data={"csrfmiddlewaretoken": token, "username": user.username, "password": TEST_PASSWORD},
        allow_redirects=False,
        timeout=REQUEST_SECONDS,
    )
    assert signed_in.status_code == 302
    assert "/accounts/sign-in/" not in signed_in.headers["Location"]

    stranger = requests.get(f"{second.url}/", allow_redirects=False, timeout=REQUEST_SECONDS)
    assert stranger.status_code == 302
    assert "/accounts/sign-in/" in stranger.headers["Location"]
    dashboard = browser.get(f"{second.url}/", allow_redirects=False, timeout=REQUEST_SECONDS)
    assert dashboard.status_code == 200


def test_the_public_forms_limit_per_address_counts_requests_to_both_servers(servers):
    first, second = servers
    browser = requests.Session()

    def ask(server: Server) -> requests.Response:
        token = _csrf_token(browser, f"{server.url}/help/request/")
        return browser.post(
            f"{server.url}/help/request/",
            data={
                "csrfmiddlewaretoken": token,
                "requester_name": "A parent",
                "requester_email": "parent@example.org",
                "child_given_name": "Sam",
                "child_family_name": "Example",
                "concerns": "We would like some help with school mornings.",
                "family_consents": "on",
            },
            allow_redirects=False,
            timeout=REQUEST_SECONDS,
        )

    taken = [ask(server) for server in (first, first)]
    assert [response.status_code for response in taken] == [302] * PUBLIC_REQUESTS_PER_HOUR
    refused = ask(second)
    assert refused.status_code == 200
    assert TOO_MANY_REQUESTS.format(phone=settings.EARLY_HELP.council_phone) in refused.text


def test_a_partner_clients_throttle_counts_calls_to_both_servers(servers):
    first, second = servers
    _, token = partner_client_create(
        actor=None, name="School MIS", agency=AgencyFactory(), scopes=["people:read"], rate="2/minute"
    )

    def call(server: Server) -> int:
        return requests.get(
            f"{server.url}/api/people/?name=smith",
            headers={"Authorization": f"Bearer {token}"},
            timeout=REQUEST_SECONDS,
        ).status_code

    assert [call(first), call(second), call(first), call(second)] == [200, 200, 429, 429]
