"""Synthetic identifiers that pass their checks but can never be real people's."""

import math
import random
from collections.abc import Container

from earlyhelp.families.rules import nhs_number_check_digit, upn_check_letter

# NHS England reserves the numbers starting 999 for testing and never issues them: the first nine
# digits run from 999 000 000 to 999 999 999, and the 1 in 11 of those whose check digit would be
# 10 are not numbers at all, which leaves 909,091.
NHS_TEST_RANGE_START = 999_000_000
NHS_TEST_RANGE_SIZE = 1_000_000

# An assumption, not a measured figure: 1 person in 10 on a council's early help register has no
# NHS number recorded. Everyone registered with a GP in England has one, but councils' records are
# matched to the NHS Personal Demographics Service only in part (the consistent child identifier
# is still being brought in), and some families have only just arrived in the country. Unborn
# children never have one; the builder leaves them out, apart from this share. At this share the
# range gives numbers for a register of about 1,000,000 people (909,091 / 0.9) before it runs out.
NO_NHS_NUMBER_SHARE = 0.1

NHS_NUMBERS_EXHAUSTED = (
    "Every synthetic NHS number of the range has been given ({size:,} nine-digit stems walked): "
    "build fewer people, or start from an empty register."
)


class NhsNumbersExhaustedError(ValueError):
    """Raised when a pool has no synthetic NHS number left to give."""


def _nhs_number(stem: int) -> str | None:
    first_nine = f"{stem:09d}"
    check = nhs_number_check_digit(first_nine)
    return None if check is None else first_nine + str(check)


def synthetic_nhs_number(rng: random.Random) -> str:
    """An NHS number from the 999 range, which NHS England reserves for testing and never issues."""
    while (number := _nhs_number(NHS_TEST_RANGE_START + rng.randrange(NHS_TEST_RANGE_SIZE))) is None:
        pass
    return number


class NhsNumberPool:
    """Synthetic NHS numbers drawn without replacement, in an order fixed by the random generator.

    The stems are visited as `start + (offset + i * stride) mod size` for i = 0, 1, 2, ...: with
    the stride coprime to the size this walks every stem exactly once, so each draw costs O(1)
    (plus the one stem in eleven that is not a number, and any number already `taken`) and no
    number is ever given twice, however large the register.
    """

    def __init__(
        self,
        rng: random.Random,
        *,
        taken: Container[str] = frozenset(),
        start: int = NHS_TEST_RANGE_START,
        size: int = NHS_TEST_RANGE_SIZE,
        missing_share: float = NO_NHS_NUMBER_SHARE,
    ) -> None:
        self._rng = rng
        self._taken = taken
        self._start = start
        self._size = size
        self._missing_share = missing_share
        self._offset = rng.randrange(size)
        self._stride = rng.randrange(1, size + 1)
        while math.gcd(self._stride, size) != 1:
            self._stride += 1
        self._walked = 0

    def draw(self) -> str:
        """The next unused NHS number; NhsNumbersExhaustedError when every stem has been walked."""
        while self._walked < self._size:
            stem = self._start + (self._offset + self._walked * self._stride) % self._size
            self._walked += 1
            number = _nhs_number(stem)
            if number is not None and number not in self._taken:
                return number
        raise NhsNumbersExhaustedError(NHS_NUMBERS_EXHAUSTED.format(size=self._size))

    def for_person(self) -> str | None:
        """A new NHS number, or None for the share of people recorded without one."""
        if self._rng.random() < self._missing_share:
            return None
        return self.draw()


def synthetic_upn(rng: random.Random, *, la_code: int = 999, year: int = 24) -> str:
    """A UPN with local authority code 999, which no authority holds: check letter, LA code (3),
    establishment number (4), year of issue (2) and serial number (3)."""
    rest = f"{la_code:03d}{rng.randrange(10_000):04d}{year % 100:02d}{rng.randrange(1000):03d}"
    return upn_check_letter(rest) + rest
