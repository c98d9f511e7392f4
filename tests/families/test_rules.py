"""The checks on identifiers, postcodes, dates and names (earlyhelp/families/rules.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from earlyhelp.families import rules

TODAY = date(2025, 6, 1)

# NHS England's published test numbers (the 943 476 … range is used in its own examples).
VALID_NHS_NUMBERS = ["9434765919", "9434765870", "9990000018", "4010232137"]

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def _weighted_sum(first_nine: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))


def _with_check_digit(first_nine: str) -> str | None:
    check = rules.nhs_number_check_digit(first_nine)
    return None if check is None else first_nine + str(check)


valid_nhs_numbers = nine_digits.map(_with_check_digit).filter(lambda number: number is not None)


# NHS number ------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_NHS_NUMBERS)
def test_published_test_nhs_numbers_are_valid(number):
    assert rules.nhs_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # wrong check digit
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943476591X",
        "",
        "abcdefghij",
    ],
)
def test_malformed_or_wrongly_checked_nhs_numbers_are_invalid(number):
    assert not rules.nhs_number_is_valid(number)


def test_nine_digits_whose_check_would_be_ten_have_no_valid_nhs_number():
    # 10×1 + 9×0 … + 2×0 = 10; 11 − 10 = 1 … find a prefix whose remainder is 1, so the check is 10.
    prefix = "000000006"  # 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10
    assert rules.nhs_number_check_digit(prefix) is None
    assert not any(rules.nhs_number_is_valid(prefix + str(digit)) for digit in range(10))


def test_a_remainder_of_zero_gives_a_check_digit_of_zero():
    assert rules.nhs_number_check_digit("000000000") == 0
    assert rules.nhs_number_is_valid("0000000000")


@given(nine_digits)
def test_any_nine_digits_with_their_computed_check_digit_are_valid_unless_the_check_is_ten(first_nine):
    check = 11 - _weighted_sum(first_nine) % 11
    if check == 10:
        assert rules.nhs_number_check_digit(first_nine) is None
    else:
        assert rules.nhs_number_is_valid(first_nine + str(check % 11))


@given(valid_nhs_numbers, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_of_a_valid_nhs_number_makes_it_invalid(number, position, shift):
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not rules.nhs_number_is_valid(changed)


@given(valid_nhs_numbers, st.integers(min_value=0, max_value=7))
def test_swapping_two_different_adjacent_digits_of_the_first_nine_makes_an_nhs_number_invalid(number, position):
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not rules.nhs_number_is_valid(swapped)


@given(valid_nhs_numbers)
def test_nhs_numbers_written_with_spaces_or_dashes_are_normalised_and_valid(number):
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    dashed = f"{number[:3]}-{number[3:6]}-{number[6:]}"
    assert rules.normalise_nhs_number(spaced) == number
    assert rules.normalise_nhs_number(dashed) == number
    assert rules.nhs_number_is_valid(spaced)
    assert rules.nhs_number_is_valid(dashed)


# Unique Pupil Number -----------------------------------------------------------------------------

# python-stdnum's documented example, computed from the DfE's published rule.
KNOWN_VALID_UPN = "B801200005001"

upn_bodies = st.builds(
    lambda digits, last: digits + last,
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from("0123456789" + rules.UPN_LETTERS),
)
valid_upns = upn_bodies.map(lambda body: rules.upn_check_letter(body) + body)


def test_a_published_example_upn_is_valid_and_a_wrong_check_letter_is_not():
    assert rules.upn_is_valid(KNOWN_VALID_UPN)
    assert not rules.upn_is_valid("A" + KNOWN_VALID_UPN[1:])


def test_the_upn_check_letter_is_the_weighted_sum_of_characters_two_to_thirteen_modulo_23():
    body = "801200005001"
    total = sum(int(char) * position for position, char in enumerate(body, start=2))
    assert rules.upn_check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


def test_a_temporary_upn_ending_in_a_letter_counts_the_letter_by_its_place_in_the_alphabet():
    body = "80120000500" + "C"  # C is 2 in A=0, B=1, C=2 …
    total = sum(int(char) * position for position, char in enumerate(body[:-1], start=2)) + 2 * 13
    assert rules.upn_check_letter(body) == rules.UPN_LETTERS[total % 23]
    assert rules.upn_is_valid(rules.upn_check_letter(body) + body)


@pytest.mark.parametrize(
    "upn",
    [
        "B80120000500",  # twelve characters
        "B8012000050011",  # fourteen
        "180120000500 1",  # starts with a digit
        "I801200005001",  # I, O and S are never check letters
        "B80120000A001",  # letters only at the start and the end
        "B80120000500S",
        "",
    ],
)
def test_malformed_upns_are_invalid(upn):
    assert not rules.upn_is_valid(upn)


def test_upns_are_normalised_to_upper_case_without_spaces():
    assert rules.normalise_upn(" b801 2000 05001 ") == KNOWN_VALID_UPN
    assert rules.upn_is_valid("b801 2000 05001")


@given(upn_bodies)
def test_any_body_with_its_computed_check_letter_is_a_valid_upn(body):
    assert rules.upn_is_valid(rules.upn_check_letter(body) + body)


@given(valid_upns, st.integers(min_value=1, max_value=11), st.integers(min_value=1, max_value=9))
def test_changing_any_one_of_the_eleven_digits_of_a_valid_upn_makes_it_invalid(upn, position, shift):
    # A change of d at weight w alters the sum by w × d; 23 is prime and w, |d| < 23, so the
    # remainder always moves.
    changed = upn[:position] + str((int(upn[position]) + shift) % 10) + upn[position + 1 :]
    assert not rules.upn_is_valid(changed)


@given(valid_upns, st.sampled_from(rules.UPN_LETTERS))
def test_changing_the_check_letter_of_a_valid_upn_makes_it_invalid(upn, letter):
    assume(letter != upn[0])
    assert not rules.upn_is_valid(letter + upn[1:])


@given(valid_upns, st.sampled_from("0123456789" + rules.UPN_LETTERS))
def test_changing_the_last_character_is_caught_unless_a_digit_becomes_the_letter_of_the_same_value(upn, new_last):
    # The rule values the 13th character 0–9 as a digit and A=0 … Z=22 as a letter, so "0"↔"A",
    # "1"↔"B" … "9"↔"K" leave the sum unchanged: the one single change it cannot see.
    assume(new_last != upn[-1])
    value = {char: index for index, char in enumerate(rules.UPN_LETTERS)} | {str(d): d for d in range(10)}
    changed = upn[:-1] + new_last
    assert rules.upn_is_valid(changed) == (value[new_last] == value[upn[-1]])


@given(valid_upns, st.integers(min_value=1, max_value=10))
def test_swapping_two_different_adjacent_digits_of_a_valid_upn_makes_it_invalid(upn, position):
    assume(upn[position] != upn[position + 1])
    swapped = upn[:position] + upn[position + 1] + upn[position] + upn[position + 2 :]
    assert not rules.upn_is_valid(swapped)


# Postcode --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    [
        "M1 1AE",  # A9 9AA
        "B33 8TH",  # A99 9AA
        "W1A 0AX",  # A9A 9AA
        "CR2 6XH",  # AA9 9AA
        "DN55 1PT",  # AA99 9AA
        "EC1A 1BB",  # AA9A 9AA
        "L36 9XY",
        "GIR 0AA",
    ],
)
def test_every_shape_of_uk_postcode_is_valid(postcode):
    assert rules.postcode_is_valid(postcode)


@pytest.mark.parametrize(
    ("given_postcode", "normalised"),
    [("l361aa", "L36 1AA"), ("  sw1a  1aa ", "SW1A 1AA"), ("ec1a1bb", "EC1A 1BB"), ("m11ae", "M1 1AE")],
)
def test_postcodes_are_normalised_to_upper_case_with_one_space_before_the_inward_code(given_postcode, normalised):
    assert rules.normalise_postcode(given_postcode) == normalised
    assert rules.postcode_is_valid(given_postcode)


@pytest.mark.parametrize(
    "postcode",
    [
        "L36",  # outward code only
        "L36 1",
        "Q1 1AA",  # Q never starts a postcode
        "LI1 1AA",  # I never comes second
        "L36 1CA",  # C never in the inward code
        "L36 AAA",
        "123 4AB",
        "L36-1AA",
        "",
    ],
)
def test_partial_or_impossible_postcodes_are_refused(postcode):
    assert not rules.postcode_is_valid(postcode)


# Dates and names -----------------------------------------------------------------------------


@given(st.dates(), st.dates())
def test_dates_are_in_order_when_the_end_is_not_before_the_start(start, end):
    assert rules.dates_in_order(start, end) == (start <= end)


@given(st.one_of(st.none(), st.dates()))
def test_a_missing_start_or_end_date_is_always_in_order(other):
    assert rules.dates_in_order(None, other)
    assert rules.dates_in_order(other, None)


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("Jane", "Smith"), "jane smith"),
        (("  JANE ", "SMITH  "), "jane smith"),
        (("Zoë", "Brontë"), "zoe bronte"),
        (("Siobhán", "O'Brien"), "siobhan o brien"),
        (("Mary-Jane", "Watson"), "mary jane watson"),
        (("Łucja", "Nowak"), "lucja nowak"),
        (("Søren", "Kierkegaard"), "soren kierkegaard"),
        (("Jane", ""), "jane"),
    ],
)
def test_names_are_compared_in_lower_case_without_accents_or_punctuation(parts, key):
    assert rules.name_search_key(*parts) == key


@given(st.text())
def test_a_name_search_key_has_only_lower_case_letters_digits_and_single_spaces(text):
    key = rules.name_search_key(text)
    assert key == key.strip()
    assert "  " not in key
    assert all(char.isascii() and (char.islower() or char.isdigit() or char == " ") for char in key)


# One word of a name and its slips -------------------------------------------------------------

_WORDS = st.text(alphabet="abcdehijlmnorstuy", min_size=3, max_size=12)


@st.composite
def _a_word_and_one_slip(draw):
    """A word and the word with one slip of the keyboard: a letter dropped, added, changed or swapped."""
    word = draw(_WORDS)
    at = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from("aeiourstn"))
    slipped = draw(
        st.sampled_from(
            [
                word[:at] + word[at + 1 :],
                word[:at] + letter + word[at:],
                word[:at] + letter + word[at + 1 :],
                word[:at] + word[at + 1 : at + 2] + word[at] + word[at + 2 :],
            ]
        )
    )
    assume(len(slipped) >= 3)
    return word, slipped


@given(_a_word_and_one_slip())
def test_a_word_typed_with_one_slip_matches_the_word_and_shares_a_variant_with_it(pair):
    word, typed = pair
    assert rules.name_word_matches(typed, word)
    assert rules.name_word_variants(typed) & rules.name_word_variants(word)


@pytest.mark.parametrize(
    ("typed", "word", "matches"),
    [
        ("smith", "smith", True),
        ("smyth", "smith", True),
        ("smtih", "smith", True),
        ("jnae", "jane", True),
        ("jayne", "jane", True),
        ("smitth", "smith", True),
        ("smtiht", "smith", False),
        ("jkae", "jane", False),
        ("ed", "ed", True),
        ("ed", "ted", False),
        ("al", "ali", False),
    ],
)
def test_a_typed_word_matches_the_words_one_slip_away_and_a_word_of_two_letters_only_itself(typed, word, matches):
    assert rules.name_word_matches(typed, word) is matches


def test_the_variants_of_a_word_leave_out_one_letter_each():
    assert rules.name_word_variants("jane") == {"jane", "ane", "jne", "jae", "jan"}
    assert rules.name_word_variants("o") == {"o"}


# All of a person's fields together ------------------------------------------------------------


def test_each_field_that_breaks_its_rule_is_named_with_the_rules_message():
    errors = rules.person_field_errors(
        nhs_number="9434765918",
        upn="A801200005001",
        postcode="L36",
        date_of_birth=TODAY + timedelta(days=1),
        today=TODAY,
    )
    assert errors == {
        "nhs_number": rules.NHS_NUMBER_INVALID,
        "upn": rules.UPN_INVALID,
        "postcode": rules.POSTCODE_INVALID,
        "date_of_birth": rules.DATE_OF_BIRTH_IN_FUTURE,
    }


def test_a_date_of_birth_and_an_expected_date_together_are_refused():
    errors = rules.person_field_errors(
        date_of_birth=date(2020, 1, 1), expected_date_of_birth=TODAY + timedelta(days=30), today=TODAY
    )
    assert errors == {"expected_date_of_birth": rules.BIRTH_AND_EXPECTED}


def test_valid_or_empty_fields_give_no_errors():
    assert rules.person_field_errors(today=TODAY) == {}
    assert (
        rules.person_field_errors(
            nhs_number="943 476 5919", upn=KNOWN_VALID_UPN, postcode="l36 9xy", date_of_birth=TODAY, today=TODAY
        )
        == {}
    )
