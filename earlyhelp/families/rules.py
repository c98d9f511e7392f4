"""Checks on identifiers and dates in the family register. Pure functions, no database."""

import re
import unicodedata
from datetime import date

from rapidfuzz.distance import OSA

NHS_NUMBER_INVALID = "NHS number must be 10 digits with a valid check digit (modulus 11)"
UPN_INVALID = (
    "Unique Pupil Number must be 13 characters: a check letter, 11 digits, then a digit or letter, "
    "with a valid check letter"
)
POSTCODE_INVALID = "Postcode must be a full UK postcode, like SW1A 1AA"
DATES_OUT_OF_ORDER = "The end date must be the same as or after the start date"
DATE_OF_BIRTH_IN_FUTURE = (
    "Date of birth must be today or in the past; for an unborn child give the expected date instead"
)
BIRTH_AND_EXPECTED = "Give either a date of birth or an expected date of birth, not both"

# Latin letters that Unicode does not decompose into a base letter and an accent (Ł is not L + ´).
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"}
)

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: I, O and S are never used

# The full set of valid UK postcode shapes, including the special cases (GIR 0AA).
_POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None where no digit can be valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_is_valid(value: str) -> bool:
    number = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", number):
        return False
    return nhs_number_check_digit(number[:9]) == int(number[9])


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2 to 13 of a UPN, weighted by their position."""
    total = 0
    for position, char in enumerate(last_twelve, start=2):
        total += (int(char) if char.isdigit() else UPN_LETTERS.index(char)) * position
    return UPN_LETTERS[total % 23]


def upn_is_valid(value: str) -> bool:
    upn = normalise_upn(value)
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]", upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code ("l361aa" -> "L36 1AA")."""
    compact = re.sub(r"\s", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_is_valid(value: str) -> bool:
    return bool(_POSTCODE_RE.match(normalise_postcode(value)))


def dates_in_order(start: date | None, end: date | None) -> bool:
    return start is None or end is None or start <= end


def name_search_key(*parts: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: the form names are matched in."""
    text = " ".join(part for part in parts if part)
    text = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower())
    return " ".join(text.split())


def name_word_variants(word: str) -> set[str]:
    """The word and the word with each one of its letters left out. Two words one slip of the keyboard
    apart (a letter dropped, added or changed, or two letters swapped) share one of these, so a typed
    word finds its dictionary word by exact lookups (migration families/0005 makes the same in SQL)."""
    if len(word) < 2:
        return {word}
    return {word} | {word[:at] + word[at + 1 :] for at in range(len(word))}


def name_word_slips_allowed(typed: str) -> int:
    """Slips forgiven in one typed word of a name: none in a word of one or two letters (every short
    word is one slip from dozens of others), one otherwise."""
    return 0 if len(typed) < 3 else 1


def name_word_matches(typed: str, word: str) -> bool:
    """Whether `word` is `typed` or `typed` with the slips its length forgives (swapping two letters
    is one slip: optimal string alignment distance)."""
    allowed = name_word_slips_allowed(typed)
    return OSA.distance(typed, word, score_cutoff=allowed) <= allowed


def name_has_words(typed_key: str, key: str) -> bool:
    """Whether every word typed matches a word of the name (search keys both), in any order."""
    words = key.split()
    return all(any(name_word_matches(typed, word) for word in words) for typed in typed_key.split())


def person_field_errors(
    *,
    date_of_birth: date | None = None,
    expected_date_of_birth: date | None = None,
    nhs_number: str | None = None,
    upn: str | None = None,
    postcode: str | None = None,
    today: date,
) -> dict[str, str]:
    """Each field that breaks its rule, with the rule's message. Empty means all is well."""
    errors: dict[str, str] = {}
    if nhs_number and not nhs_number_is_valid(nhs_number):
        errors["nhs_number"] = NHS_NUMBER_INVALID
    if upn and not upn_is_valid(upn):
        errors["upn"] = UPN_INVALID
    if postcode and not postcode_is_valid(postcode):
        errors["postcode"] = POSTCODE_INVALID
    if date_of_birth and expected_date_of_birth:
        errors["expected_date_of_birth"] = BIRTH_AND_EXPECTED
    elif date_of_birth and date_of_birth > today:
        errors["date_of_birth"] = DATE_OF_BIRTH_IN_FUTURE
    return errors


# --- Why a child has no NHS number (Children's Wellbeing and Schools Act 2026, s.16LC) ---------------

NHS_MISSING_REASON_REQUIRED = "Choose why the child has no NHS number"
NHS_MISSING_DETAIL_REQUIRED = "Say what the reason is: it is needed when the reason is “withheld” or “another reason”"
NHS_MISSING_DETAIL_TOO_LONG = "The reason must be 500 characters or fewer"
NHS_MISSING_HAS_NUMBER = "This person has an NHS number: a reason is recorded only when the NHS number is missing"
NHS_MISSING_ADULT = "This person is 18 or over: a reason for a missing NHS number is recorded for children only"
# Reasons that need words of their own.
NHS_MISSING_NEEDS_DETAIL = frozenset({"withheld", "other"})
NHS_MISSING_DETAIL_LENGTH = 500
ADULT_AGE = 18


def is_adult(date_of_birth: date | None, today: date) -> bool:
    """18 or over today; someone whose date of birth is not known (or who is unborn) is not counted as one."""
    if date_of_birth is None:
        return False
    birthday_passed = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if birthday_passed else 1) >= ADULT_AGE


def nhs_missing_reason_errors(
    *, reason: str, detail: str, reasons: list[str], has_nhs_number: bool, date_of_birth: date | None, today: date
) -> dict[str, str]:
    """What is wrong with recording why a child has no NHS number, by field (empty: nothing)."""
    if has_nhs_number:
        return {"reason": NHS_MISSING_HAS_NUMBER}
    if is_adult(date_of_birth, today):
        return {"reason": NHS_MISSING_ADULT}
    errors = {}
    if reason not in reasons:
        errors["reason"] = NHS_MISSING_REASON_REQUIRED
    elif reason in NHS_MISSING_NEEDS_DETAIL and not detail.strip():
        errors["detail"] = NHS_MISSING_DETAIL_REQUIRED
    if len(detail.strip()) > NHS_MISSING_DETAIL_LENGTH:
        errors["detail"] = NHS_MISSING_DETAIL_TOO_LONG
    return errors
