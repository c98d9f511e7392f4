"""A UK-shaped register and partner extract with known truth, made from a seed and nothing downloaded.

The register holds households (one or two adults and their children at one address); the partner extract
holds copies of some register people as another agency would have keyed them, and strangers, many of whom
resemble someone on the register. Each partner record carries the truth beside the standard columns:
`true_person_id` (the register record it is about, empty for a stranger), `household_id` (the household it
belongs to; a stranger who lives in a register household carries that household's id) and `variant` (what
was done to it). Register records carry `household_id` too. The model reads only the standard columns.

What the data holds, because these are the cases a council's matcher gets wrong:
twins (one birthday, one surname, one home); a parent and a child with one given name; surname changes;
nicknames from the model's nickname table; day and month swapped; house moves; NHS numbers and UPNs
missing or mistyped; typos; names in each other's place; and strangers who share a household, a name or a
birthday with a register member.

Names, streets and postal areas come from the en_GB tables shipped inside Faker (a runtime dependency).
"""

import csv
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa  # type: ignore[import-untyped]
from faker.providers.address.en_GB import Provider as AddressProvider
from faker.providers.person.en_GB import Provider as PersonProvider

from earlyhelp.matching.model import NICKNAMES, STANDARD_COLUMNS

REGISTER_COLUMNS = (*STANDARD_COLUMNS, "household_id")
PARTNER_COLUMNS = (*REGISTER_COLUMNS, "true_person_id", "variant")

# Shares of the partner extract and of the corruptions, chosen to look like a weekly feed, not to suit the model.
KNOWN_SHARE = 0.8
STRANGER_KINDS = (
    ("new_household_member", 0.30),  # a baby or a new partner at a register address, not yet on the register
    ("namesake", 0.25),  # same given and family name, another birthday and home
    ("birthday_namesake", 0.10),  # same family name and birthday, another given name and home
    ("unrelated", 0.35),
)
CORRUPTIONS = (
    ("nickname", 0.08),
    ("given_typo", 0.05),
    ("family_typo", 0.05),
    ("surname_change", 0.03),
    ("names_swapped", 0.01),
    ("day_month_swap", 0.02),
    ("dob_typo", 0.02),
    ("house_move", 0.10),
    ("nhs_typo", 0.01),
)

_SURNAME_ENDINGS = ("", "", "", "", "S", "SON", "TON", "LEY", "WOOD", "FIELD", "HAM", "FORD", "WELL", "BY")
_STREET_KINDS = ("ROAD", "STREET", "LANE", "AVENUE", "CLOSE", "DRIVE", "GROVE", "WAY", "CRESCENT", "TERRACE")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_TODAY = date(2026, 9, 1)


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _weighted(table: dict[str, float] | tuple[str, ...]) -> tuple[list[str], list[float]]:
    """Upper-case names and their cumulative weights (so that each draw is a bisection, not a sum)."""
    if isinstance(table, dict):
        return [name.upper() for name in table], _cumulative(list(table.values()))
    return [name.upper() for name in table], _cumulative([1.0] * len(table))


def _nicknames() -> dict[str, list[str]]:
    """Full given name -> its short forms, from the model's own table."""
    found: dict[str, list[str]] = {}
    with NICKNAMES.open(newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["given_name"], []).append(row["nickname"])
    return found


def nhs_number(serial: int) -> str:
    """The NHS number (with its modulus 11 check digit) for a serial; None-free: serials whose check would be
    10 are moved on to the next nine digits."""
    while True:
        digits = f"{(400_000_000 + serial * 7_919) % 1_000_000_000:09d}"
        remainder = sum(int(digit) * weight for digit, weight in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = (11 - remainder) % 11
        if check != 10:
            return digits + str(check)
        serial += 1_000_003


@dataclass
class _Person:
    record_id: str
    given_name: str
    family_name: str
    born: date
    sex: str
    postcode: str
    address: str
    nhs_number: str
    upn: str
    household_id: str

    def row(self) -> tuple[str, ...]:
        return (
            self.record_id,
            self.given_name,
            self.family_name,
            self.born.isoformat(),
            self.sex,
            self.postcode,
            self.address,
            self.nhs_number,
            self.upn,
            self.household_id,
        )


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic test data, reproducible from its seed
        self.male, self.male_weights = _weighted(PersonProvider.first_names_male)
        self.female, self.female_weights = _weighted(PersonProvider.first_names_female)
        base = [name.upper() for name in PersonProvider.last_names]
        base_weights = list(PersonProvider.last_names.values())
        # Faker's 500 surnames with common English endings: a longer tail, as a real register has.
        self.surnames = [name + ending for name in base for ending in _SURNAME_ENDINGS]
        self.surname_weights = _cumulative(
            [weight * (4 if not ending else 1) for weight in base_weights for ending in _SURNAME_ENDINGS]
        )
        self.nicknames = _nicknames()
        self.areas = list(AddressProvider.POSTAL_ZONES)
        self.serial = seed * 10_000_019
        self.upn_serial = 0

    def given(self, sex: str) -> str:
        names, weights = (self.male, self.male_weights) if sex == "M" else (self.female, self.female_weights)
        return self.rng.choices(names, cum_weights=weights)[0]

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]

    def home(self) -> tuple[str, str]:
        rng = self.rng
        outward = f"{rng.choice(self.areas)}{rng.randrange(1, 30)}"
        postcode = f"{outward} {rng.randrange(1, 10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        street = f"{self.surname()} {rng.choice(_STREET_KINDS)}"
        return postcode, f"{rng.randrange(1, 240)} {street}"

    def nhs(self) -> str:
        self.serial += 1
        return nhs_number(self.serial)

    def upn(self, born: date) -> str:
        """School children only: a letter and twelve digits, as the DfE's unique pupil numbers are shaped."""
        if not 4 <= (_TODAY - born).days // 365 <= 18:
            return ""
        self.upn_serial += 1
        return f"{self.rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}{self.upn_serial * 7_919 % 10**12:012d}"

    def birthday(self, oldest: int, youngest: int) -> date:
        return _TODAY - timedelta(days=self.rng.randrange(youngest * 365, oldest * 365 + 1))

    def person(self, record_id: str, household_id: str, *, home: tuple[str, str], family: str, born: date) -> _Person:
        sex = self.rng.choice("MF")
        return _Person(record_id, self.given(sex), family, born, sex, *home, self.nhs(), self.upn(born), household_id)

    def household(self, number: int) -> list[_Person]:
        rng = self.rng
        household_id = f"H{number}"
        home = self.home()
        family = self.surname()
        adults = 1 if rng.random() < 0.3 else 2
        people: list[_Person] = []
        for index in range(adults):
            adult = self.person(
                f"R{number}A{index}", household_id, home=home, family=family, born=self.birthday(60, 20)
            )
            if index == 1:
                adult.sex = "F" if people[0].sex == "M" else "M"
                adult.given_name = self.given(adult.sex)
                if rng.random() < 0.2:
                    adult.family_name = self.surname()
            people.append(adult)
        children = rng.choices((0, 1, 2, 3, 4), (0.25, 0.3, 0.25, 0.13, 0.07))[0]
        for index in range(children):
            surname = family if rng.random() > 0.1 else self.surname()
            people.append(
                self.person(f"R{number}C{index}", household_id, home=home, family=surname, born=self.birthday(18, 0))
            )
        if children and rng.random() < 0.04:
            # Twins: one birthday, one surname, one home; only the given name (and perhaps sex) parts them.
            first = people[-1]
            twin = self.person(f"R{number}T", household_id, home=home, family=first.family_name, born=first.born)
            while twin.given_name == first.given_name:
                twin.given_name = self.given(twin.sex)
            twin.upn = self.upn(twin.born)
            people.append(twin)
        if children and rng.random() < 0.05:
            # A parent and a child with one given name (a junior).
            child = people[adults]
            parent = people[0]
            child.given_name, child.sex = parent.given_name, parent.sex
        return people


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word + rng.choice("AEIOU")
    at = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if edit == 1:
        return word[:at] + word[at + 1 :]
    if edit == 2:
        return word[:at] + rng.choice("ABCDEFGHIJKLMNOPRSTUVWY") + word[at:]
    return word[:at] + rng.choice("ABCDEFGHIJKLMNOPRSTUVWY") + word[at + 1 :]


def _digit_typo(rng: random.Random, digits: str) -> str:
    at = rng.randrange(len(digits))
    return digits[:at] + str((int(digits[at]) + rng.randrange(1, 10)) % 10) + digits[at + 1 :]


class _Partner:
    """Keys register people and strangers as a partner agency would: its own formats and its own slips."""

    def __init__(self, maker: _Maker) -> None:
        self.maker = maker
        self.rng = maker.rng

    def copy(self, person: _Person, record_id: str) -> tuple[str, ...]:
        rng, maker = self.rng, self.maker
        given, family, born = person.given_name, person.family_name, person.born
        postcode, address = person.postcode, person.address
        nhs, upn = person.nhs_number, person.upn
        applied = []
        for kind, share in CORRUPTIONS:
            if rng.random() >= share:
                continue
            if kind == "nickname" and given in maker.nicknames:
                given = rng.choice(maker.nicknames[given])
            elif kind == "given_typo":
                given = _typo(rng, given)
            elif kind == "family_typo":
                family = _typo(rng, family)
            elif kind == "surname_change":
                family = maker.surname()
            elif kind == "names_swapped":
                given, family = family, given
            elif kind == "day_month_swap" and born.day <= 12 and born.day != born.month:
                born = born.replace(day=born.month, month=born.day)
            elif kind == "dob_typo":
                born = self._slipped(born)
            elif kind == "house_move":
                postcode, address = maker.home()
            elif kind == "nhs_typo":
                nhs = _digit_typo(rng, nhs)
            else:
                continue
            applied.append(kind)
        return self._keyed(
            record_id,
            given,
            family,
            born,
            person.sex,
            postcode,
            address,
            nhs,
            upn,
            person.household_id,
            person.record_id,
            "+".join(applied) or "clean",
        )

    def _slipped(self, born: date) -> date:
        for _ in range(10):
            text = _digit_typo(self.rng, born.strftime("%Y%m%d"))
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                continue
        return born

    def stranger(self, kind: str, record_id: str, household: list[_Person], number: int) -> tuple[str, ...]:
        maker, rng = self.maker, self.rng
        model = rng.choice(household)
        if kind == "new_household_member":
            born = maker.birthday(2, 0) if rng.random() < 0.7 else maker.birthday(50, 20)
            home = (model.postcode, model.address)
            person = maker.person(record_id, model.household_id, home=home, family=household[0].family_name, born=born)
            # Families do not give two living members one given name, bar a parent's to a child.
            while person.given_name in {member.given_name for member in household}:
                person.given_name = maker.given(person.sex)
            household_id = model.household_id
        else:
            household_id = f"S{number}"
            born = maker.birthday(80, 0)
            person = maker.person(record_id, household_id, home=maker.home(), family=maker.surname(), born=born)
            if kind == "namesake":
                person.given_name, person.family_name, person.sex = model.given_name, model.family_name, model.sex
            elif kind == "birthday_namesake":
                person.family_name, person.born = model.family_name, model.born
                while person.given_name == model.given_name:
                    person.given_name = maker.given(person.sex)
        return self._keyed(
            record_id,
            person.given_name,
            person.family_name,
            person.born,
            person.sex,
            person.postcode,
            person.address,
            person.nhs_number,
            person.upn,
            household_id,
            "",
            f"stranger_{kind}",
        )

    def _keyed(self, record_id, given, family, born, sex, postcode, address, nhs, upn, household, truth, variant):
        """In the partner's formats (title case, UK dates, words for sex) and with what it does not hold."""
        rng = self.rng
        return (
            record_id,
            given.title(),
            family.title(),
            born.strftime("%d/%m/%Y"),
            {"M": "Male", "F": "Female"}[sex] if rng.random() > 0.05 else "",
            postcode if rng.random() > 0.03 else "",
            address.title() if rng.random() > 0.05 else "",
            nhs if rng.random() < 0.5 else "",
            upn if rng.random() < 0.6 else "",
            household,
            truth,
            variant,
        )


@dataclass(frozen=True)
class Extracts:
    register: pa.Table
    partner: pa.Table


def _table(rows: list[tuple[str, ...]], columns: tuple[str, ...]) -> pa.Table:
    return pa.table(
        {column: pa.array([row[index] for row in rows], pa.string()) for index, column in enumerate(columns)}
    )


def _households(maker: _Maker, persons: int) -> Iterator[list[_Person]]:
    made = number = 0
    while made < persons:
        household = maker.household(number)
        number += 1
        made += len(household)
        yield household


def uk_extracts(*, persons: int, partner_records: int | None = None, seed: int = 2026) -> Extracts:
    """A register of about `persons` people in households and a partner extract of `partner_records` (as many
    as the register by default): `KNOWN_SHARE` of them copies of register people, the rest strangers."""
    maker = _Maker(seed)
    partner = _Partner(maker)
    households = list(_households(maker, persons))
    register_rows = [person.row() for household in households for person in household]
    wanted = partner_records if partner_records is not None else len(register_rows)
    known = min(int(wanted * KNOWN_SHARE), len(register_rows))
    rng = maker.rng
    by_id = {person.record_id: person for household in households for person in household}
    partner_rows = [
        partner.copy(by_id[row[0]], f"P{index}") for index, row in enumerate(rng.sample(register_rows, known))
    ]
    kinds = [kind for kind, _ in STRANGER_KINDS]
    shares = [share for _, share in STRANGER_KINDS]
    for number in range(wanted - known):
        kind = rng.choices(kinds, shares)[0]
        household = rng.choice(households)
        partner_rows.append(partner.stranger(kind, f"P{known + number}", household, number))
    rng.shuffle(partner_rows)
    return Extracts(register=_table(register_rows, REGISTER_COLUMNS), partner=_table(partner_rows, PARTNER_COLUMNS))
