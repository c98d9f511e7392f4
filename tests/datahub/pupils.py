"""A school's pupils on the register, made with the factories from a fixed seed, and the school's
attendance file about them as a school would send it: most rows as the register holds the pupil,
some with a name mistyped, some about pupils the register holds without a Unique Pupil Number, a
few about a pupil the school knows by another given name than the register does, and some about
children the register does not hold at all."""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from earlyhelp.demo.identifiers import synthetic_upn
from earlyhelp.families.models import Household, MemberRole, Person
from tests.factories import ChildFactory, MembershipFactory
from tests.matching.people import DISTRICTS, FAMILY, GIVEN

from .support import HEADER

# Of the possible sessions in the term, the share missed that the attendance flag rule looks for (10 %).
SESSIONS_POSSIBLE = 140


def transposed(rng: random.Random, word: str) -> str:
    """A keying slip: two neighbouring letters swapped (Wilson -> Wlison)."""
    places = [at for at in range(1, len(word) - 1) if word[at] != word[at + 1]] or [0]
    at = rng.choice(places)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@dataclass
class School:
    """The register's pupils and the school's file about them, each row's expected outcome known."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    # Rows as the register holds the pupil, or with one name mistyped; the UPN agrees: linked.
    copies: dict[str, Person] = field(default_factory=dict)
    # Rows about a pupil the register holds without a UPN, a name mistyped in some: linked.
    without_upn: dict[str, Person] = field(default_factory=dict)
    # Rows with another given name than the register's, no UPN to settle it: sent to review.
    other_given_name: dict[str, Person] = field(default_factory=dict)
    # Rows about children the register does not hold: known to partners only.
    strangers: list[str] = field(default_factory=list)

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8")


class _Pupils:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.numbers = iter(range(1, 10_000))
        self.used: set[tuple[str, str, date]] = set()

    def details(self) -> dict[str, Any]:
        rng = self.rng
        while True:
            given, family = rng.choice(GIVEN).title(), rng.choice(FAMILY).title()
            born = date(2011, 9, 1) + timedelta(days=rng.randrange(3650))
            if (given, family, born) not in self.used:
                self.used.add((given, family, born))
                break
        outward = rng.choice(DISTRICTS)
        return {
            "given_name": given,
            "family_name": family,
            "date_of_birth": born,
            "sex": rng.choice("FM"),
            "postcode": f"{outward} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJ')}",
            "upn": synthetic_upn(rng, year=rng.randrange(10, 20)),
        }

    def row(self, details: dict[str, Any], *, missed: int | None = None, **changes: Any) -> dict[str, Any]:
        row = {
            "record_id": f"ATT{next(self.numbers):04d}",
            "upn": details["upn"],
            "given_name": details["given_name"],
            "family_name": details["family_name"],
            "date_of_birth": details["date_of_birth"].strftime("%d/%m/%Y"),
            "sex": {"F": "female", "M": "male"}[details["sex"]],
            "postcode": details["postcode"],
            "school_urn": "107654",
            "academic_year": "2025/26",
            "term": "autumn",
            "sessions_possible": str(SESSIONS_POSSIBLE),
            # Below the flag rule's 10 % unless the row says otherwise.
            "sessions_missed": str(self.rng.randrange(0, 12) if missed is None else missed),
            "suspensions": "0",
            "permanent_exclusion": "no",
            "permanent_exclusion_date": "",
        }
        return row | changes


def pupil(details: dict[str, Any], *, upn: bool = True, household: Household | None = None) -> Person:
    """The pupil on the register, made by the factories; in the household, where one is given."""
    values = {name: details[name] for name in ("given_name", "family_name", "date_of_birth", "sex", "postcode")}
    person = ChildFactory(**values, upn=details["upn"] if upn else None)
    if household is not None:
        MembershipFactory(household=household, person=person, role=MemberRole.CHILD)
    return person


def school(
    *,
    seed: int = 2026,
    copies: int = 120,
    typos_every: int = 6,
    without_upn: int = 10,
    other_given_names: tuple[str, ...] = ("Sophia", "Oscar"),
    strangers: int = 20,
    register_only: int = 40,
) -> tuple[School, _Pupils]:
    """The register's pupils and the school's file: `copies` rows whose UPN agrees (every
    `typos_every`th with a name mistyped); `without_upn` rows about pupils the register holds without
    a UPN (every other one mistyped, every third without a postcode or sex); a row for each of
    `other_given_names` about a pupil the register holds under another given name and without a UPN;
    `strangers` rows about children the register does not hold; and `register_only` pupils the file
    does not mention."""
    made = School()
    pupils = _Pupils(seed)
    rng = pupils.rng
    for number in range(copies):
        details = pupils.details()
        person = pupil(details)
        if number % typos_every == 1:
            name = "family_name" if number % 2 else "given_name"
            row = pupils.row(details, **{name: transposed(rng, details[name])})
        else:
            row = pupils.row(details)
        made.rows.append(row)
        made.copies[row["record_id"]] = person
    for number in range(without_upn):
        details = pupils.details()
        person = pupil(details, upn=False)
        # Every other one with the family name mistyped; every third without the optional postcode and sex.
        changes = {"family_name": transposed(rng, details["family_name"])} if number % 2 else {}
        if number % 3 == 0:
            changes |= {"postcode": "", "sex": ""}
        row = pupils.row(details, **changes)
        made.rows.append(row)
        made.without_upn[row["record_id"]] = person
    for given in other_given_names:
        details = pupils.details()
        while details["given_name"] == given:
            details = pupils.details()
        person = pupil(details, upn=False)
        row = pupils.row(details, given_name=given)
        made.rows.append(row)
        made.other_given_name[row["record_id"]] = person
    for _ in range(strangers):
        row = pupils.row(pupils.details())
        made.rows.append(row)
        made.strangers.append(row["record_id"])
    for _ in range(register_only):
        pupil(pupils.details())
    return made, pupils
