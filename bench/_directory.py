"""The published directory the directory benchmarks run on: the demo borough's, topped up to size."""

import sys

from django.db import connection

from earlyhelp.demo.directory import build_directory
from earlyhelp.directory.selectors import published_services

SEED = 2014


def ensure_directory(services: int) -> int:
    """At least `services` published services in the benchmark database; returns how many there are."""
    have = published_services().count()
    if have < services * 0.98:
        print(f"Publishing a directory of {services:,} services for the benchmarks…", file=sys.stderr)
        # Building again adds only what is missing; a few listings stay in review, so ask for a few more.
        build_directory(seed=SEED, services=int(services * 1.01) + 10)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    return published_services().count()
