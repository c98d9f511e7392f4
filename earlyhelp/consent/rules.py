"""Who may consent, and what a consent covers. Pure decisions: no database."""

from datetime import date

ADULT_AGE = 18

NOT_COMPETENT = (
    "Someone under 18 consents for themselves only if you judge them competent to: "
    "confirm it, or record a parent's or carer's consent instead"
)
UNBORN = "An unborn child cannot give consent: record a parent's consent instead"
CHOOSE_AGENCIES = "Choose at least one agency the information may be shared with"
CHOOSE_PURPOSE = "Choose what the information may be shared for"
GIVEN_IN_FUTURE = "The date consent was given must be today or in the past"
WITHDRAWN_BEFORE_GIVEN = "Consent cannot be withdrawn before the date it was given"
ALREADY_WITHDRAWN = "This consent has already been withdrawn"
NOT_COVERED = (
    "The family has not consented to sharing their information with {agency} for this purpose: "
    "record their consent, or record a lawful basis for sharing without it and have a manager confirm it"
)
REASON_REQUIRED = "Explain why the information must be shared without consent"
CHOOSE_BASIS = "Choose the lawful basis for sharing without consent"
MANAGER_ONLY = "Only a team manager can confirm sharing without consent"
NOT_YOUR_OWN = "A manager other than the person who asked must confirm sharing without consent"
ALREADY_DECIDED = "This request has already been decided"


def age_on(date_of_birth: date | None, today: date) -> int | None:
    if date_of_birth is None:
        return None
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def consent_error(*, date_of_birth: date | None, unborn: bool, competent: bool, today: date) -> str | None:
    """Why this person cannot give consent themselves, or None if they can."""
    if unborn:
        return UNBORN
    age = age_on(date_of_birth, today)
    if (age is None or age < ADULT_AGE) and not competent:
        return NOT_COMPETENT
    return None
