"""Synthetic identifiers that pass their checks but can never be real people's."""

import random

from earlyhelp.families.rules import nhs_number_check_digit, upn_check_letter


def synthetic_nhs_number(rng: random.Random) -> str:
    """An NHS number from the 999 range, which NHS England reserves for testing and never issues."""
    while True:
        first_nine = "999" + f"{rng.randrange(1_000_000):06d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def synthetic_upn(rng: random.Random, *, la_code: int = 999, year: int = 24) -> str:
    """A UPN with local authority code 999, which no authority holds: check letter, LA code (3),
    establishment number (4), year of issue (2) and serial number (3)."""
    rest = f"{la_code:03d}{rng.randrange(10_000):04d}{year % 100:02d}{rng.randrange(1000):03d}"
    return upn_check_letter(rest) + rest
