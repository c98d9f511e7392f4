"""Every indicator (K01 to K18) for one year, as `manage.py indicators` computes them, on PostgreSQL: as of
the year's last day (K14 has no closure whose twelve months are over), and as of a year later
(`indicators_year_followed`: K14 follows every closure of the year, as a dashboard viewed then does).

The history is built by bench/_history.py: BENCH_CHILDREN children (300,000 give about 3 million events;
the default builds in a minute or two on a small machine). The figure is the median of a few runs.
"""

import json
import statistics
import sys
import time

from bench._history import MEASURED_YEAR, ensure_history
from bench.data import ensure_register
from bench.harness import Figure
from earlyhelp.measures.selectors import INDICATORS, Period, indicators

NAME = "indicators_year"
DEFAULTS = {"children": 30_000, "runs": 3}


def run(sizes: dict[str, int]):
    ensure_register(500)  # the partnership, its localities and staff
    size = ensure_history(sizes["children"])
    print(f"History: {json.dumps(size)}", file=sys.stderr)
    period = Period(start=MEASURED_YEAR[0], end=MEASURED_YEAR[1])
    indicators(period, as_of=MEASURED_YEAR[1])  # warm the caches once
    samples = []
    for _ in range(sizes["runs"]):
        started = time.perf_counter()
        indicators(period, as_of=MEASURED_YEAR[1])
        samples.append(time.perf_counter() - started)
    # As of a year after the year's end every closure's twelve months are over, so K14 follows them all: the
    # most work it does, and what the dashboard does once a year has passed (it follows up to today).
    later = MEASURED_YEAR[1].replace(year=MEASURED_YEAR[1].year + 1)
    followed = []
    for _ in range(sizes["runs"]):
        started = time.perf_counter()
        indicators(period, as_of=later)
        followed.append(time.perf_counter() - started)
    slowest = {}
    for key, compute in INDICATORS.items():
        started = time.perf_counter()
        compute(period, as_of=MEASURED_YEAR[1]) if key == "K14" else compute(period)
        slowest[key] = round(time.perf_counter() - started, 3)
    # Each alone, in turn: run together, indicators share one grouping of each table (docs/indicators.md,
    # "Performance"), so K06 and K10 alone group the referrals, assessments and single assessments again, and
    # the two groups of selectors.AT_ONCE are computed at once on two connections.
    print(f"Seconds per indicator, each run alone: {json.dumps(slowest)}", file=sys.stderr)
    yield Figure(name=NAME, value=statistics.median(samples), unit="s", target=2)
    yield Figure(name=f"{NAME}_followed", value=statistics.median(followed), unit="s", target=2)
    yield Figure(name=f"{NAME}_events", value=size["events"], unit="rows", target=None)
