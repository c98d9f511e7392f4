"""A synthetic register and partner extract, made afresh by each test module from a fixed seed."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

GIVEN = [
    "OLIVER",
    "GEORGE",
    "ARTHUR",
    "NOAH",
    "MUHAMMAD",
    "LEO",
    "OSCAR",
    "HENRY",
    "THEO",
    "JACK",
    "FREDDIE",
    "ALFIE",
    "CHARLIE",
    "ARCHIE",
    "THOMAS",
    "JAMES",
    "WILLIAM",
    "ISAAC",
    "JOSHUA",
    "SAMUEL",
    "OLIVIA",
    "AMELIA",
    "ISLA",
    "AVA",
    "IVY",
    "FREYA",
    "LILY",
    "FLORENCE",
    "MIA",
    "WILLOW",
    "ROSIE",
    "SOPHIA",
    "ISABELLA",
    "GRACE",
    "DAISY",
    "SIENNA",
    "POPPY",
    "ELSIE",
    "EMILY",
    "AVA",
    "EVIE",
    "PHOEBE",
    "RUBY",
]
FAMILY = [
    "SMITH",
    "JONES",
    "TAYLOR",
    "BROWN",
    "WILLIAMS",
    "WILSON",
    "JOHNSON",
    "DAVIES",
    "PATEL",
    "WRIGHT",
    "ROBINSON",
    "THOMPSON",
    "EVANS",
    "WALKER",
    "WHITE",
    "ROBERTS",
    "GREEN",
    "HALL",
    "THOMAS",
    "CLARKE",
    "JACKSON",
    "WOOD",
    "HARRIS",
    "EDWARDS",
    "TURNER",
    "MARTIN",
    "COOPER",
    "HILL",
    "WARD",
    "HUGHES",
    "MOORE",
    "CLARK",
    "KING",
    "HARRISON",
    "LEWIS",
    "BAKER",
    "LEE",
    "ALLEN",
    "MORRIS",
    "KHAN",
    "SCOTT",
    "WATSON",
    "DAVIS",
    "PARKER",
    "JAMES",
    "BENNETT",
    "YOUNG",
    "PHILLIPS",
    "RICHARDSON",
    "MITCHELL",
]
STREETS = ["HIGH STREET", "STATION ROAD", "CHURCH LANE", "MILL ROAD", "PARK AVENUE", "VICTORIA ROAD", "QUEENS ROAD"]
DISTRICTS = ["LS6", "LS7", "LS8", "BD3", "BD9", "HX1", "WF2", "WF10"]
COLUMNS = ("record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number")


def nhs_number(rng: random.Random) -> str:
    """A random NHS number that passes the modulus 11 check."""
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = (11 - sum(digit * weight for digit, weight in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@dataclass
class Extracts:
    register: list[dict[str, str]] = field(default_factory=list)
    partner: list[dict[str, str]] = field(default_factory=list)
    # partner record id -> the register record id it is a copy of
    copies: dict[str, str] = field(default_factory=dict)
    strangers: list[str] = field(default_factory=list)


def _person(rng: random.Random, record_id: str) -> dict[str, str]:
    born = date(2006, 1, 1) + timedelta(days=rng.randrange(6500))
    district = rng.choice(DISTRICTS)
    return {
        "record_id": record_id,
        "given_name": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "date_of_birth": born.isoformat(),
        "sex": rng.choice("MF"),
        "postcode": f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLN')}",
        "address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        "nhs_number": nhs_number(rng),
    }


def make(seed: int = 3, register_size: int = 260, copies: int = 90, strangers: int = 60) -> Extracts:
    rng = random.Random(seed)
    extracts = Extracts()
    extracts.register = [_person(rng, f"R{number}") for number in range(register_size)]
    for number, original in enumerate(rng.sample(extracts.register, copies)):
        copy = dict(original, record_id=f"P{number}")
        roll = rng.random()
        if roll < 0.25:
            copy["family_name"] = _typo(rng, copy["family_name"])
        elif roll < 0.45:
            copy["postcode"] = ""
        elif roll < 0.6:
            copy["address"] = copy["address"].replace("ROAD", "RD").replace("STREET", "ST")
        if rng.random() < 0.5:
            copy["nhs_number"] = ""
        copy["given_name"] = copy["given_name"].title()
        extracts.partner.append(copy)
        extracts.copies[copy["record_id"]] = original["record_id"]
    for number in range(strangers):
        stranger = _person(rng, f"S{number}")
        extracts.partner.append(stranger)
        extracts.strangers.append(stranger["record_id"])
    return extracts
