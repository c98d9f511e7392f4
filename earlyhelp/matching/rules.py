"""Pure decisions of record matching, with no database: the bands and the phonetic key used for blocking."""

from dataclasses import dataclass
from enum import StrEnum


class Band(StrEnum):
    AUTO_LINK = "auto_link"
    REVIEW = "review"
    NO_MATCH = "no_match"


BANDS_ORDER_INVALID = "The clerical review threshold must be below the auto-link threshold, both between 0 and 1"


@dataclass(frozen=True)
class Bands:
    """Match probabilities at or above `auto_link` link without a person; from `review` up, a person decides."""

    auto_link: float = 0.99
    review: float = 0.80
    # Twins and siblings share a family name, a birthday or a home: without this, only the given name parts them.
    hold_different_given_names: bool = True
    # A parent and a child with one name share a home: without this, only the date of birth parts them.
    hold_a_generation_apart: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.review < self.auto_link <= 1:
            raise ValueError(BANDS_ORDER_INVALID)

    def band(self, probability: float | None) -> Band:
        if probability is None or probability < self.review:
            return Band.NO_MATCH
        return Band.AUTO_LINK if probability >= self.auto_link else Band.REVIEW


# Words written where a given name is not known: titles, a relation or a description ("Baby", "Daughter of", "Mum"),
# or a note that it is unknown. Such a record's given name is read as missing, not as a name that differs.
PLACEHOLDER_GIVEN_NAMES = frozenset(
    {
        "MR",
        "MRS",
        "MS",
        "MISS",
        "MX",
        "DR",
        "SIR",
        "LADY",
        "REV",
        "MASTER",
        "MOTHER",
        "MUM",
        "MUMMY",
        "MOM",
        "MOMMY",
        "FATHER",
        "DAD",
        "DADDY",
        "DAUGHTER",
        "BROTHER",
        "SISTER",
        "CHILD",
        "KID",
        "BABY",
        "INFANT",
        "NEWBORN",
        "TWIN",
        "BOY",
        "GIRL",
        "MALE",
        "FEMALE",
        "MAN",
        "WOMAN",
        "ADULT",
        "MINOR",
        "HUSBAND",
        "WIFE",
        "PARTNER",
        "SPOUSE",
        "GRANDSON",
        "GRANDDAUGHTER",
        "GRANDCHILD",
        "GRANDMOTHER",
        "GRANDFATHER",
        "GRANDMA",
        "GRANDPA",
        "AUNT",
        "AUNTIE",
        "UNCLE",
        "NEPHEW",
        "NIECE",
        "COUSIN",
        "STEPSON",
        "STEPDAUGHTER",
        "STEPCHILD",
        "LODGER",
        "TENANT",
        "RESIDENT",
        "OCCUPIER",
        "OCCUPANT",
        "HOUSEHOLDER",
        "UNKNOWN",
        "UNK",
        "NK",
        "NOTKNOWN",
        "NOTGIVEN",
        "NOTSTATED",
        "NONE",
        "NIL",
        "TBC",
        "TBA",
        "UNNAMED",
        "NONAME",
        "NAME",
        "FIRSTNAME",
    }
)

_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def soundex(name: str | None) -> str | None:
    """American Soundex of a name (Robert and Rupert both R163); None when it has no letters."""
    letters = [letter for letter in (name or "").upper() if "A" <= letter <= "Z"]
    if not letters:
        return None
    code = letters[0]
    previous = _SOUNDEX_CODES.get(letters[0], "")
    for letter in letters[1:]:
        digit = _SOUNDEX_CODES.get(letter, "")
        if digit and digit != previous:
            code += digit
        # H and W do not separate two letters of the same code; vowels do.
        if letter not in "HW":
            previous = digit
    return (code + "000")[:4]


def guarded_band(
    bands: Bands,
    probability: float | None,
    *,
    given_names_differ: bool,
    identifier_agrees: bool,
    identifier_differs: bool,
    dates_of_birth_differ: bool = False,
) -> Band:
    """The band, after guards that scores alone cannot give: a different NHS number or UPN is a different
    person, and wholly different given names (twins, siblings) or dates of birth a generation apart (a parent
    and a child with one name) are never linked without a person's review."""
    if identifier_differs:
        return Band.NO_MATCH
    band = bands.band(probability)
    if band is Band.AUTO_LINK and (given_names_differ or dates_of_birth_differ) and not identifier_agrees:
        return Band.REVIEW
    return band


# A parent is at least this many years older than a child; a keying slip seldom moves a year this far.
GENERATION_YEARS = 12


def a_generation_apart(born: str | None, other: str | None) -> bool:
    """Two dates of birth (YYYYMMDD) whose years are a generation apart, as a parent's and a child's are."""
    if not born or not other or not born[:4].isdigit() or not other[:4].isdigit():
        return False
    return abs(int(born[:4]) - int(other[:4])) >= GENERATION_YEARS


def nhs_number_valid(number: str | None) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine, as the NHS issues them."""
    if not number or len(number) != 10 or not number.isdigit():
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(number[9])
