"""Synthetic NHS numbers for a register of any size: never reused, reproducible, and a clear stop."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from earlyhelp.demo.identifiers import (
    NHS_NUMBERS_EXHAUSTED,
    NO_NHS_NUMBER_SHARE,
    NhsNumberPool,
    NhsNumbersExhaustedError,
)
from earlyhelp.families import rules
from earlyhelp.families.models import Person

# The valid numbers of the stems 999 000 000 to 999 000 021, worked out apart from the code: the
# weighted sum (weights 10 to 2) is 9*10 + 9*9 + 9*8 = 243, plus 3 * the eighth digit and 2 * the
# ninth; the check digit is 11 - sum mod 11 (11 becomes 0, 10 means no number: 000 and 014).
SMALL_RANGE_NUMBERS = {
    "9990000018", "9990000026", "9990000034", "9990000042", "9990000050",
    "9990000069", "9990000077", "9990000085", "9990000093",
    "9990000107", "9990000115", "9990000123", "9990000131",
    "9990000158", "9990000166", "9990000174", "9990000182", "9990000190",
    "9990000204", "9990000212",
}  # fmt: skip


def test_a_million_draws_less_the_invalid_stems_give_each_valid_number_of_the_range_once():
    pool = NhsNumberPool(random.Random(7))
    numbers = [pool.draw() for _ in range(909_091)]
    assert len(set(numbers)) == 909_091
    assert all(number.startswith("999") for number in numbers)
    assert all(rules.nhs_number_is_valid(number) for number in numbers[::997])
    with pytest.raises(NhsNumbersExhaustedError):
        pool.draw()


def test_a_small_range_gives_exactly_its_valid_numbers_then_stops_with_the_message():
    pool = NhsNumberPool(random.Random(3), size=22)
    drawn = [pool.draw() for _ in range(len(SMALL_RANGE_NUMBERS))]
    assert set(drawn) == SMALL_RANGE_NUMBERS
    with pytest.raises(NhsNumbersExhaustedError) as raised:
        pool.draw()
    assert str(raised.value) == NHS_NUMBERS_EXHAUSTED.format(size=22)


def test_numbers_already_taken_are_never_given_again():
    taken = {"9990000018", "9990000115", "9990000212"}
    pool = NhsNumberPool(random.Random(5), size=22, taken=taken)
    drawn = [pool.draw() for _ in range(len(SMALL_RANGE_NUMBERS) - len(taken))]
    assert set(drawn) == SMALL_RANGE_NUMBERS - taken
    with pytest.raises(NhsNumbersExhaustedError):
        pool.draw()


def test_the_same_seed_draws_the_same_numbers_and_another_seed_different_ones():
    def draws(seed: int) -> list[str | None]:
        pool = NhsNumberPool(random.Random(seed))
        return [pool.for_person() for _ in range(500)]

    assert draws(1) == draws(1)
    assert draws(1) != draws(2)


def test_about_the_documented_share_of_people_have_no_nhs_number():
    pool = NhsNumberPool(random.Random(9))
    numbers = [pool.for_person() for _ in range(20_000)]
    missing = numbers.count(None) / len(numbers)
    assert 0 < NO_NHS_NUMBER_SHARE < 0.5
    assert abs(missing - NO_NHS_NUMBER_SHARE) < 0.01
    given = [number for number in numbers if number is not None]
    assert len(set(given)) == len(given)


@pytest.mark.django_db
def test_the_demo_borough_leaves_some_people_and_every_unborn_child_without_an_nhs_number():
    call_command("seed_demo", families=60, seed=4, stdout=StringIO())
    people = Person.objects.count()
    without = Person.objects.filter(nhs_number=None).count()
    assert 0 < without < people / 2
    assert not Person.objects.filter(date_of_birth=None).exclude(nhs_number=None).exists()
