"""Each cell's checks: formulas recognised, identifiers validated, each column type parsed or refused."""

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.demo.identifiers import synthetic_nhs_number, synthetic_upn
from earlyhelp.imports import messages
from earlyhelp.imports.layouts import Column, ColumnType, Role
from earlyhelp.imports.rules import (
    ValueRefusedError,
    looks_like_formula,
    nhs_number_is_valid,
    parse_value,
    postcode_normalised,
    upn_is_valid,
)


def column(kind: ColumnType, **options) -> Column:
    role = Role.IDENTIFYING if kind in {ColumnType.NHS_NUMBER, ColumnType.UPN, ColumnType.POSTCODE} else Role.FACT
    return Column(name="value", type=kind, role=role, **options)


def refused_rule(kind: ColumnType, raw, **options) -> str:
    with pytest.raises(ValueRefusedError) as refused:
        parse_value(column(kind, **options), raw)
    return refused.value.rule


@given(number=st.one_of(st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=3)))
def test_a_plain_number_with_its_sign_is_never_taken_for_a_formula(number):
    assert not looks_like_formula(str(number))
    assert not looks_like_formula(f"+{number}".replace("+-", "-"))


@given(start=st.sampled_from("=+-@"), rest=st.text(min_size=1).filter(lambda t: not t[0].isdigit() and t[0] != "."))
def test_a_sign_followed_by_anything_but_a_number_is_a_formula(start, rest):
    assert looks_like_formula(start + rest)


@given(text=st.text().filter(lambda t: t.lstrip(" \t\r\n")[:1] not in set("=+-@")))
def test_text_that_does_not_begin_with_a_formula_sign_is_not_a_formula(text):
    assert not looks_like_formula(text)


def test_a_lone_sign_or_dash_is_text_not_a_formula():
    assert not looks_like_formula("-")
    assert not looks_like_formula("=")


@given(seed=st.integers())
def test_synthetic_nhs_numbers_are_valid_and_changing_one_digit_makes_them_invalid(seed):
    number = synthetic_nhs_number(random.Random(seed))
    assert nhs_number_is_valid(number)
    position = seed % 10
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    assert not nhs_number_is_valid(changed)


@given(seed=st.integers())
def test_synthetic_upns_are_valid_and_a_wrong_check_letter_is_refused(seed):
    upn = synthetic_upn(random.Random(seed))
    assert upn_is_valid(upn)
    assert not upn_is_valid(("B" if upn[0] == "A" else "A") + upn[1:])


def test_an_nhs_number_written_with_spaces_is_kept_as_ten_digits():
    assert parse_value(column(ColumnType.NHS_NUMBER), " 943 476 5919 ") == "9434765919"


def test_an_nhs_number_is_refused_by_its_check_digit():
    assert refused_rule(ColumnType.NHS_NUMBER, "9434765918") == "nhs_number"


@pytest.mark.parametrize(("raw", "expected"), [("sw1a1aa", "SW1A 1AA"), ("L36 1AA", "L36 1AA"), (" m1  1ae", "M1 1AE")])
def test_a_postcode_is_kept_in_its_standard_form(raw, expected):
    assert postcode_normalised(raw) == expected
    assert parse_value(column(ColumnType.POSTCODE), raw) == expected


@given(value=st.integers(min_value=-(10**12), max_value=10**12))
def test_an_integer_written_as_text_or_read_as_a_number_parses_to_itself(value):
    assert parse_value(column(ColumnType.INTEGER), str(value)) == value
    assert parse_value(column(ColumnType.INTEGER), float(value)) == value


@pytest.mark.parametrize("raw", ["1.5", "1,000", "ten", True, 2.5])
def test_what_is_not_a_whole_number_is_refused_from_an_integer_column(raw):
    assert refused_rule(ColumnType.INTEGER, raw) == "integer"


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_a_decimal_written_as_text_parses_to_itself(value):
    assert parse_value(column(ColumnType.DECIMAL), str(value)) == value


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "1e5", "12,5", "£3"])
def test_what_is_not_a_plain_decimal_is_refused(raw):
    assert refused_rule(ColumnType.DECIMAL, raw) == "decimal"


def test_a_workbook_float_becomes_the_decimal_it_shows():
    assert parse_value(column(ColumnType.DECIMAL), 0.1) == Decimal("0.1")


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_in_either_default_form_parses_to_itself(day):
    assert parse_value(column(ColumnType.DATE), day.isoformat()) == day
    assert parse_value(column(ColumnType.DATE), day.strftime("%d/%m/%Y")) == day
    assert parse_value(column(ColumnType.DATE), datetime(day.year, day.month, day.day)) == day  # noqa: DTZ001


def test_a_workbook_date_with_a_time_of_day_is_refused_from_a_date_column():
    assert refused_rule(ColumnType.DATE, datetime(2025, 3, 31, 9, 30)) == "date"  # noqa: DTZ001


def test_a_date_column_with_its_own_formats_names_them_in_its_refusal():
    with pytest.raises(ValueRefusedError) as refused:
        parse_value(column(ColumnType.DATE, date_formats=("%d.%m.%Y",)), "2025-03-31")

    assert refused.value.message == messages.VALUE_NOT_DATE.format(example="31.03.2025")


@pytest.mark.parametrize(("raw", "expected"), [("Yes", True), ("n", False), ("TRUE", True), ("0", False), (1, True)])
def test_yes_and_no_in_their_common_spellings_are_booleans(raw, expected):
    assert parse_value(column(ColumnType.BOOLEAN), raw) is expected


def test_a_choice_is_matched_whatever_its_case_and_kept_as_the_layout_spells_it():
    assert parse_value(column(ColumnType.CHOICE, choices=("Primary", "Secondary")), " secondary ") == "Secondary"


def test_a_number_in_a_text_column_of_a_workbook_is_kept_as_the_text_it_shows():
    assert parse_value(column(ColumnType.TEXT), 12345.0) == "12345"


@given(text=st.text(min_size=1, max_size=30).filter(str.strip))
def test_text_longer_than_the_limit_is_refused_and_text_within_it_is_kept_trimmed(text):
    limit = len(text.strip())
    assert parse_value(column(ColumnType.TEXT, max_length=limit), text) == text.strip()
    assert refused_rule(ColumnType.TEXT, text.strip() + "x", max_length=limit) == "max_length"


@given(digits=st.text(alphabet=st.characters(categories=["Nd"], exclude_characters="0123456789"), min_size=1))
def test_digits_of_other_scripts_are_not_numbers_or_identifiers(digits):
    assert refused_rule(ColumnType.INTEGER, digits) == "integer"
    assert refused_rule(ColumnType.DECIMAL, digits) == "decimal"
    assert not nhs_number_is_valid((digits * 10)[:10])
    assert not upn_is_valid("A" + (digits * 12)[:12])
