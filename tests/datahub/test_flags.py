"""Flag rules over hand-built linked partner records: each shipped rule, the 10 % boundary, the
12-month window, idempotence, the audit and the chronology; rules set by a document, checked at
`manage.py check`."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import messages
from earlyhelp.datahub.apps import flag_rules_check
from earlyhelp.datahub.flag_rules import SHIPPED_RULES, flag_rules
from earlyhelp.datahub.models import Flag, LinkStatus
from earlyhelp.datahub.services import FLAG_KIND, flags_raise
from earlyhelp.families.models import MemberRole
from earlyhelp.journey.models import ChronologyEntry
from tests.factories import MembershipFactory, PersonFactory

from .linked import attendance, domestic_abuse, linked, substance_misuse

pytestmark = pytest.mark.django_db


def _child():
    return MembershipFactory().person


def _flags(person, rule: str | None = None):
    found = Flag.objects.filter(person=person)
    return list(found.filter(rule=rule) if rule else found)


@pytest.mark.parametrize(
    ("missed", "possible", "flagged", "percent"),
    [
        (14, 140, True, 10),  # exactly 10 %: flagged
        (13, 140, False, None),  # 9.29 %
        (15, 150, True, 10),
        (14, 141, False, None),  # 9.93 %
        (35, 140, True, 25),
        (0, 0, False, None),  # no sessions possible: nothing to measure
    ],
)
def test_missing_ten_percent_of_a_terms_sessions_raises_an_education_flag(missed, possible, flagged, percent):
    child = _child()
    record = attendance(child, missed=missed, possible=possible)
    flags_raise()
    flags = _flags(child, "school_attendance_missed_10_percent")
    if not flagged:
        assert flags == []
        return
    (flag,) = flags
    assert flag.outcome_area == "education"
    assert flag.reason == f"Missed {percent} % of school sessions in the autumn term of 2025/26"
    assert flag.raised_on == timezone.localdate(record.received_at)
    assert list(flag.records.all()) == [record]


@pytest.mark.parametrize(
    ("first", "second", "flagged"),
    [
        ("2025-03-02", "2026-03-01", True),  # 11 months and 27 days apart
        ("2025-03-01", "2026-03-01", False),  # exactly 12 months: the earlier one is outside the window
        ("2024-12-31", "2026-03-01", False),
        ("2026-03-01", "2026-03-01", True),  # two on one day
    ],
)
def test_two_domestic_abuse_notifications_within_twelve_months_raise_a_flag(first, second, flagged):
    adult = _child()
    records = [domestic_abuse(adult, first), domestic_abuse(adult, second)]
    flags_raise()
    flags = _flags(adult, "domestic_abuse_two_in_12_months")
    if not flagged:
        assert flags == []
        return
    (flag,) = flags
    assert flag.outcome_area == "domestic_abuse"
    assert flag.raised_on == date.fromisoformat(second)
    assert flag.reason == "2 domestic abuse notifications from the police within 12 months"
    assert set(flag.records.all()) == set(records)


def test_a_third_notification_raises_a_flag_of_its_own_counting_those_in_its_window():
    adult = _child()
    for day in ("2025-01-10", "2025-06-01", "2026-02-01"):
        domestic_abuse(adult, day)
    flags_raise()
    flags = sorted(_flags(adult, "domestic_abuse_two_in_12_months"), key=lambda flag: flag.raised_on)
    # On 1 Jun 2025 the window (after 1 Jun 2024) holds two; on 1 Feb 2026 (after 1 Feb 2025) it holds
    # the June and February ones only, since 10 Jan 2025 is more than 12 months before.
    assert [(flag.raised_on, flag.records.count()) for flag in flags] == [
        (date(2025, 6, 1), 2),
        (date(2026, 2, 1), 2),
    ]


@pytest.mark.parametrize(
    ("in_treatment", "is_parent", "flagged"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_a_parent_in_substance_misuse_treatment_raises_a_flag(in_treatment, is_parent, flagged):
    parent = PersonFactory()
    substance_misuse(parent, in_treatment=in_treatment, is_parent=is_parent, treatment_start="2026-05-04")
    flags_raise()
    flags = _flags(parent, "parent_in_substance_misuse_treatment")
    assert [(flag.outcome_area, flag.raised_on, flag.reason) for flag in flags] == (
        [("substance_use", date(2026, 5, 4), "A parent in treatment for substance use (alcohol only)")]
        if flagged
        else []
    )


def test_a_permanent_exclusion_raises_a_flag_dated_by_the_exclusion():
    child = _child()
    attendance(child, missed=2, permanent_exclusion=True, permanent_exclusion_date="2026-11-20")
    attendance(child, missed=2, term="spring")
    flags_raise()
    (flag,) = _flags(child)
    assert (flag.rule, flag.outcome_area, flag.raised_on) == (
        "school_permanent_exclusion",
        "education",
        date(2026, 11, 20),
    )


# Every other shipped layout's rules, each with one record that meets it and one that does not.
OTHER_LAYOUTS = [
    (
        "health_concerns",
        {"service": "school nursing", "concern_date": "2026-04-02", "concern": "weight or nutrition"},
        {"concern_level": "universal partnership plus"},
        {"concern_level": "universal plus"},
        "health_concern_partnership_plus",
        "health",
        "school nursing: a concern about weight or nutrition at universal partnership plus",
    ),
    (
        "health_concerns",
        {"service": "health visiting", "concern_date": "2026-04-02", "concern_level": "universal plus"},
        {"concern": "child development"},
        {"concern": "missed appointments"},
        "health_visiting_child_development",
        "early_years",
        "Health visiting: a concern about child development (universal plus)",
    ),
    (
        "housing",
        {"tenancy_reference": "T1", "reported_on": "2026-04-02", "asb_incidents": 0, "rent_arrears": "120.00"},
        {"eviction_risk": "possession order"},
        {"eviction_risk": "none"},
        "housing_tenancy_at_risk",
        "housing",
        "Tenancy at risk: possession order",
    ),
    (
        "housing",
        {"tenancy_reference": "T1", "reported_on": "2026-04-02", "rent_arrears": "0", "eviction_risk": "none"},
        {"asb_incidents": 3},
        {"asb_incidents": 0},
        "housing_anti_social_behaviour",
        "crime",
        "3 anti-social behaviour incidents reported by the landlord",
    ),
    (
        "youth_justice",
        {"outcome_date": "2026-04-02", "outcome": "youth caution"},
        {"first_time_entrant": True},
        {"first_time_entrant": False},
        "youth_justice_first_time_entrant",
        "crime",
        "First-time entrant to the youth justice system (youth caution)",
    ),
    (
        "worklessness",
        {"recorded_on": "2026-04-02", "problem_debt": False},
        {"out_of_work_benefit": True},
        {"out_of_work_benefit": False},
        "adult_out_of_work",
        "financial_stability",
        "An adult on an out-of-work benefit",
    ),
    (
        "worklessness",
        {"recorded_on": "2026-04-02", "out_of_work_benefit": False},
        {"problem_debt": True},
        {"problem_debt": False},
        "problem_debt",
        "financial_stability",
        "Problem debt",
    ),
    (
        "social_care_referrals",
        {"referral_date": "2026-04-02", "source_agency_type": "school", "reason_category": "family dysfunction"},
        {"outcome": "no further action"},
        {"outcome": "single assessment"},
        "social_care_referral_below_threshold",
        "family_relationships",
        "Referred to children's social care (family dysfunction): no further action",
    ),
    (
        "social_care_assessments",
        {"assessment_start": "2026-03-01", "assessment_authorised": "2026-04-02"},
        {"outcome": "early help"},
        {"outcome": "child in need"},
        "social_care_assessment_closed_to_early_help",
        "safe_from_abuse",
        "Assessed by children's social care: early help",
    ),
]


@pytest.mark.parametrize(
    ("layout", "common", "meets", "misses", "rule", "area", "reason"),
    OTHER_LAYOUTS,
    ids=[case[4] for case in OTHER_LAYOUTS],
)
def test_each_other_shipped_rule_flags_what_it_describes_and_nothing_else(
    layout, common, meets, misses, rule, area, reason
):
    flagged, spared = _child(), _child()
    linked(flagged, layout, **(common | meets))
    linked(spared, layout, **(common | misses))
    flags_raise()
    assert [(f.rule, f.outcome_area, f.raised_on, f.reason) for f in _flags(flagged)] == [
        (rule, area, date(2026, 4, 2), reason)
    ]
    assert _flags(spared) == []


def test_every_shipped_rule_has_a_test_above():
    tested = {case[4] for case in OTHER_LAYOUTS} | {
        "school_attendance_missed_10_percent",
        "school_permanent_exclusion",
        "domestic_abuse_two_in_12_months",
        "parent_in_substance_misuse_treatment",
    }
    assert {rule.name for rule in flag_rules()} == tested


@pytest.mark.parametrize("status", [LinkStatus.IN_REVIEW, LinkStatus.PARTNERS_ONLY, LinkStatus.NOT_YET_MATCHED])
def test_records_not_linked_to_a_person_raise_nothing(status):
    child = _child()
    linked(child, "school_attendance", status=status, sessions_missed=70, sessions_possible=140)
    assert flags_raise().raised == 0
    assert Flag.objects.count() == 0


def test_a_second_run_raises_nothing_and_writes_nothing():
    child = _child()
    attendance(child, missed=30)
    first = flags_raise()
    counts = (Flag.objects.count(), AuditEvent.objects.count(), ChronologyEntry.objects.count())
    second = flags_raise()
    assert (first.raised, first.people) == (1, 1)
    assert (second.raised, second.people) == (0, 0)
    assert (Flag.objects.count(), AuditEvent.objects.count(), ChronologyEntry.objects.count()) == counts


def test_a_new_flag_is_audited_and_written_on_the_familys_chronology_without_names():
    membership = MembershipFactory(role=MemberRole.CHILD)
    child = membership.person
    attendance(child, missed=28)
    flags_raise()
    flag = Flag.objects.get()
    event = AuditEvent.objects.get(object_type="flag")
    assert event.object_id == str(flag.pk)
    assert event.person_id == child.pk
    assert event.household_id == membership.household_id
    assert event.details["rule"] == "school_attendance_missed_10_percent"
    assert event.details["records"] == [record.pk for record in flag.records.all()]
    entry = ChronologyEntry.objects.get(kind=FLAG_KIND)
    assert entry.household == membership.household
    assert entry.person == child
    assert entry.source_type == "flag" and entry.source_id == str(flag.pk)
    assert entry.summary == (
        "Partners' data flags a need. Getting a good education: Missed 20 % of school sessions in the autumn term "
        "of 2025/26"
    )
    assert child.given_name not in entry.summary and child.family_name not in entry.summary


def test_a_run_for_named_people_leaves_everyone_else_alone():
    named, other = _child(), _child()
    attendance(named, missed=30)
    attendance(other, missed=30)
    assert flags_raise(person_ids=[named.pk]).raised == 1
    assert _flags(other) == []


def test_the_command_raises_the_flags_and_says_how_many(capsys):
    attendance(_child(), missed=30)
    call_command("raise_flags")
    assert json.loads(capsys.readouterr().out) == {"raised": 1, "people": 1}
    call_command("raise_flags")
    assert json.loads(capsys.readouterr().out) == {"raised": 0, "people": 0}


# --- Rules as a document -------------------------------------------------------------------------------


def _rules_file(tmp_path, rules) -> str:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": rules}))
    return str(path)


def test_a_council_sets_its_own_rules_in_a_document(tmp_path):
    stricter = {
        "name": "attendance_missed_a_fifth",
        "layout": "school_attendance",
        "outcome_area": "education",
        "when": [{"ratio": ["sessions_missed", "sessions_possible"], "at_least": 0.2}],
        "reason": "Missed {percent} % in the {term} term",
    }
    some, many = _child(), _child()
    attendance(some, missed=20)  # 14 %
    attendance(many, missed=28)  # 20 %
    with override_settings(DATAHUB_FLAG_RULES_FILE=_rules_file(tmp_path, [stricter])):
        assert flag_rules_check() == []
        flags_raise()
    assert _flags(some) == []
    assert [(flag.rule, flag.reason) for flag in _flags(many)] == [
        ("attendance_missed_a_fifth", "Missed 20 % in the autumn term")
    ]


GOOD = {
    "name": "a_rule",
    "layout": "school_attendance",
    "outcome_area": "education",
    "when": [{"fact": "suspensions", "at_least": 2}],
    "reason": "{suspensions} suspensions",
}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"layout": "tarot"}, messages.FLAG_RULE_LAYOUT_UNKNOWN.format(where="rule 'a_rule'", layout="tarot")),
        ({"outcome_area": "luck"}, "rule 'a_rule' needs an 'outcome_area'"),
        (
            {"when": [{"fact": "given_name", "is": "Amara"}]},
            messages.FLAG_RULE_FACT_UNKNOWN.format(
                where="rule 'a_rule'", fact="given_name", layout="school_attendance"
            ),
        ),
        ({"when": [{"fact": "term", "at_least": 2}]}, messages.FLAG_RULE_NOT_NUMERIC.format(where="rule 'a_rule'")),
        (
            {"when": [{"fact": "term", "is": "winter"}]},
            messages.FLAG_RULE_VALUE_INVALID.format(where="rule 'a_rule'", fact="term"),
        ),
        ({"when": [], "count": {"at_least": 1, "within_months": 12}}, "'count' needs 'at_least'"),
        ({"reason": "Pupil {given_name} suspended"}, "'given_name', which is not a fact column"),
        ({"when": []}, messages.FLAG_RULE_NO_TEST.format(where="rule 'a_rule'")),
        ({"date": "term"}, messages.FLAG_RULE_DATE_NOT_DATE.format(where="rule 'a_rule'", fact="term")),
        ({"colour": "red"}, "keys the rules do not know: colour"),
    ],
)
def test_a_broken_rule_is_found_by_manage_py_check_naming_the_mistake(tmp_path, changes, problem):
    with override_settings(DATAHUB_FLAG_RULES_FILE=_rules_file(tmp_path, [GOOD | changes])):
        (error,) = flag_rules_check()
        assert error.id == "datahub.E002"
        assert problem in error.msg
        with pytest.raises(SystemCheckError, match=r"datahub\.E002"):
            call_command("check")


def test_two_rules_of_one_name_and_a_missing_file_are_refused(tmp_path):
    with override_settings(DATAHUB_FLAG_RULES_FILE=_rules_file(tmp_path, [GOOD, GOOD])):
        (error,) = flag_rules_check()
        assert messages.FLAG_RULE_NAME_TWICE.format(name="a_rule") in error.msg
    missing = tmp_path / "nowhere.json"
    with override_settings(DATAHUB_FLAG_RULES_FILE=str(missing)):
        (error,) = flag_rules_check()
        assert error.msg == messages.FLAG_RULES_FILE_MISSING.format(path=missing)


def test_the_shipped_rules_pass_the_check():
    assert flag_rules_check() == []
    assert json.loads(SHIPPED_RULES.read_text())["rules"]


def test_a_record_received_long_ago_is_dated_by_its_arrival_where_the_rule_names_no_date():
    child = _child()
    then = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    record = linked(
        child,
        "school_attendance",
        received_at=then,
        sessions_missed=40,
        sessions_possible=140,
        term="spring",
        academic_year="2024/25",
    )
    flags_raise()
    (flag,) = _flags(child)
    assert flag.raised_on == timezone.localdate(record.received_at) == date(2025, 1, 6)
    assert timezone.localdate() - flag.raised_on > timedelta(days=300)
