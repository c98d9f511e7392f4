"""The product's typed settings: the same defaults and environment variables as the dict they replace."""

import dataclasses

import pytest
from django.test import override_settings

from config.early_help import DirectorySettings, EarlyHelpSettings, early_help_from_environment

VARIABLES = [
    "EARLY_HELP_FRONT_DOOR",
    "EARLY_HELP_TRIAGE_WITHIN_HOURS",
    "EARLY_HELP_STEP_DOWN_ACCEPT_WITHIN_DAYS",
    "EARLY_HELP_PUBLIC_REQUESTS_PER_HOUR",
    "EARLY_HELP_BREAK_GLASS_HOURS",
    "EARLY_HELP_DIRECTORY_STALE_AFTER_DAYS",
    "EARLY_HELP_DIRECTORY_FEW_SERVICES",
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


def test_an_old_dict_key_reads_the_same_value_as_its_attribute():
    found = EarlyHelpSettings(break_glass_hours=3, directory=DirectorySettings(stale_after_days=9))
    assert found["BREAK_GLASS_HOURS"] == 3
    assert found.get("DIRECTORY_STALE_AFTER_DAYS", 365) == 9
    assert found.get("NO_SUCH_KEY", "absent") == "absent"
    assert found["RETENTION"]["household"] == {"youngest_child_age": 25, "years_since_last_involvement": 6}


def test_an_unknown_old_key_is_refused():
    with pytest.raises(KeyError):
        EarlyHelpSettings()["TRIAGE_HOURS"]


def test_the_settings_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        EarlyHelpSettings().break_glass_hours = 1  # type: ignore[misc]


def test_a_dict_assigned_in_a_test_becomes_the_typed_settings_keeping_the_keys_it_does_not_name(settings):
    before = settings.EARLY_HELP
    settings.EARLY_HELP = {**settings.EARLY_HELP, "SEARCH_RESULT_LIMIT": 2}
    assert settings.EARLY_HELP.search_result_limit == 2
    assert settings.EARLY_HELP.journey == before.journey
    with override_settings(EARLY_HELP={"RETENTION": {"alert": {"years": 1}}}):
        assert settings.EARLY_HELP.retention.alert.years == 1
        assert settings.EARLY_HELP.retention.break_glass.years == 6
        assert settings.EARLY_HELP.break_glass_hours == before.break_glass_hours
    assert settings.EARLY_HELP.search_result_limit == 2


def test_or_with_old_keys_gives_new_settings_and_leaves_the_old_ones_alone():
    before = EarlyHelpSettings()
    after = before | {"TRIAGE_WITHIN_HOURS": 24}
    assert after.journey.triage_within_hours == 24
    assert before.journey.triage_within_hours == 72
