"""What every benchmark shares: the figure it prints, timing, percentiles, the HTTP server."""

import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None
    # "lower" when smaller is better (latencies), "higher" when larger is.
    better: str = "lower"

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value < self.target if self.better == "lower" else self.value >= self.target

    def json(self) -> str:
        data = asdict(self)
        data.pop("better")
        data["value"] = round(self.value, 2)
        data["ok"] = self.ok
        return json.dumps(data)


def sizes_from_env(defaults: dict[str, int]) -> dict[str, int]:
    """The benchmark's sizes, each overridable by BENCH_<KEY> (e.g. BENCH_PERSONS=50000)."""
    return {key: int(os.environ.get(f"BENCH_{key.upper()}", value)) for key, value in defaults.items()}


def p95(samples_ms: list[float]) -> float:
    return statistics.quantiles(samples_ms, n=100, method="inclusive")[94]


def time_ms(call: Callable[[], object], repeat: int, warmup: int = 5) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # request lines carry search terms: keep them out
        pass


class _ThreadingServer(WSGIServer):
    daemon_threads = True


@contextmanager
def serve_http() -> Iterator[str]:
    """Serve the Django application on a free loopback port for the duration; yields its base URL."""
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
