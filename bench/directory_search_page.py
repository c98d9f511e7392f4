"""p95 of the public "find help" search page over HTTP: need, child's age, words and postcode."""

import random
import urllib.parse
import urllib.request

from bench._directory import ensure_directory
from bench.harness import Figure, p95, serve_http, time_ms
from earlyhelp.directory.models import PostcodeCentroid
from earlyhelp.directory.needs import NEEDS

NAME = "directory_search_page"
DEFAULTS = {"services": 10_000, "requests": 300}
WORDS = ["group", "advice", "play", "support", "course", "club", "counselling", "free"]


def _searches(rng: random.Random, count: int) -> list[dict[str, str]]:
    """What families search for: a need with a child's age, often a postcode, sometimes a word."""
    postcodes = list(PostcodeCentroid.objects.values_list("postcode", flat=True)[:2000])
    searches = []
    for _ in range(count):
        query = {"need": rng.choice(NEEDS)[0], "age": str(rng.randrange(0, 18))}
        if postcodes and rng.random() < 0.6:
            query["postcode"] = rng.choice(postcodes)
        if rng.random() < 0.3:
            query["q"] = rng.choice(WORDS)
        searches.append(query)
    return searches


def run(sizes: dict[str, int]):
    count = ensure_directory(sizes["services"])
    rng = random.Random(9)
    searches = iter(_searches(rng, sizes["requests"] + 10))

    with serve_http() as base_url:

        def fetch() -> None:
            url = f"{base_url}/find-help/services/?" + urllib.parse.urlencode(next(searches))
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback URL built above
                page = response.read()
            if response.status != 200 or b"found</h2>" not in page:
                raise RuntimeError(f"the search page answered {response.status} without results")

        samples = time_ms(fetch, sizes["requests"])
    yield Figure(name=NAME, value=p95(samples), unit="ms", target=100)
    yield Figure(name=f"{NAME}_median", value=sorted(samples)[len(samples) // 2], unit="ms", target=None)
    yield Figure(name=f"{NAME}_services", value=count, unit="services", target=None)
