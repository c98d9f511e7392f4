"""The product's own settings, `settings.EARLY_HELP`: one typed, frozen object read from the environment.

Product code reads attributes (`settings.EARLY_HELP.journey.triage_within_hours`), so a misspelt name
is a type error rather than a KeyError in one rarely run branch. Tests change a value with
`dataclasses.replace` and assign the result to `settings.EARLY_HELP`.
"""

from dataclasses import dataclass, field, fields

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
    # The family's feedback link, made at closure, works once and for this many days.
    feedback_link_days: int = 28
    # Feedback pages (a link opened, an answer sent) one connecting address may ask for in an hour: high,
    # for the same shared Wi-Fi, but low enough that guessing a link is hopeless.
    public_feedback_per_address_per_hour: int = 100


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
class Comparison:
    """A published rate per 10,000 children set beside an indicator's figure on the dashboard."""

    indicator: str
    figure: str
    area: str
    per_10000: float
    source: str


_STRATEGY_2014 = "Knowsley Early Help Strategy 2014, §4.4 (figures for 2012-13)"

# The comparisons the 2014 strategy gives (its §4.4 needs assessment, 2012-13): the referral rate to children's
# social care for the North West (619.7) and England (520.7), and England's rate of children on a child
# protection plan (37.9). A partnership replaces them with current published figures in its settings.
DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    Comparison("K05", "referrals", "North West", 619.7, _STRATEGY_2014),
    Comparison("K05", "referrals", "England", 520.7, _STRATEGY_2014),
    Comparison("K15", "child_protection", "England", 37.9, _STRATEGY_2014),
)


@dataclass(frozen=True)
class UnitCosts:
    """What one unit of each kind of demand costs, in whole pounds, for the cost of demand estimate
    (docs/cost-of-demand.md). The defaults are illustrative round figures, of the order of the published
    unit costs for England (PSSRU's Unit Costs of Health and Social Care; the Department for Education's
    research on children's social care unit costs, 2021); they are no council's own: set the partnership's."""

    # A referral to children's social care: taken in, screened and decided on.
    referral: int = 1_000
    # A single assessment by a social worker.
    single_assessment: int = 3_000
    # A child in need plan, for its whole length.
    child_in_need_plan: int = 4_000
    # A child protection plan, for its whole length (conferences, core groups, visits).
    child_protection_plan: int = 12_000
    # A child looked after for a year (a blend of foster and residential care).
    year_looked_after: int = 60_000
    # An episode of early help, from assessment to closure.
    early_help_episode: int = 2_500


@dataclass(frozen=True)
class MeasuresSettings:
    """The indicators of success (earlyhelp/measures, docs/indicators.md)."""

    # Children and young people living in the area, for rates per 10,000 (the seeds: 36,700 aged 0-19).
    child_population: int = 36_700
    # An early help assessment completed within this many days of the request counts as on time (K03).
    assessment_target_days: int = 45
    # Other areas' rates shown beside the indicators on the dashboard.
    comparisons: tuple[Comparison, ...] = DEFAULT_COMPARISONS
    # The dashboard's figures for one choice of period and filters are kept this long (0: worked out afresh for
    # every view); the page says when they were worked out.
    dashboard_cache_seconds: int = 300

    # A practitioner answers the confidence survey once in each period of this many months, the periods
    # counted from 1 April (1, 2, 3, 4, 6 or 12: 3 is the council's quarters, 12 its year).
    confidence_survey_months: int = 6
    unit_costs: UnitCosts = field(default_factory=UnitCosts)


@dataclass(frozen=True)
class OutcomesSettings:
    """The Supporting Families outcome framework and claims (earlyhelp/outcomes, docs/outcomes.md)."""

    # A need met at closure must stay met this many months after it (no new request, social care
    # referral or data-hub flag in its area) before the family's progress counts as sustained.
    sustainment_months: int = 6


@dataclass(frozen=True)
class NotificationSettings:
    """Notifications and their email (earlyhelp/notifications, docs/notifications.md)."""

    # How email leaves: "smtp" through Django's mail framework (EMAIL_HOST and the other EMAIL_*
    # settings), or "notify" through GOV.UK Notify (GOVUK_NOTIFY_API_KEY and notify_template_id).
    email_via: str = "smtp"
    # The Notify email template: its subject is ((subject)) and its body ((body)).
    notify_template_id: str = ""
    # The address the service is reached at, for the links in emails.
    service_url: str = "http://127.0.0.1:8000"
    # A message that fails is tried again after this many seconds, doubled at each further failure ...
    retry_after_seconds: int = 60
    # ... and given up (marked failed, still listed for an administrator) after this many tries.
    max_attempts: int = 8


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
    outcomes: OutcomesSettings = field(default_factory=OutcomesSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
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
            feedback_link_days=env_int("EARLY_HELP_FEEDBACK_LINK_DAYS", defaults.journey.feedback_link_days),
            public_feedback_per_address_per_hour=env_int(
                "EARLY_HELP_PUBLIC_FEEDBACK_PER_ADDRESS_PER_HOUR", defaults.journey.public_feedback_per_address_per_hour
            ),
        ),
        directory=DirectorySettings(
            stale_after_days=env_int("EARLY_HELP_DIRECTORY_STALE_AFTER_DAYS", defaults.directory.stale_after_days),
            few_services=env_int("EARLY_HELP_DIRECTORY_FEW_SERVICES", defaults.directory.few_services),
        ),
        notifications=NotificationSettings(
            email_via=env_str("EARLY_HELP_EMAIL_VIA", defaults.notifications.email_via),
            notify_template_id=env_str("GOVUK_NOTIFY_TEMPLATE_ID", defaults.notifications.notify_template_id),
            service_url=env_str("EARLY_HELP_SERVICE_URL", defaults.notifications.service_url),
            retry_after_seconds=env_int("EARLY_HELP_EMAIL_RETRY_SECONDS", defaults.notifications.retry_after_seconds),
            max_attempts=env_int("EARLY_HELP_EMAIL_MAX_ATTEMPTS", defaults.notifications.max_attempts),
        ),
        measures=MeasuresSettings(
            child_population=env_int("EARLY_HELP_CHILD_POPULATION", defaults.measures.child_population),
            assessment_target_days=env_int(
                "EARLY_HELP_ASSESSMENT_TARGET_DAYS", defaults.measures.assessment_target_days
            ),
            dashboard_cache_seconds=env_int(
                "EARLY_HELP_DASHBOARD_CACHE_SECONDS", defaults.measures.dashboard_cache_seconds
            ),
            confidence_survey_months=env_int(
                "EARLY_HELP_CONFIDENCE_SURVEY_MONTHS", defaults.measures.confidence_survey_months
            ),
            unit_costs=UnitCosts(
                **{
                    name: env_int(f"EARLY_HELP_UNIT_COST_{name.upper()}", getattr(defaults.measures.unit_costs, name))
                    for name in (each.name for each in fields(UnitCosts))
                }
            ),
        ),
        outcomes=OutcomesSettings(
            sustainment_months=env_int("EARLY_HELP_SUSTAINMENT_MONTHS", defaults.outcomes.sustainment_months),
        ),
        matching=MatchingSettings(
            auto_link=env_float("EARLY_HELP_MATCH_AUTO_LINK", defaults.matching.auto_link),
            review=env_float("EARLY_HELP_MATCH_REVIEW", defaults.matching.review),
        ),
    )
