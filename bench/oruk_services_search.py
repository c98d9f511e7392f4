"""p95 of the Open Referral UK services search, words and a taxonomy term together, over HTTP."""

import json
import random
import urllib.parse
import urllib.request

from bench._directory import ensure_directory
from bench.harness import Figure, p95, serve_http, time_ms
from earlyhelp.directory.needs import need_term_id

NAME = "oruk_services_search"
DEFAULTS = {"services": 10_000, "requests": 300}

# What another council's or a practitioner's system would ask: a word or two within a need.
QUERIES = [
    ("group", "parenting"),
    ("course", "parenting"),
    ("play", "early-years"),
    ("advice", "money-and-debt"),
    ("food", "money-and-debt"),
    ("support", "domestic-abuse"),
    ("youth club", "anti-social-behaviour-and-youth-crime"),
    ("school", "school-attendance"),
    ("counselling", "family-relationships"),
    ("work", "employment-and-skills"),
    ("home", "housing"),
    ("drug alcohol", "substance-misuse"),
    ("wellbeing", "emotional-and-mental-health"),
    ("sensory play", "special-educational-needs-and-disability"),
    ("northgate", "early-years"),
]


def run(sizes: dict[str, int]):
    count = ensure_directory(sizes["services"])
    rng = random.Random(3)
    answered = []

    with serve_http() as base_url:
        urls = iter(
            f"{base_url}/oruk/services?"
            + urllib.parse.urlencode({"search": words, "taxonomy_term_id": need_term_id(need)})
            for words, need in (rng.choice(QUERIES) for _ in range(sizes["requests"] + 10))
        )

        def fetch() -> None:
            with urllib.request.urlopen(next(urls), timeout=10) as response:  # noqa: S310 - loopback URL built above
                body = json.load(response)
            if response.status != 200 or "contents" not in body:
                raise RuntimeError(f"/oruk/services answered {response.status}")
            answered.append(body["total_items"])

        samples = time_ms(fetch, sizes["requests"])
    yield Figure(name=NAME, value=p95(samples), unit="ms", target=50)
    yield Figure(name=f"{NAME}_median", value=sorted(samples)[len(samples) // 2], unit="ms", target=None)
    yield Figure(name=f"{NAME}_services", value=count, unit="services", target=None)
    # How many services a query finds, on average: the searches are real ones, not empty answers.
    yield Figure(name=f"{NAME}_mean_matches", value=sum(answered) / len(answered), unit="services", target=None)
