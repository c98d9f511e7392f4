"""A synthetic borough for demonstration and benchmarks, shaped by the strategy's own figures
(PRODUCT.md, "The borough in numbers"): the partnership's agency mix, the age profile of its
children, family sizes, and the share of families known to early help, by referring agency.

Everything is drawn from one seeded random generator, so the same seed builds the same borough.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import (
    Ethnicity,
    Household,
    Involvement,
    InvolvementRole,
    MemberRole,
    Membership,
    Person,
    PersonName,
    Sex,
)
from earlyhelp.families.rules import name_search_key
from earlyhelp.journey import rules as journey_rules
from earlyhelp.journey.models import NeedIndicator
from earlyhelp.journey.services import level_record

from .identifiers import NhsNumberPool, synthetic_upn

T = TypeVar("T")
DEMO_PASSWORD = "early-help-demo"  # noqa: S105 - printed on start; local demo accounts only
LOCALITIES = ["Northgate", "Eastfield", "Riverside", "Southmoor"]
POSTCODE_DISTRICTS = {"Northgate": "L33", "Eastfield": "L34", "Riverside": "L35", "Southmoor": "L36"}

# (name, kind, teams) – the partnership, with the kinds of agency the 2014 strategy names.
AGENCIES = [
    (
        "Borough Council Early Help",
        AgencyKind.LOCAL_AUTHORITY,
        ["Early Help Team", "Family Support North", "Family Support South"],
    ),
    ("Children's Social Care", AgencyKind.SOCIAL_CARE, ["MASH", "Assessment Team"]),
    ("Northgate Primary School", AgencyKind.EDUCATION, ["Pastoral Team"]),
    ("Eastfield Academy", AgencyKind.EDUCATION, ["Inclusion Team"]),
    ("Riverside High School", AgencyKind.EDUCATION, ["Pastoral Team"]),
    ("Community Health Trust", AgencyKind.HEALTH, ["Health Visiting", "School Nursing"]),
    ("Riverside Medical Practice", AgencyKind.HEALTH, ["Practice Team"]),
    ("Borough Police", AgencyKind.POLICE, ["Public Protection Unit"]),
    ("Borough Homes", AgencyKind.HOUSING, ["Tenancy Support"]),
    ("Families Together (charity)", AgencyKind.VOLUNTARY, ["Family Mentoring"]),
]

# Who raises concerns (2014 §4.4): police 31.5 %, health 17.2 %, education 17 %, the rest others.
REFERRING_KINDS = [
    (AgencyKind.POLICE, 0.315),
    (AgencyKind.HEALTH, 0.172),
    (AgencyKind.EDUCATION, 0.17),
    (AgencyKind.LOCAL_AUTHORITY, 0.20),
    (AgencyKind.HOUSING, 0.07),
    (AgencyKind.VOLUNTARY, 0.073),
]
# Share of families known to early help or another service at any time (a demo choice, not a seed figure).
SHARE_KNOWN = 0.12
# The level of need of a family known to services (a demo choice): enough at every level that
# the analyst's table by locality and level shows counts rather than "fewer than 5".
LEVELS_OF_KNOWN_FAMILIES = [(1, 0.15), (2, 0.35), (3, 0.35), (4, 0.15)]
LEVEL_JUDGEMENT = "The practitioner's judgement of the family as a whole"
# Children per family: 1 to 5, most families with one or two.
CHILDREN_PER_FAMILY = [(1, 0.42), (2, 0.35), (3, 0.15), (4, 0.06), (5, 0.02)]

DEMO_USERS = [
    # username, role, first, last, agency, team, job title
    (
        "practitioner",
        Role.PRACTITIONER,
        "Priya",
        "Shah",
        "Northgate Primary School",
        "Pastoral Team",
        "Learning mentor",
    ),
    (
        "coordinator",
        Role.COORDINATOR,
        "Colin",
        "Baines",
        "Borough Council Early Help",
        "Early Help Team",
        "Early help coordinator",
    ),
    ("manager", Role.MANAGER, "Maria", "Okafor", "Borough Council Early Help", "Family Support North", "Team manager"),
    ("socialworker", Role.SOCIAL_CARE, "Sam", "Hughes", "Children's Social Care", "MASH", "MASH social worker"),
    ("analyst", Role.ANALYST, "Anna", "Lee", "Borough Council Early Help", None, "Performance analyst"),
    ("dpo", Role.DPO, "Dev", "Patel", "Borough Council Early Help", None, "Data protection officer"),
    ("admin", Role.ADMIN, "Alex", "Morgan", "Borough Council Early Help", None, "System administrator"),
    (
        "keyworker",
        Role.PRACTITIONER,
        "Kim",
        "Doyle",
        "Borough Council Early Help",
        "Family Support North",
        "Family key worker",
    ),
    (
        "healthvisitor",
        Role.PRACTITIONER,
        "Helen",
        "Ward",
        "Community Health Trust",
        "Health Visiting",
        "Health visitor",
    ),
]


@dataclass
class BoroughSize:
    families: int
    persons: int
    involvements: int


def _weighted(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in choices]
    return rng.choices(values, weights=[weight for _, weight in choices])[0]


def _partnership() -> tuple[dict[str, Agency], dict[tuple[str, str], Team], list[Locality]]:
    localities = [Locality.objects.get_or_create(name=name)[0] for name in LOCALITIES]
    agencies: dict[str, Agency] = {}
    teams: dict[tuple[str, str], Team] = {}
    for index, (name, kind, team_names) in enumerate(AGENCIES):
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
        agencies[name] = agency
        for team_name in team_names:
            slug = team_name.lower().replace(" ", "")
            teams[(name, team_name)], _ = Team.objects.get_or_create(
                agency=agency,
                name=team_name,
                defaults={
                    "locality": localities[index % len(localities)],
                    "email": f"{slug}@example.org",
                    "phone": f"0151 000 {1000 + index * 10 + len(teams):04d}",
                },
            )
    return agencies, teams, localities


def _users(agencies: dict[str, Agency], teams: dict[tuple[str, str], Team]) -> dict[str, User]:
    users = {}
    for username, role, first, last, agency_name, team_name, job in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                agency=agencies[agency_name],
                team=teams.get((agency_name, team_name)) if team_name else None,
                job_title=job,
                email=f"{username}@example.org",
                phone="0151 000 2000",
                is_staff=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    demo_authenticators(list(users.values()))
    return users


def demo_authenticators(users: list[User]) -> dict[str, TOTPDevice]:
    """A confirmed authenticator for each demo account, so the local demo can sign in with the
    secret `make run` prints. Local demo accounts only: real accounts set up their own."""
    devices = {}
    for user in users:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
        devices[user.username] = device
    return devices


def _taken(field: str) -> set[str]:
    """The NHS numbers or UPNs already on the register, which no new person may be given."""
    return set(Person.objects.exclude(**{field: None}).values_list(field, flat=True))


def _birth_date(rng: random.Random, today: date, min_age: float, max_age: float) -> date:
    return today - timedelta(days=int(rng.uniform(min_age, max_age) * 365.25))


def _families(
    rng: random.Random,
    fake: Faker,
    count: int,
    localities: list[Locality],
    today: date,
    nhs_seen: set[str],
    upn_seen: set[str],
) -> Iterator[tuple[Household, list[tuple[Person, str, date]], list[PersonName]]]:
    # A generator of its own: the share without a number can change without reshuffling the borough.
    nhs_numbers = NhsNumberPool(random.Random(rng.getrandbits(64)), taken=nhs_seen)

    def upn(year: int) -> str:
        while (number := synthetic_upn(rng, year=year)) in upn_seen:
            pass
        upn_seen.add(number)
        return number

    for _ in range(count):
        locality = rng.choice(localities)
        surname = fake.last_name()
        postcode = f"{POSTCODE_DISTRICTS[locality.name]} {rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        street = f"{rng.randrange(1, 200)} {fake.street_name()}"
        household = Household(
            name=f"{surname} family", address_line_1=street, town="Borough", postcode=postcode, locality=locality
        )
        ethnicity = _weighted(
            rng,
            [
                (Ethnicity.WHITE, 0.93),
                (Ethnicity.MIXED, 0.03),
                (Ethnicity.ASIAN, 0.01),
                (Ethnicity.BLACK, 0.01),
                (Ethnicity.OTHER, 0.01),
                ("", 0.01),
            ],
        )
        members: list[tuple[Person, str, date]] = []
        names: list[PersonName] = []

        def person(
            given: str,
            family: str,
            sex: str,
            born: date | None,
            role: str,
            *,
            expected: date | None = None,
            school: bool = False,
        ) -> Person:
            record = Person(
                given_name=given,
                family_name=family,
                search_name=name_search_key(given, family),
                sex=sex,
                date_of_birth=born,
                expected_date_of_birth=expected,
                ethnicity=ethnicity,
                # An unborn child has no NHS number yet.
                nhs_number=nhs_numbers.for_person() if born else None,
                upn=upn(born.year) if school and born else None,
                address_line_1=street,
                town="Borough",
                postcode=postcode,
            )
            moved_in = max(born or today, today - timedelta(days=rng.randrange(30, 3650)))
            members.append((record, role, moved_in))
            return record

        lone_parent = rng.random() < 0.35
        mother = person(
            fake.first_name_female(), surname, Sex.FEMALE, _birth_date(rng, today, 19, 50), MemberRole.PARENT
        )
        if rng.random() < 0.15:
            maiden = fake.last_name()
            names.append(
                PersonName(
                    person=mother,
                    given_name=mother.given_name,
                    family_name=maiden,
                    search_name=name_search_key(mother.given_name, maiden),
                )
            )
        if not lone_parent:
            person(fake.first_name_male(), surname, Sex.MALE, _birth_date(rng, today, 20, 55), MemberRole.PARENT)
        for _ in range(int(_weighted(rng, CHILDREN_PER_FAMILY))):
            female = rng.random() < 0.49
            # The borough's 0–19s split roughly evenly between 0–9 and 10–19 (17,400 and 19,300).
            age = rng.uniform(0, 9.99) if rng.random() < 0.474 else rng.uniform(10, 19)
            born = _birth_date(rng, today, age, age)
            person(
                fake.first_name_female() if female else fake.first_name_male(),
                surname,
                Sex.FEMALE if female else Sex.MALE,
                born,
                MemberRole.CHILD,
                school=4 <= age < 18,
            )
        if rng.random() < 0.03:
            person(
                "Baby",
                surname,
                Sex.UNKNOWN,
                None,
                MemberRole.UNBORN,
                expected=today + timedelta(days=rng.randrange(14, 200)),
            )
        yield household, members, names


def record_levels(rng: random.Random, families: Sequence[tuple[Household, User]]) -> None:
    """A level of need for each family, through the journey's service, so each is audited and in
    the chronology; the indicators ticked suggest the level where a few tries find such a set."""
    indicators = list(NeedIndicator.objects.filter(active=True))
    if not indicators:
        return
    for household, actor in families:
        level = _weighted(rng, LEVELS_OF_KNOWN_FAMILIES)
        for _ in range(30):
            ticked = rng.sample(indicators, k=rng.randint(1, min(5, len(indicators))))
            suggested = journey_rules.suggest_level(journey_rules.Weighed(i.weight, i.minimum_level) for i in ticked)
            if suggested == level:
                break
        level_record(
            actor=actor,
            household=household,
            indicator_ids=[i.id for i in ticked],
            level=level,
            reason="" if suggested == level else LEVEL_JUDGEMENT,
        )


@transaction.atomic
def build_borough(*, families: int, seed: int, progress: Callable[[int, int], None] | None = None) -> BoroughSize:
    """Create the partnership, the demo users and `families` synthetic households."""
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()
    agencies, teams, localities = _partnership()
    users = _users(agencies, teams)
    nhs_seen = _taken("nhs_number")
    upn_seen = _taken("upn")
    referrers = {
        kind: [team for (agency_name, _), team in teams.items() if agencies[agency_name].kind == kind]
        for kind, _ in REFERRING_KINDS
    }
    early_help = teams[("Borough Council Early Help", "Family Support North")]
    practitioners = [users["practitioner"], users["keyworker"], users["healthvisitor"]]

    size = BoroughSize(families=0, persons=0, involvements=0)
    batch = 2000
    pending: list = []
    # Families known to services and who records their level: the lead, or else the Early Help Team.
    known: list[tuple[Household, User]] = []

    def flush() -> None:
        households = [item[0] for item in pending]
        Household.objects.bulk_create(households)
        persons = [p for _, members, _ in pending for p, _, _ in members]
        Person.objects.bulk_create(persons, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(household=h, person=p, role=role, started_on=since)
                for h, members, _ in pending
                for p, role, since in members
            ],
            batch_size=1000,
        )
        PersonName.objects.bulk_create([n for _, _, names in pending for n in names], batch_size=1000)
        involvements = []
        for household, _, _ in pending:
            if rng.random() >= SHARE_KNOWN:
                continue
            kind = _weighted(rng, REFERRING_KINDS)
            team = rng.choice(referrers[kind] or [early_help])
            involved = partial(
                Involvement, household=household, started_on=today - timedelta(days=rng.randrange(7, 700))
            )
            involvements.append(involved(agency=team.agency, team=team, role=InvolvementRole.CONTRIBUTOR))
            lead = rng.choice(practitioners) if rng.random() < 0.6 else users["coordinator"]
            known.append((household, lead))
            if lead != users["coordinator"]:
                involvements += [
                    involved(agency=lead.agency, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL),
                    involved(agency=early_help.agency, team=early_help, role=InvolvementRole.CASE_HOLDER),
                ]
        Involvement.objects.bulk_create(involvements, batch_size=1000)
        size.families += len(households)
        size.persons += len(persons)
        size.involvements += len(involvements)
        pending.clear()
        if progress:
            progress(size.families, families)

    for item in _families(rng, fake, families, localities, today, nhs_seen, upn_seen):
        pending.append(item)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    record_levels(rng, known)
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="demo_borough",
        details={"families": size.families, "persons": size.persons, "involvements": size.involvements, "seed": seed},
    )
    return size
