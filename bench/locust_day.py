"""A day of load: Locust users against the app under gunicorn on PostgreSQL, p95 for reads and writes.

Who does what (bench/locustfile.py): lead professionals search the register, open their families,
read the chronology and their work lists, add case notes and save assessment sections; Early Help
Team coordinators read the request and step-up lists and open families; managers read the
insights; the public searches the directory. Each user pauses between steps for BENCH_PAUSE seconds on
average, from half of it to half as much again (default 2: one to three seconds, far brisker than anyone
reading a family's page; BENCH_PAUSE=10 is closer to a working day's pace).

The data is the synthetic borough (`seed_demo`, BENCH_FAMILIES families) when the benchmark database
has none yet. Users are signed in by a session made here with the second factor passed, as the
verify page would (the sign-in flow itself is not what is being measured, and the lockout would
count 50 sign-ins from one address as an attack). The server shares one cache between its workers, as in
production: Redis on loopback (BENCH_REDIS_URL names another). Locust runs in its own environment,
var/load-venv (requirements/load.txt), headless, bounded in time, against loopback only.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client

from bench.harness import Figure
from earlyhelp.accounts.models import Role, User
from earlyhelp.assessments.models import EDITABLE_STATUSES, AssessmentVersion
from earlyhelp.families.models import Involvement, InvolvementRole, Person

NAME = "locust_day"
DEFAULTS = {"families": 2_000, "users": 50, "seconds": 120, "workers": 4, "pause": 2}
ROOT = Path(__file__).resolve().parent.parent
LOCUST = ROOT / "var" / "load-venv" / "bin" / "locust"


def _signed_in_cookie(user: User) -> str:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client.cookies["sessionid"].value


def _plan(users: int) -> dict:
    """Who the simulated users are and what each may open: read from the database, never guessed.
    A large authority has thousands of lead professionals; the day signs in as many as it has users."""
    families_led: dict[int, list[str]] = defaultdict(list)
    leads = Involvement.objects.filter(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True)
    for practitioner_id, household_id in leads.values_list("practitioner_id", "household_id"):
        if practitioner_id:
            families_led[practitioner_id].append(str(household_id))
    drafts: dict[str, list[list]] = defaultdict(list)
    for household_id, number in AssessmentVersion.objects.filter(status__in=EDITABLE_STATUSES).values_list(
        "assessment__household_id", "number"
    ):
        drafts[str(household_id)].append([str(household_id), number])
    practitioners = []
    for user in User.objects.filter(pk__in=families_led, is_active=True).order_by("pk")[:users]:
        households = families_led[user.pk]
        practitioners.append(
            {
                "cookie": _signed_in_cookie(user),
                "families": households,
                "drafts": [draft for household in households for draft in drafts.get(household, [])],
            }
        )
    if not practitioners:
        raise RuntimeError("no lead professional in the benchmark database: the scenario needs the demo borough")
    by_role = {
        role: [{"cookie": _signed_in_cookie(user)} for user in User.objects.filter(role=role, is_active=True)[:5]]
        for role in (Role.COORDINATOR, Role.MANAGER)
    }
    every_family = [family for practitioner in practitioners for family in practitioner["families"]]
    surnames = list(Person.objects.values_list("family_name", flat=True).distinct()[:500])
    return {
        "practitioners": practitioners,
        "coordinators": by_role[Role.COORDINATOR],
        "managers": by_role[Role.MANAGER],
        "families": every_family,
        "surnames": surnames,
    }


def _redis_url() -> str | None:
    """BENCH_REDIS_URL, else the Redis on loopback when one answers there."""
    if url := os.environ.get("BENCH_REDIS_URL"):
        return url
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/3"
    except OSError:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with status {server.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - loopback URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url}/healthz within {seconds:.0f} s")


class _LockSampler:
    """Samples PostgreSQL's sessions every few milliseconds while the day runs: how many of the
    app's sessions are waiting for an advisory lock (the audit chain's, the only advisory lock the
    app takes on a request) and how many are busy at all. By Little's law the mean number waiting,
    divided by the mean number of requests in flight (requests per second times mean response time),
    is the share of the day's response time spent queueing for the audit chain."""

    INTERVAL = 0.01

    def __init__(self) -> None:
        self.samples = 0
        self.waiting = 0
        self.busy = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lock-sampler", daemon=True)

    def _run(self) -> None:
        import psycopg

        config = settings.DATABASES["default"]
        dsn: dict[str, Any] = {
            "host": config["HOST"] or "127.0.0.1",
            "port": config["PORT"] or 5432,
            "user": config["USER"],
        }
        if config["PASSWORD"]:
            dsn["password"] = config["PASSWORD"]
        with psycopg.connect(**dsn, dbname=config["NAME"], autocommit=True) as sampler:
            query = (
                "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'),"
                " count(*) FILTER (WHERE state = 'active')"
                " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            while not self._stop.wait(self.INTERVAL):
                row = sampler.execute(query).fetchone()
                if row is None:
                    continue
                self.samples += 1
                self.waiting += row[0]
                self.busy += row[1]

    def __enter__(self) -> "_LockSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def mean_waiting(self) -> float:
        return self.waiting / self.samples if self.samples else 0.0

    @property
    def mean_busy(self) -> float:
        return self.busy / self.samples if self.samples else 0.0


def _percentile_ms(row: dict, column: str) -> float:
    value = row.get(column, "N/A")
    return float(value) if value not in ("", "N/A") else 0.0


def run(sizes: dict[str, int]):
    if not LOCUST.exists():
        raise RuntimeError(f"{LOCUST} is missing: `make bench` installs requirements/load.txt there")
    if not User.objects.filter(role=Role.COORDINATOR).exists():
        call_command("seed_demo", families=sizes["families"], verbosity=0)
    plan = _plan(sizes["users"]) | {"users": sizes["users"]}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(sizes["workers"]),
    }
    shared_cache = _redis_url()
    if shared_cache:
        # As in production: one cache for every worker (docs/deploy.md), under a prefix of this run's own.
        environment |= {"REDIS_URL": shared_cache, "CACHE_KEY_PREFIX": f"locust-day-{port}"}
    else:
        print("No Redis on 127.0.0.1:6379: each worker keeps its own cache, unlike production", file=sys.stderr)
    with tempfile.TemporaryDirectory() as work:
        plan_file = Path(work) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "python:config.gunicorn"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(url, server)
            connections.close_all()
            started = time.monotonic()
            with _LockSampler() as sampler:
                subprocess.run(  # noqa: S603 - the pinned Locust in its own environment, loopback only
                    [
                        str(LOCUST),
                        "-f",
                        str(ROOT / "bench" / "locustfile.py"),
                        "--headless",
                        "--host",
                        url,
                        "--users",
                        str(sizes["users"]),
                        "--spawn-rate",
                        str(max(1, sizes["users"] // 10)),
                        "--run-time",
                        f"{sizes['seconds']}s",
                        "--csv",
                        str(Path(work) / "day"),
                        "--only-summary",
                        "--loglevel",
                        "ERROR",
                    ],
                    cwd=ROOT,
                    env=os.environ | {"LOAD_PLAN": str(plan_file), "LOAD_PAUSE": str(sizes["pause"])},
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        with (Path(work) / "day_stats.csv").open(newline="") as stats:
            rows = list(csv.DictReader(stats))
    yield from _figures(rows, elapsed, sampler)


def _figures(rows: list[dict], elapsed: float, sampler: "_LockSampler"):
    """Locust's summary as figures: p95 of reads and of writes (the worst request kind of each), errors."""
    total = next(row for row in rows if row["Name"] == "Aggregated")
    kinds = [row for row in rows if row["Name"] != "Aggregated"]
    reads = [row for row in kinds if row["Name"].startswith("read:")]
    writes = [row for row in kinds if row["Name"].startswith("write:")]
    yield Figure(name=f"{NAME}_errors", value=float(total["Failure Count"]), unit="requests", target=1)
    yield Figure(name=f"{NAME}_requests", value=float(total["Request Count"]), unit="requests", target=None)
    yield Figure(name=f"{NAME}_rps", value=float(total["Requests/s"]), unit="requests/s", target=None)
    yield Figure(name=f"{NAME}_seconds", value=elapsed, unit="s", target=None)
    # Little's law: requests in flight = throughput x mean response time.
    in_flight = float(total["Requests/s"]) * float(total["Average Response Time"]) / 1000
    yield Figure(name=f"{NAME}_in_flight", value=in_flight, unit="requests", target=None)
    yield Figure(name=f"{NAME}_db_sessions_busy", value=sampler.mean_busy, unit="sessions", target=None)
    yield Figure(name=f"{NAME}_audit_lock_waiting", value=sampler.mean_waiting, unit="sessions", target=None)
    share = 100 * sampler.mean_waiting / in_flight if in_flight else 0.0
    yield Figure(name=f"{NAME}_audit_lock_share", value=share, unit="% of response time", target=None)
    if reads:
        yield Figure(name=f"{NAME}_read_p95", value=max(_percentile_ms(r, "95%") for r in reads), unit="ms", target=200)
    if writes:
        yield Figure(
            name=f"{NAME}_write_p95", value=max(_percentile_ms(r, "95%") for r in writes), unit="ms", target=300
        )
    for row in kinds:
        slug = row["Name"].replace(":", "").replace(" ", "_")
        yield Figure(name=f"{NAME}_{slug}_p95", value=_percentile_ms(row, "95%"), unit="ms", target=None)
