"""p95 of a name search, typos and swapped name order included, over a large register."""

import random
from uuid import UUID

from django.db import transaction

from bench.data import ensure_register, register_coordinator
from bench.harness import Figure, p95, time_ms
from earlyhelp.families.models import Person
from earlyhelp.families.selectors import PersonQuery, person_search

NAME = "search_person"
DEFAULTS = {"persons": 200_000, "queries": 300}


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice("aeiourstn") + word[at + 1 :]


def _queries(rng: random.Random, count: int) -> list[tuple[str, UUID]]:
    """(query, the person it was typed for): names with slips of the keyboard, some in reverse order."""
    ids = list(Person.objects.values_list("id", flat=True)[:50_000])
    people = Person.objects.filter(id__in=rng.sample(ids, count))
    queries = []
    for person in people:
        given, family = person.given_name, person.family_name
        if rng.random() < 0.6:
            family = _typo(rng, family)
        if rng.random() < 0.3:
            given = _typo(rng, given)
        queries.append((f"{family} {given}" if rng.random() < 0.3 else f"{given} {family}", person.id))
    return queries


def run(sizes: dict[str, int]):
    count = ensure_register(sizes["persons"])
    coordinator = register_coordinator()
    rng = random.Random(11)
    queries = iter(_queries(rng, sizes["queries"] + 5) * 2)
    found = []

    def search() -> None:
        text, wanted = next(queries)
        with transaction.atomic():
            results = person_search(user=coordinator, query=PersonQuery(name=text))
        found.append(wanted in {person.id for person in results})

    samples = time_ms(search, sizes["queries"])
    yield Figure(name=NAME, value=p95(samples), unit="ms", target=20)
    yield Figure(name=f"{NAME}_median", value=sorted(samples)[len(samples) // 2], unit="ms", target=None)
    yield Figure(name=f"{NAME}_persons", value=count, unit="persons", target=None)
    # Recall: how often the person a misspelt name was typed for is among the results.
    yield Figure(name=f"{NAME}_recall", value=100 * sum(found) / len(found), unit="%", target=98, better="higher")
