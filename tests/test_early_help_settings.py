"""The product's typed settings: the same defaults and environment variables as the dict they replace."""

import dataclasses

import pytest

from config.early_help import EarlyHelpSettings, early_help_from_environment

VARIABLES = [
    "EARLY_HELP_FRONT_DOOR",
    "EARLY_HELP_TRIAGE_WITHIN_HOURS",
    "EARLY_HELP_STEP_DOWN_ACCEPT_WITHIN_DAYS",
    "EARLY_HELP_PUBLIC_REQUESTS_PER_HOUR",
    "EARLY_HELP_BREAK_GLASS_HOURS",
    "EARLY_HELP_DIRECTORY_STALE_AFTER_DAYS",
    "EARLY_HELP_DIRECTORY_FEW_SERVICES",
    "EARLY_HELP_CHILD_POPULATION",
    "EARLY_HELP_ASSESSMENT_TARGET_DAYS",
    "EARLY_HELP_FEEDBACK_LINK_DAYS",
    "EARLY_HELP_PUBLIC_FEEDBACK_PER_ADDRESS_PER_HOUR",
    "EARLY_HELP_CONFIDENCE_SURVEY_MONTHS",
    "EARLY_HELP_UNIT_COST_REFERRAL",
    "EARLY_HELP_UNIT_COST_YEAR_LOOKED_AFTER",
]


@pytest.fixture
def no_variables(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_with_no_environment_the_settings_are_the_documented_defaults(no_variables):
    found = early_help_from_environment()
    assert found.front_door_contact == "Early Help Team, 0151 000 0000, earlyhelp@example.org"
    assert found.search_result_limit == 50
    assert found.break_glass_hours == 24
    assert found.journey.triage_within_hours == 72
    assert found.journey.step_down_accept_within_days == 5
    assert found.journey.level_weight_thresholds == (1, 6, 12)
    assert found.journey.step_prompt_scale_change == 3
    assert found.journey.public_requests_per_hour == 5
    assert found.retention.household.youngest_child_age == 25
    assert found.retention.household.years_since_last_involvement == 6
    assert found.retention.break_glass.years == 6
    assert found.retention.alert.years == 2
    assert found.measures.child_population == 36_700
    assert found.measures.assessment_target_days == 45
    assert found.directory.stale_after_days == 365
    assert found.directory.few_services == 2


def test_each_environment_variable_sets_its_own_setting(no_variables):
    for number, name in enumerate(VARIABLES[1:], start=101):
        no_variables.setenv(name, str(number))
    no_variables.setenv("EARLY_HELP_FRONT_DOOR", "Front door, 01234 567890")
    found = early_help_from_environment()
    assert found.front_door_contact == "Front door, 01234 567890"
    assert (
        found.journey.triage_within_hours,
        found.journey.step_down_accept_within_days,
        found.journey.public_requests_per_hour,
        found.break_glass_hours,
        found.directory.stale_after_days,
        found.directory.few_services,
    ) == (101, 102, 103, 104, 105, 106)


def test_the_settings_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        EarlyHelpSettings().break_glass_hours = 1  # type: ignore[misc]


def test_the_surveys_and_the_unit_costs_have_documented_defaults_and_read_the_environment(no_variables):
    found = early_help_from_environment()
    assert found.journey.feedback_link_days == 28
    assert found.journey.public_feedback_per_address_per_hour == 100
    assert found.measures.confidence_survey_months == 6
    assert (found.measures.unit_costs.referral, found.measures.unit_costs.year_looked_after) == (1_000, 60_000)
    no_variables.setenv("EARLY_HELP_UNIT_COST_REFERRAL", "850")
    no_variables.setenv("EARLY_HELP_FEEDBACK_LINK_DAYS", "14")
    changed = early_help_from_environment()
    assert (changed.measures.unit_costs.referral, changed.journey.feedback_link_days) == (850, 14)
    assert changed.measures.unit_costs.single_assessment == 3_000
