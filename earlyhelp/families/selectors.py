"""Reads of the family register shared by pages and the API. Searches are narrowed to what
the user may see and audited; the "is this child known?" answer is for any practitioner."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import Overlap
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Func, Prefetch, Q, QuerySet, TextField, Value
from rapidfuzz import fuzz

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules
from .access import Scope, scope_for, visible_persons
from .models import Household, Involvement, InvolvementRole, Membership, Person, PersonMerge, PersonName

SEARCH_NEEDS_CRITERIA = "Enter a name, date of birth, NHS number, UPN or postcode to search"
SEARCH_NAME_TOO_SHORT = "Enter at least 2 letters of the name"
KNOWN_CHECK_NEEDS = "Enter the child's name and date of birth, or their NHS number"

# Trigram similarity a whole name must reach to match where no name matches word by word (the
# fallback, decisions/0008). pg_trgm's default, 0.3, lets the commonest trigrams (" sm", "son")
# through for hundreds of thousands of rows (bench/search_person.py measures speed and recall).
NAME_SIMILARITY = 0.4
# rapidfuzz score (0 to 100) that stands in for the trigram threshold where PostgreSQL is absent.
NAME_SCORE = 70
# How alike a name must be for "is this child known?" to say yes alongside a matching birth date.
KNOWN_NAME_SCORE = 80
_WORDS = ArrayField(TextField())


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def errors(self) -> dict[str, str]:
        errors = {}
        if not any([self.name.strip(), self.date_of_birth, self.nhs_number, self.upn, self.postcode]):
            errors["name"] = SEARCH_NEEDS_CRITERIA
        elif self.name.strip() and len(rules.name_search_key(self.name)) < 2:
            errors["name"] = SEARCH_NAME_TOO_SHORT
        if self.nhs_number and not rules.nhs_number_is_valid(self.nhs_number):
            errors["nhs_number"] = rules.NHS_NUMBER_INVALID
        if self.upn and not rules.upn_is_valid(self.upn):
            errors["upn"] = rules.UPN_INVALID
        if self.postcode and not rules.postcode_is_valid(self.postcode):
            errors["postcode"] = rules.POSTCODE_INVALID
        return errors


def _filtered(queryset: QuerySet[Person], query: PersonQuery) -> QuerySet[Person]:
    if query.date_of_birth:
        queryset = queryset.filter(date_of_birth=query.date_of_birth)
    if query.nhs_number:
        queryset = queryset.filter(nhs_number=rules.normalise_nhs_number(query.nhs_number))
    if query.upn:
        queryset = queryset.filter(upn=rules.normalise_upn(query.upn))
    if query.postcode:
        queryset = queryset.filter(postcode=rules.normalise_postcode(query.postcode))
    return queryset


def _name_score(query: str, name: str, **kwargs: Any) -> float:
    """Like trigram similarity, forgive word order and let one name alone ("Smith") find the
    people who have it: the better of rapidfuzz's token sort and token set ratios."""
    return max(fuzz.token_sort_ratio(query, name, **kwargs), fuzz.token_set_ratio(query, name, **kwargs))


def _register_words(typed: list[str]) -> list[set[str]]:
    """For each typed word, the words of names on the register it may stand for: itself, or a word one
    slip away (rules.name_word_matches), found through the dictionary of name words (migration 0005)."""
    variants = {
        variant
        for word in typed
        for variant in (rules.name_word_variants(word) if rules.name_word_slips_allowed(word) else {word})
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT word FROM families_nameword_variant WHERE variant = ANY(%s)", [sorted(variants)]
        )
        known = [word for (word,) in cursor.fetchall()]
    return [{word for word in known if rules.name_word_matches(typed_word, word)} for typed_word in typed]


def _has_a_word(words: set[str]) -> Overlap:
    """Search keys with one of these words, through the GIN index on the keys' words (migration 0005)."""
    name_words = Func(F("search_name"), Value(" "), function="string_to_array", output_field=_WORDS)
    return Overlap(name_words, Value(sorted(words), output_field=_WORDS))


def _ranked(
    candidates: QuerySet[Person], key: str, limit: int, matching: list[Any], *, whole_register: bool
) -> dict[uuid.UUID, float]:
    """The `limit` people whose current or previous search key meets every condition in `matching`,
    each with the trigram similarity of their closer name to `key`."""
    previous_names = PersonName.objects.filter(*matching)
    if not whole_register:
        # A narrowed search (a practitioner's families, a birth date) joins to its few candidates
        # first, so a common old name cannot crowd the user's own people out of the top matches.
        previous_names = previous_names.filter(person__in=candidates)
    previous = (
        previous_names.annotate(score=TrigramSimilarity("search_name", key))
        .order_by("-score")
        .values_list("person_id", "score")[:limit]
    )
    current = (
        candidates.filter(*matching)
        .annotate(score=TrigramSimilarity("search_name", key))
        .order_by("-score")
        .values_list("id", "score")[:limit]
    )
    scored: dict[uuid.UUID, float] = {}
    for person_id, score in previous.union(current, all=True):
        scored[person_id] = max(score, scored.get(person_id, 0.0))
    return scored


def _name_matches(candidates: QuerySet[Person], name: str, limit: int, *, whole_register: bool) -> list[uuid.UUID]:
    """Ids of people whose current or previous name is like `name`, best first.

    PostgreSQL: word by word (decisions/0008). Each typed word stands for itself or the register's
    words one slip away, and a name matches when it has one of those for every typed word, in any
    order; the matches are ranked by trigram similarity of the whole name. Where that finds no one
    (a word with two slips, a word no name has), the whole name's trigram similarity decides, as
    pg_trgm's `%` through the trigram indexes (decisions/0002).
    SQLite (the embedded demo): each candidate name in turn, matching word by word (the same rule) or
    by rapidfuzz's score, ranked by that score.
    `whole_register` says the candidates are every person, so previous names need no narrowing
    (a join to 200,000 people would cost more than the search).
    """
    key = rules.name_search_key(name)
    if connection.vendor == "postgresql":
        words = _register_words(key.split())
        matching = [_has_a_word(alternatives) for alternatives in words]
        scored = _ranked(candidates, key, limit, matching, whole_register=whole_register) if all(words) else {}
        if not scored:
            # The planner prices a trigram comparison like an equality test, so on a few thousand rows
            # it picks a sequential scan that computes every similarity (20 ms on 8,000 previous names);
            # the trigram index is always cheaper here, so it is preferred for these queries.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, true),"
                    " set_config('enable_seqscan', 'off', true)",
                    [str(NAME_SIMILARITY)],
                )
            scored = _ranked(
                candidates, key, limit, [Q(search_name__trigram_similar=key)], whole_register=whole_register
            )
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = on")
    else:
        names = list(candidates.values_list("id", "search_name"))
        names += list(PersonName.objects.filter(person__in=candidates).values_list("person_id", "search_name"))
        scored = {}
        for person_id, search_name in names:
            score = _name_score(key, search_name)
            if score >= NAME_SCORE or rules.name_has_words(key, search_name):
                scored[person_id] = max(score / 100, scored.get(person_id, 0.0))
    return [person_id for person_id, _ in sorted(scored.items(), key=lambda item: -item[1])[:limit]]


def person_search(*, user: User, query: PersonQuery) -> list[Person]:
    """People the user may see who match every criterion given, closest name first; audited."""
    errors = query.errors()
    if errors:
        raise ValidationError(errors)
    limit = settings.EARLY_HELP.search_result_limit
    with transaction.atomic():
        # A duplicate merged into another record is found as that record (by its name among the previous names).
        candidates = _filtered(visible_persons(user).filter(merged_into__isnull=True), query)
        if query.name.strip():
            whole_register = scope_for(user) in (Scope.CASELOAD, Scope.AUDIT_ONLY) and not any(
                [query.date_of_birth, query.nhs_number, query.upn, query.postcode]
            )
            ids = _name_matches(candidates, query.name, limit, whole_register=whole_register)
            by_id = {person.id: person for person in Person.objects.filter(id__in=ids, merged_into__isnull=True)}
            results = [by_id[person_id] for person_id in ids if person_id in by_id]
        else:
            results = list(candidates.order_by("family_name", "given_name")[:limit])
        audit_record(
            actor=user,
            action=Action.SEARCH,
            object_type="person",
            details={
                "criteria": sorted(
                    name for name in ("name", "date_of_birth", "nhs_number", "upn", "postcode") if getattr(query, name)
                ),
                "results": [str(person.id) for person in results],
            },
        )
    return results


@dataclass(frozen=True)
class KnownAnswer:
    """All a practitioner is told: whether a record exists, whether early help is open, whom to ask."""

    known: bool
    early_help_open: bool = False
    contacts: list[str] = field(default_factory=list)


def _known_matches(*, given_name: str, family_name: str, date_of_birth: date | None, nhs_number: str) -> list[Person]:
    if nhs_number:
        return list(Person.objects.filter(nhs_number=rules.normalise_nhs_number(nhs_number)))
    key = rules.name_search_key(given_name, family_name)
    same_birthday = Person.objects.filter(date_of_birth=date_of_birth, merged_into__isnull=True)
    return [
        person
        for person in same_birthday
        if fuzz.token_sort_ratio(key, person.search_name) >= KNOWN_NAME_SCORE
        or any(fuzz.token_sort_ratio(key, old.search_name) >= KNOWN_NAME_SCORE for old in person.previous_names.all())
    ]


def person_known_check(
    *, user: User, given_name: str = "", family_name: str = "", date_of_birth: date | None = None, nhs_number: str = ""
) -> KnownAnswer:
    """Whether the register knows this child, over the whole register; the question is audited."""
    nhs_number = nhs_number.strip()
    if nhs_number and not rules.nhs_number_is_valid(nhs_number):
        raise ValidationError({"nhs_number": rules.NHS_NUMBER_INVALID})
    if not nhs_number and not (given_name.strip() and family_name.strip() and date_of_birth):
        raise ValidationError({"given_name": KNOWN_CHECK_NEEDS})
    with transaction.atomic():
        matches = _known_matches(
            given_name=given_name, family_name=family_name, date_of_birth=date_of_birth, nhs_number=nhs_number
        )
        households = current_household_ids(matches)
        involvements = (
            Involvement.objects.filter(household_id__in=households, ended_on__isnull=True)
            .select_related("practitioner__agency", "team__agency")
            .order_by("role")
        )
        leads = [inv for inv in involvements if inv.role == InvolvementRole.LEAD_PROFESSIONAL]
        holders = [inv for inv in involvements if inv.role == InvolvementRole.CASE_HOLDER]
        contacts = [_contact(inv) for inv in leads + holders]
        if matches and not contacts:
            contacts = [settings.EARLY_HELP.front_door_contact]
        audited: list[Person | None] = [*matches] or [None]  # a check that finds no one is audited too
        for person in audited:
            audit_record(
                actor=user,
                action=Action.KNOWN_CHECK,
                object_type="person",
                object_id=person.id if person else "",
                person_id=person.id if person else None,
                details={"known": bool(matches), "by": "nhs_number" if nhs_number else "name_and_date_of_birth"},
            )
    return KnownAnswer(known=bool(matches), early_help_open=bool(leads), contacts=list(dict.fromkeys(contacts)))


def _contact(involvement: Involvement) -> str:
    if involvement.practitioner is not None:
        return involvement.practitioner.contact_line
    team = involvement.team
    if team is None:  # the database requires a practitioner or a team on every involvement
        raise ValueError("an involvement has a practitioner or a team")
    reach = team.phone or team.email
    return f"{team.name}, {team.agency.name}" + (f", {reach}" if reach else "")


def current_members(household: Household) -> QuerySet[Membership]:
    """The people who live in the household now (their membership has not ended)."""
    return Membership.objects.filter(
        household=household, ended_on__isnull=True, person__merged_into__isnull=True
    ).select_related("person")


def current_people(household: Household) -> QuerySet[Person]:
    """The people who live in the household now: whom a consent, a plan's action or a meeting may name."""
    return Person.objects.filter(
        memberships__household=household, memberships__ended_on__isnull=True, merged_into__isnull=True
    )


def current_household_ids(people) -> QuerySet:
    """The ids of the households these people live in now."""
    return Membership.objects.filter(person__in=people, ended_on__isnull=True).values("household_id")


def household_members(household: Household) -> QuerySet[Membership]:
    """Everyone who lives or lived in the household, current members first (a duplicate merged into
    another record is left out: its survivor stands for it)."""
    return (
        household.memberships.filter(person__merged_into__isnull=True)
        .select_related("person")
        .order_by("ended_on", "role", "person__date_of_birth")
    )


def household_involvements(household: Household) -> QuerySet[Involvement]:
    """Who is and was involved with the household: the "who is involved" panel."""
    return household.involvements.select_related("agency", "team", "practitioner").order_by("ended_on", "-started_on")


def person_households(person: Person) -> QuerySet[Membership]:
    """The households a person lives or lived in, most recent first."""
    return person.memberships.select_related("household").order_by("ended_on", "-started_on")


def person_household_companions(person: Person) -> QuerySet[Person]:
    """People who live or lived in any household with this person: whom they may be related to."""
    households = person.memberships.values("household_id")
    return (
        Person.objects.filter(memberships__household_id__in=households, merged_into__isnull=True)
        .exclude(id=person.id)
        .distinct()
    )


def person_relationships(person: Person) -> QuerySet:
    return person.relationships.select_related("relative").prefetch_related(
        Prefetch("relative__memberships", queryset=Membership.objects.filter(ended_on__isnull=True))
    )


def looks_like_nhs_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", rules.normalise_nhs_number(text)))


def household_involvements_for_user(user: User) -> QuerySet[Involvement]:
    """The user's own current involvements with families: their work list."""
    return (
        Involvement.objects.filter(practitioner=user, ended_on__isnull=True)
        .select_related("household")
        .order_by("household__name")
    )


def person_merges(person: Person) -> QuerySet[PersonMerge]:
    """The merges this person's record took part in, as the record kept or the duplicate, latest first."""
    return (
        PersonMerge.objects.filter(Q(survivor=person) | Q(duplicate=person))
        .select_related("survivor", "duplicate", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )


def merge_moves(merge: PersonMerge) -> list[tuple[str, int, int]]:
    """What a merge moved and parked, by kind of record: (kind, moved, parked)."""
    counts: dict[str, list[int]] = {}
    for label, field_name, parked in merge.moves.values_list("model_label", "field_name", "parked"):
        counts.setdefault(_kind_name(label, field_name), [0, 0])[1 if parked else 0] += 1
    return [(kind, moved, parked) for kind, (moved, parked) in sorted(counts.items())]


def _kind_name(label: str, field_name: str) -> str:
    try:
        model = apps.get_model(label)
    except LookupError:
        return label
    field = model._meta.get_field(field_name)
    return f"{str(model._meta.verbose_name_plural).capitalize()} ({field.verbose_name})"


@dataclass(frozen=True)
class SideBySide:
    label: str
    survivor: str
    duplicate: str

    @property
    def differs(self) -> bool:
        return bool(self.survivor and self.duplicate and self.survivor != self.duplicate)


def _birth(person: Person) -> str:
    if person.date_of_birth:
        return person.date_of_birth.strftime("%-d %B %Y")
    if person.expected_date_of_birth:
        return f"Unborn, expected {person.expected_date_of_birth.strftime('%-d %B %Y')}"
    return ""


def _address(person: Person) -> str:
    return ", ".join(
        part for part in (person.address_line_1, person.address_line_2, person.town, person.postcode) if part
    )


def persons_side_by_side(survivor: Person, duplicate: Person) -> list[SideBySide]:
    """The two records' details, line by line, for deciding whether they are one person."""
    lines: list[tuple[str, Any]] = [
        ("Name", lambda person: person.full_name),
        ("Date of birth", _birth),
        ("Sex", lambda person: person.get_sex_display() if person.sex != "U" else ""),
        ("NHS number", lambda person: person.nhs_number or ""),
        ("Unique Pupil Number", lambda person: person.upn or ""),
        ("Address", _address),
        ("Phone", lambda person: person.phone),
        ("Email", lambda person: person.email),
        ("Previous names", lambda person: ", ".join(str(name) for name in person.previous_names.all())),
        (
            "Households",
            lambda person: ", ".join(
                f"{membership.household.name}{'' if membership.ended_on is None else ' (before)'}"
                for membership in person.memberships.select_related("household").order_by("ended_on", "-started_on")
            ),
        ),
    ]
    return [SideBySide(label, read(survivor), read(duplicate)) for label, read in lines]


# Merges are followed this far, so a record merged into one that was later merged in turn still leads somewhere.
MERGE_CHAIN_LIMIT = 10


def merge_survivor_seen_by(user: User, person_id: uuid.UUID) -> uuid.UUID | None:
    """The id of the record a merged duplicate now stands in, where the user may open it; else None (and
    the duplicate itself is opened, or refused, through the choke point as any record is). Reads ids only."""
    survivor: uuid.UUID | None = None
    current = person_id
    for _ in range(MERGE_CHAIN_LIMIT):
        following = (
            Person.objects.filter(pk=current, merged_into__isnull=False)
            .values_list("merged_into_id", flat=True)
            .first()
        )
        if following is None:
            break
        survivor = current = following
    if survivor is None or not visible_persons(user).filter(pk=survivor).exists():
        return None
    return survivor
