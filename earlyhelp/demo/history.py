"""Three years of the borough's history, so every indicator's chart has a trend: families the partnership
worked with and whose episodes have closed, their requests, assessments, closures, step ups and downs,
feedback, and their children's social care activity.

The history is written as a bundle (docs/history-import.md) and imported through `history_import`, as a
council's own would be: the demo exercises the import, and the records are the ones the indicators read.
It is consistent with today's borough: its families live in the same localities and were worked with by
the same agencies, and every episode closed before today, so no current family's record changes.

The shape follows the strategy's aims, as a demo's choice: requests for early help grow year on year,
assessments become more timely and better, and referrals to social care fall.
"""

import csv
import random
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, User
from earlyhelp.history import bundle
from earlyhelp.history.services import history_import

from .borough import POSTCODE_DISTRICTS

T = TypeVar("T")
YEARS = 3
DEFAULT_FAMILIES = 450
# Who raised the request (a demo choice close to the 2014 strategy's referrer mix).
REQUEST_SOURCES = [
    (AgencyKind.POLICE, 0.25),
    (AgencyKind.HEALTH, 0.2),
    (AgencyKind.EDUCATION, 0.25),
    (AgencyKind.LOCAL_AUTHORITY, 0.12),
    (AgencyKind.HOUSING, 0.05),
    (AgencyKind.VOLUNTARY, 0.05),
    ("family", 0.08),
]
LEAD_KINDS = [
    (AgencyKind.LOCAL_AUTHORITY, 0.45),
    (AgencyKind.EDUCATION, 0.3),
    (AgencyKind.HEALTH, 0.15),
    (AgencyKind.VOLUNTARY, 0.1),
]
CLOSURE_REASONS = [
    ("outcomes_achieved", 0.55),
    ("stepped_down", 0.15),
    ("stepped_up", 0.1),
    ("moved_away", 0.08),
    ("consent_withdrawn", 0.07),
    ("other", 0.05),
]
REFERRAL_REASONS = [
    ("abuse_or_neglect", 0.5),
    ("family_dysfunction", 0.18),
    ("acute_stress", 0.1),
    ("parental_illness", 0.07),
    ("disability", 0.05),
    ("socially_unacceptable", 0.04),
    ("low_income", 0.03),
    ("absent_parenting", 0.02),
    ("not_in_need", 0.01),
]
ASSESSMENT_OUTCOMES = [("nfa", 0.35), ("child_in_need", 0.4), ("child_protection", 0.15), ("early_help", 0.1)]
OUTCOME_AREAS = ["education", "health", "family_relationships", "housing", "financial_stability", "domestic_abuse"]


def _weighted(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


@dataclass
class _Bundle:
    """The rows of each file, by file name, as they will be written."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, file_name: str, **values: Any) -> None:
        self.rows[file_name].append(values)

    def write(self, directory: Path) -> None:
        for bundle_file in bundle.FILES:
            names = [column.name for column in bundle_file.layout.columns]
            with (directory / bundle_file.name).open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=names, restval="")
                writer.writeheader()
                for row in self.rows[bundle_file.name]:
                    writer.writerow({key: "" if value is None else value for key, value in row.items()})


class _Borough:
    """Draws the history of one family at a time into the bundle."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.fake = Faker("en_GB")
        self.fake.seed_instance(rng.randrange(2**32))
        self.today = today
        self.start = today - timedelta(days=365 * YEARS)
        self.localities = list(Locality.objects.order_by("name").values_list("name", flat=True))
        self.agencies: dict[str, list[str]] = defaultdict(list)
        for name, kind in Agency.objects.order_by("name").values_list("name", "kind"):
            self.agencies[kind].append(name)
        self.out = _Bundle()
        self.serial = 0

    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:06d}"

    def _agency(self, kind: str) -> str:
        names = self.agencies.get(kind) or self.agencies[AgencyKind.LOCAL_AUTHORITY]
        return self.rng.choice(names)

    def _day(self, share: float) -> date:
        return self.start + timedelta(days=int(share * (self.today - self.start).days))

    def _before_today(self, day: date) -> date:
        return min(day, self.today - timedelta(days=1))

    def family(self) -> None:
        rng = self.rng
        # Later years bring more requests: the moment is drawn with a density rising through the years.
        share = rng.random() ** 0.8
        received = self._day(share)
        surname = self.fake.last_name()
        family_id = self._id("F")
        locality = rng.choice(self.localities)
        address = {
            "address_line_1": f"{rng.randint(1, 200)} {self.fake.street_name()}",
            "postcode": self._postcode(locality),
        }
        self.out.add(
            bundle.FAMILIES, family_id=family_id, name=f"{surname} family", locality=locality, town="Borough", **address
        )
        children = self._members(family_id, surname, received, address)
        child = rng.choice(children)
        source = _weighted(rng, REQUEST_SOURCES)
        stepped_down = rng.random() < 0.08
        decision = "assessment" if stepped_down or rng.random() < 0.7 else rng.choice(["advice", "universal"])
        episode_id = self._id("E") if decision == "assessment" else None
        triaged = received + timedelta(days=rng.randint(0, 3))
        if not stepped_down:
            self.out.add(
                bundle.REQUESTS,
                request_id=self._id("R"),
                family_id=family_id,
                child_id=child,
                received_on=received,
                source="family" if source == "family" else "practitioner",
                source_agency=None if source == "family" else self._agency(source),
                outcome=decision,
                triaged_on=self._before_today(triaged),
                episode_id=None if stepped_down else episode_id,
            )
        for person in children:
            self._social_care(person, share, received)
        if episode_id is not None:
            self._episode(family_id, episode_id, children, share, received, stepped_down=stepped_down)

    def _postcode(self, locality: str) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        district = POSTCODE_DISTRICTS.get(locality, "L33")
        return f"{district} {self.rng.randrange(10)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def _members(self, family_id: str, surname: str, on: date, address: dict[str, str]) -> list[str]:
        rng = self.rng
        parent = self._id("P")
        born = on - timedelta(days=rng.randint(22 * 365, 45 * 365))
        self.out.add(
            bundle.PERSONS,
            person_id=parent,
            given_name=self.fake.first_name_female(),
            family_name=surname,
            date_of_birth=born,
            sex="F",
            **address,
        )
        children = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            child = self._id("P")
            dob = on - timedelta(days=rng.randint(60, 17 * 365))
            sex = rng.choice("FM")
            given = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
            self.out.add(
                bundle.PERSONS,
                person_id=child,
                given_name=given,
                family_name=surname,
                date_of_birth=dob,
                sex=sex,
                **address,
            )
            self.out.add(
                bundle.MEMBERSHIPS,
                membership_id=self._id("M"),
                family_id=family_id,
                person_id=child,
                role="child",
                started_on=dob,
            )
            children.append(child)
        self.out.add(
            bundle.MEMBERSHIPS,
            membership_id=self._id("M"),
            family_id=family_id,
            person_id=parent,
            role="parent",
            started_on=on - timedelta(days=17 * 365),
        )
        return children

    def _episode(
        self, family_id: str, episode_id: str, children: list[str], share: float, received: date, *, stepped_down: bool
    ) -> None:
        rng = self.rng
        opened = self._before_today(received + timedelta(days=rng.randint(2, 10)))
        if stepped_down:
            self.out.add(
                bundle.STEP_DOWNS,
                step_down_id=self._id("D"),
                family_id=family_id,
                requested_on=received,
                decided_on=opened,
                status="accepted",
                episode_id=episode_id,
            )
        lead = self._agency(_weighted(rng, LEAD_KINDS))
        self.out.add(
            bundle.EPISODES,
            episode_id=episode_id,
            family_id=family_id,
            opened_on=opened,
            level=rng.choice([2, 2, 3, 3, 3, 4]),
            lead_agency=lead,
        )
        # Assessments grow timelier and better through the years.
        reviewed = received + timedelta(days=max(12, int(rng.gauss(62 - 30 * share, 15))))
        closed = received + timedelta(days=rng.randint(120, 330))
        if reviewed >= self.today or closed >= self.today:
            return
        closed = max(closed, reviewed)
        # A version returned and then approved is one approved version here (K04 counts the last decision);
        # a returned one stays returned only when the family left before it was finished.
        if rng.random() > 0.75 + 0.2 * share:
            self._assessment(episode_id, reviewed, "returned")
            reason = rng.choice(["moved_away", "consent_withdrawn"])
        else:
            self._assessment(episode_id, reviewed, "approved")
            reason = _weighted(rng, CLOSURE_REASONS)
        closure_id = self._id("C")
        self.out.add(
            bundle.CLOSURES,
            closure_id=closure_id,
            episode_id=episode_id,
            closed_on=closed,
            reason=reason,
            detail="Family moved to a service outside early help" if reason == "other" else None,
        )
        met = {"outcomes_achieved": "met", "stepped_down": "met"}.get(reason)
        for area in rng.sample(OUTCOME_AREAS, rng.randint(1, 3)):
            self.out.add(
                bundle.NEED_OUTCOMES,
                need_outcome_id=self._id("N"),
                closure_id=closure_id,
                outcome_area=area,
                need=f"Need in {area.replace('_', ' ')}",
                outcome=met or rng.choice(["partly_met", "not_met"]),
            )
        if reason == "stepped_up":
            self._step_up(family_id, episode_id, children, lead, closed)
        if rng.random() < 0.8:
            answered = rng.random() < 0.55 and closed + timedelta(days=14) < self.today
            self.out.add(
                bundle.FEEDBACK,
                feedback_id=self._id("B"),
                episode_id=episode_id,
                invited_on=closed,
                responded_on=closed + timedelta(days=rng.randint(1, 14)) if answered else None,
                rating=rng.choice([2, 3, 4, 4, 5, 5]) if answered else None,
            )

    def _assessment(self, episode_id: str, reviewed: date, rating: str) -> None:
        self.out.add(
            bundle.ASSESSMENTS,
            assessment_id=self._id("A"),
            episode_id=episode_id,
            submitted_on=reviewed - timedelta(days=self.rng.randint(1, 5)),
            reviewed_on=reviewed,
            rating=rating,
            comments="Add the child's own words" if rating == "returned" else None,
        )

    def _step_up(self, family_id: str, episode_id: str, children: list[str], lead: str, closed: date) -> None:
        rng = self.rng
        decided = closed - timedelta(days=rng.randint(5, 15))
        accepted = rng.random() < 0.7
        self.out.add(
            bundle.STEP_UPS,
            step_up_id=self._id("S"),
            family_id=family_id,
            episode_id=episode_id,
            reason=rng.choice(["vulnerable_child", "domestic_abuse", "escalating_need"]),
            requested_on=decided - timedelta(days=1),
            decided_on=decided,
            status="accepted" if accepted else "nfa",
            outcome=rng.choice(["child_in_need", "child_protection"]) if accepted else None,
            responded_on=closed,
        )
        kind = Agency.objects.filter(name=lead).values_list("kind", flat=True).first() or AgencyKind.OTHER
        for child in children:
            self._referral(
                child, decided, source=kind, reason="abuse_or_neglect", outcome="other" if accepted else "nfa"
            )

    def _social_care(self, child: str, share: float, received: date) -> None:
        rng = self.rng
        if rng.random() > 0.55:
            return
        # Referrals fall as early help reaches families sooner: drawn with a density falling through the years.
        referred = self._day(1 - rng.random() ** 0.6)
        if referred >= self.today:
            return
        source = _weighted(rng, REQUEST_SOURCES)
        outcome = rng.choices(["nfa", "single_assessment", "other"], weights=[0.4, 0.52, 0.08])[0]
        referral = self._referral(
            child, referred, source=source, reason=_weighted(rng, REFERRAL_REASONS), outcome=outcome
        )
        if outcome == "single_assessment":
            self._single_assessment(child, referral, referred)
        if rng.random() < 0.2:
            again = referred + timedelta(days=rng.randint(30, 360))
            if again < self.today:
                self._referral(child, again, source=source, reason="abuse_or_neglect", outcome="nfa")

    def _referral(self, child: str, on: date, *, source: str, reason: str, outcome: str) -> str:
        record_id = self._id("SC")
        self.out.add(
            bundle.SOCIAL_CARE,
            record_id=record_id,
            person_id=child,
            record_type="referral",
            start_date=on,
            source_agency_type=source,
            reason=reason,
            outcome=outcome,
            early_help_offer="yes" if outcome == "nfa" and self.rng.random() < 0.6 else None,
        )
        return record_id

    def _single_assessment(self, child: str, referral: str, referred: date) -> None:
        rng = self.rng
        started = referred + timedelta(days=rng.randint(1, 5))
        completed = started + timedelta(days=rng.randint(10, 45))
        if started >= self.today:
            return
        done = completed < self.today
        outcome = _weighted(rng, ASSESSMENT_OUTCOMES) if done else None
        self.out.add(
            bundle.SOCIAL_CARE,
            record_id=self._id("SC"),
            person_id=child,
            record_type="single_assessment",
            start_date=started,
            end_date=completed if done else None,
            outcome=outcome,
            early_help_offer="yes" if outcome == "nfa" and rng.random() < 0.6 else None,
            referral_id=referral,
        )
        if outcome in ("child_in_need", "child_protection"):
            ended = completed + timedelta(days=rng.randint(90, 400))
            self.out.add(
                bundle.SOCIAL_CARE,
                record_id=self._id("SC"),
                person_id=child,
                record_type=outcome,
                start_date=completed,
                end_date=ended if ended < self.today else None,
                referral_id=referral,
            )


@dataclass
class HistorySize:
    stored: dict[str, int]


def build_history(*, seed: int, families: int = DEFAULT_FAMILIES) -> HistorySize:
    """Write three years of the borough's history as a bundle and import it, as the administrator."""
    borough = _Borough(random.Random(seed), timezone.localdate())
    for _ in range(families):
        borough.family()
    importer = User.objects.get(username="admin")
    with tempfile.TemporaryDirectory() as directory:
        borough.out.write(Path(directory))
        outcome = history_import(actor=importer, directory=Path(directory))
    if not outcome.ok:
        raise RuntimeError("The demo history was refused:\n" + outcome.report.to_csv())
    return HistorySize(stored=outcome.stored)
