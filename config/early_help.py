"""The product's own settings, `settings.EARLY_HELP`: one typed, frozen object read from the environment.

Product code reads attributes (`settings.EARLY_HELP.journey.triage_within_hours`), so a misspelt name
is a type error rather than a KeyError in one rarely run branch. Tests change a value with
`dataclasses.replace` and assign the result to `settings.EARLY_HELP`.
"""

from dataclasses import dataclass, field

from config.env import env_float, env_int, env_str


@dataclass(frozen=True)
class JourneySettings:
    """The early help journey (earlyhelp/journey, docs/journey.md)."""

    # A new support request is due for triage this many hours after it arrives.
    triage_within_hours: int = 72
    # The team a family is stepped down to has this many days to accept.
    step_down_accept_within_days: int = 5
    # Total indicator weight at which the thresholds tool suggests levels 2, 3 and 4.
    level_weight_thresholds: tuple[int, int, int] = (1, 6, 12)
    # A review prompts the lead professional to consider a step when the family's 0-10 scale moves by at
    # least this much, or the level of need crosses into level 4 (step up) or down to level 1 (step down).
    step_prompt_scale_change: int = 3
    # Requests the public form takes about one child (name, date of birth and postcode) in an hour.
    public_requests_per_hour: int = 5
    # Requests the public form takes from one connecting address in an hour: high, since the families
    # on a family hub's or a library's Wi-Fi share one address; it only slows a robot down.
    public_requests_per_address_per_hour: int = 200


@dataclass(frozen=True)
class HouseholdRetention:
    """A family's record is kept until both limits have passed."""

    # The age the youngest child must reach ...
    youngest_child_age: int = 25
    # ... and the years since anyone last worked with the family.
    years_since_last_involvement: int = 6


@dataclass(frozen=True)
class RecordRetention:
    """A record of this type is kept this many years."""

    years: int


@dataclass(frozen=True)
class RetentionSettings:
    """How long each type of record is kept (earlyhelp/dataprotection, docs/dataprotection.md)."""

    household: HouseholdRetention = field(default_factory=HouseholdRetention)
    # Counted from the grant's expiry.
    break_glass: RecordRetention = field(default_factory=lambda: RecordRetention(years=6))
    # Counted from the alert's creation.
    alert: RecordRetention = field(default_factory=lambda: RecordRetention(years=2))


@dataclass(frozen=True)
class DirectorySettings:
    """The service directory (earlyhelp/directory, docs/directory.md)."""

    # A published listing nobody has reviewed for this many days goes on the stale work list.
    stale_after_days: int = 365
    # The coverage report marks a need with this many services or fewer in a locality as a gap.
    few_services: int = 2


@dataclass(frozen=True)
class MeasuresSettings:
    """The indicators of success (earlyhelp/measures, docs/indicators.md)."""

    # Children and young people living in the area, for rates per 10,000 (the seeds: 36,700 aged 0-19).
    child_population: int = 36_700
    # An early help assessment completed within this many days of the request counts as on time (K03).
    assessment_target_days: int = 45


@dataclass(frozen=True)
class MatchingSettings:
    """Linking partners' records to the register (earlyhelp/matching, docs/matching.md)."""

    # A partner record whose best register person scores this match probability or more is linked without a
    # person's review ...
    auto_link: float = 0.99
    # ... and from this probability up to the one above, a reviewer decides; below it, the record is known to
    # partners only.
    review: float = 0.80


@dataclass(frozen=True)
class EarlyHelpSettings:
    """Everything the product lets a partnership configure, grouped by the part of the product it governs."""

    # Shown on the "is this child known?" answer when no lead professional is recorded.
    front_door_contact: str = "Early Help Team, 0151 000 0000, earlyhelp@example.org"
    # The council's phone number for families, given where the public form cannot take a request.
    council_phone: str = "0151 000 0000"
    # The most people one search of the register shows.
    search_result_limit: int = 50
    # How long a break-glass opening of a record lasts.
    break_glass_hours: int = 24
    journey: JourneySettings = field(default_factory=JourneySettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    directory: DirectorySettings = field(default_factory=DirectorySettings)
    measures: MeasuresSettings = field(default_factory=MeasuresSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)


def early_help_from_environment() -> EarlyHelpSettings:
    """The settings, each taken from its EARLY_HELP_* environment variable where one is set."""
    defaults = EarlyHelpSettings()
    return EarlyHelpSettings(
        front_door_contact=env_str("EARLY_HELP_FRONT_DOOR", defaults.front_door_contact),
        council_phone=env_str("EARLY_HELP_COUNCIL_PHONE", defaults.council_phone),
        break_glass_hours=env_int("EARLY_HELP_BREAK_GLASS_HOURS", defaults.break_glass_hours),
        journey=JourneySettings(
            triage_within_hours=env_int("EARLY_HELP_TRIAGE_WITHIN_HOURS", defaults.journey.triage_within_hours),
            step_down_accept_within_days=env_int(
                "EARLY_HELP_STEP_DOWN_ACCEPT_WITHIN_DAYS", defaults.journey.step_down_accept_within_days
            ),
            public_requests_per_hour=env_int(
                "EARLY_HELP_PUBLIC_REQUESTS_PER_HOUR", defaults.journey.public_requests_per_hour
            ),
            public_requests_per_address_per_hour=env_int(
                "EARLY_HELP_PUBLIC_REQUESTS_PER_ADDRESS_PER_HOUR", defaults.journey.public_requests_per_address_per_hour
            ),
        ),
        directory=DirectorySettings(
            stale_after_days=env_int("EARLY_HELP_DIRECTORY_STALE_AFTER_DAYS", defaults.directory.stale_after_days),
            few_services=env_int("EARLY_HELP_DIRECTORY_FEW_SERVICES", defaults.directory.few_services),
        ),
        measures=MeasuresSettings(
            child_population=env_int("EARLY_HELP_CHILD_POPULATION", defaults.measures.child_population),
            assessment_target_days=env_int(
                "EARLY_HELP_ASSESSMENT_TARGET_DAYS", defaults.measures.assessment_target_days
            ),
        ),
        matching=MatchingSettings(
            auto_link=env_float("EARLY_HELP_MATCH_AUTO_LINK", defaults.matching.auto_link),
            review=env_float("EARLY_HELP_MATCH_REVIEW", defaults.matching.review),
        ),
    )
