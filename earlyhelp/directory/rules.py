"""Decisions about directory listings that need no database: ages, days, distances, staleness,
postcode areas and the plain-language summaries families read. Pure functions."""

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from earlyhelp.families.rules import normalise_postcode, postcode_is_valid

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(
    zip(DAY_CODES, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
_DAY_ALIASES = {name.lower(): code for code, name in DAY_NAMES.items()} | {
    name.lower()[:3]: code for code, name in DAY_NAMES.items()
}
_BYDAY_PART = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_OUTWARD_CODE = re.compile(r"^[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)$")

EARTH_RADIUS_M = 6_371_000
MILE_M = 1609.344

AGES_OUT_OF_ORDER = "The youngest age must be the same as or less than the oldest age"
AGE_NEGATIVE = "Ages must be 0 or more"
TIMES_OUT_OF_ORDER = "The closing time must be after the opening time"


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode ("L36 9XY" -> "L36")."""
    return normalise_postcode(postcode).split(" ")[0]


def postcode_sector(postcode: str) -> str:
    """The outward code and the first digit of the inward code ("L36 9XY" -> "L36 9")."""
    normal = normalise_postcode(postcode)
    return normal[:-2] if " " in normal else normal


def outward_code_is_valid(value: str) -> bool:
    return bool(_OUTWARD_CODE.match(value.strip().upper()))


def parse_postcode_districts(extent: str) -> list[str]:
    """The postcode districts a "text" service area lists ("L33, L34"), or none if it lists anything else."""
    tokens = [token.upper() for token in re.split(r"[\s,;]+", extent or "") if token]
    if tokens and all(outward_code_is_valid(token) for token in tokens):
        return list(dict.fromkeys(tokens))
    return []


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_text(metres: float) -> str:
    """How far, as a family reads it: "0.3 miles", "2 miles"."""
    miles = metres / MILE_M
    if miles < 0.1:
        return "less than 0.1 miles"
    if miles < 10:
        return f"{miles:.1f} miles"
    return f"{miles:.0f} miles"


def age_fits(age: Decimal | int | None, minimum: Decimal | None, maximum: Decimal | None) -> bool:
    """Whether a child of `age` (whole years) is within a service's age range; no limit means any age."""
    if age is None:
        return True
    return (minimum is None or minimum <= age) and (maximum is None or age <= maximum)


def age_range_errors(minimum: Decimal | None, maximum: Decimal | None) -> dict[str, str]:
    errors = {}
    if (minimum is not None and minimum < 0) or (maximum is not None and maximum < 0):
        errors["minimum_age" if minimum is not None and minimum < 0 else "maximum_age"] = AGE_NEGATIVE
    elif minimum is not None and maximum is not None and minimum > maximum:
        errors["maximum_age"] = AGES_OUT_OF_ORDER
    return errors


def _age_words(value: Decimal) -> str:
    if value < 1 and value > 0:
        months = round(value * 12)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{value.normalize():f}"


def age_range_text(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """ "Ages 0 to 5", "Ages 11 and over", "Up to age 19", "All ages"."""
    if minimum is None or minimum == 0:
        return "All ages" if maximum is None else f"Up to age {_age_words(maximum)}"
    if maximum is None:
        return f"Ages {_age_words(minimum)} and over"
    return f"Ages {_age_words(minimum)} to {_age_words(maximum)}"


def day_code(value: str) -> str | None:
    """ "MO", "monday", "Mon" -> "MO"; anything else -> None."""
    text = (value or "").strip()
    if text.upper() in DAY_CODES:
        return text.upper()
    return _DAY_ALIASES.get(text.lower())


def byday_codes(byday: str) -> list[str]:
    """The weekdays an RFC 5545 BYDAY names ("MO,2TU,-1FR" -> ["MO", "TU", "FR"]), in week order."""
    found = set()
    for part in (byday or "").upper().replace(" ", "").split(","):
        match = _BYDAY_PART.match(part)
        if match:
            found.add(match.group(2))
    return [code for code in DAY_CODES if code in found]


def byday_is_valid(byday: str) -> bool:
    parts = [part for part in (byday or "").upper().replace(" ", "").split(",") if part]
    return all(_BYDAY_PART.match(part) for part in parts)


def _clock(value: time) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value == time(12, 0):
        return "midday"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def schedule_text(
    *, freq: str, interval: int | None, byday: str, opens_at: time | None, closes_at: time | None, description: str
) -> str:
    """One schedule in words: "Mondays and Thursdays, 9:30am to 11:30am". The provider's own words win."""
    if description:
        return description
    days = byday_codes(byday)
    when = ""
    if days == list(DAY_CODES[:5]):
        when = "Monday to Friday"
    elif days:
        when = _join([f"{DAY_NAMES[code]}s" for code in days])
    if freq == "WEEKLY" and interval and interval > 1:
        when = f"Every {interval} weeks on {when}" if when else f"Every {interval} weeks"
    elif freq == "MONTHLY":
        when = f"Monthly{', ' + when if when else ''}"
    hours = ""
    if opens_at and closes_at:
        hours = f"{_clock(opens_at)} to {_clock(closes_at)}"
    elif opens_at:
        hours = f"from {_clock(opens_at)}"
    return ", ".join(part for part in (when, hours) if part) or "Ask the service when it runs"


def cost_text(amounts: Iterable[tuple[str, Decimal | None, str]], fees: str) -> str:
    """What it costs, in words: "Free", "£2.50 per session", or the provider's own description."""
    options = list(amounts)
    paid = [(option, amount, per) for option, amount, per in options if amount]
    if options and not paid:
        return "Free"
    if paid:
        parts = []
        for option, amount, per in paid:
            text = f"£{amount:.2f}" + (f" {per}" if per else "")
            parts.append(f"{text} ({option})" if option else text)
        return "; ".join(parts)
    return fees or "Ask the service about any cost"


def stale_before(*, today: date, stale_after_days: int) -> date:
    """Listings last reviewed before this date are stale."""
    return today - timedelta(days=stale_after_days)


def is_stale(assured_date: date | None, *, today: date, stale_after_days: int) -> bool:
    """A listing nobody has checked for longer than the configured time, or never, is stale."""
    return assured_date is None or assured_date < stale_before(today=today, stale_after_days=stale_after_days)


def review_due(assured_date: date | None, *, stale_after_days: int) -> date | None:
    return None if assured_date is None else assured_date + timedelta(days=stale_after_days)


def coverage_level(count: int, *, few: int) -> str:
    """ "none", "few" or "enough" services for a need in a locality: the commissioners' gap."""
    if count == 0:
        return "none"
    return "few" if count <= few else "enough"


def search_text_of(*parts: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: the words a search matches."""
    text = unicodedata.normalize("NFKD", " ".join(part for part in parts if part))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def search_words(query: str) -> list[str]:
    """The words of a free-text search, at most eight, each of two letters or more."""
    return [word for word in search_text_of(query).split() if len(word) >= 2][:8]


def clean_postcode(value: str) -> str | None:
    """A full UK postcode in its usual form, or None."""
    return normalise_postcode(value) if value and postcode_is_valid(value) else None


def oruk_number(value: Decimal | None) -> int | float | None:
    """A decimal as ORUK's JSON number: whole numbers without a fraction."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def whole_milliseconds(moment: datetime) -> datetime:
    """A moment to the millisecond: ORUK's last_modified precision, so an export reads back unchanged."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
