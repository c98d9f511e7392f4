"""The outcome framework on hand-built histories; each expected answer is worked out in the test from
the rules in docs/outcomes.md (eligibility, needs at closure, the sustainment period)."""

import dataclasses
from datetime import date

import pytest
from django.conf import settings

from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.journey.models import NeedOutcome
from earlyhelp.outcomes import selectors
from earlyhelp.outcomes.rules import AreaState, EventKind, EvidenceKind, sustainment_end
from tests.factories import ChildFactory, MembershipFactory

from .support import THREE, family, flag, new_request, referral

pytestmark = pytest.mark.django_db

CLOSED = date(2025, 8, 15)
# Six months after 15 August 2025: the period's last day is 15 February 2026.
LAST_DAY = date(2026, 2, 15)
LATER = date(2026, 3, 1)


def judge(built, as_of=LATER):
    (judgement,) = selectors.judged([built.episode], as_of=as_of)
    return judgement


def states(judgement):
    return {area.area: area.state for area in judgement.areas}


def test_the_sustainment_period_ends_six_months_after_closure_by_default():
    assert settings.EARLY_HELP.outcomes.sustainment_months == 6
    assert sustainment_end(CLOSED, 6) == LAST_DAY
    # A closure on the 31st ends on the shorter month's last day.
    assert sustainment_end(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_a_family_with_children_and_needs_in_exactly_three_areas_is_eligible():
    judgement = judge(family(areas=THREE))
    assert judgement.identified == 3
    assert judgement.eligible
    assert all(area.evidence[0].kind is EvidenceKind.ASSESSMENT for area in judgement.areas)


def test_a_family_with_needs_in_two_areas_is_not_eligible():
    judgement = judge(family(areas=THREE[:2]))
    assert judgement.identified == 2
    assert not judgement.eligible
    assert not judgement.progress
    assert not judgement.near_miss


def test_three_needs_in_one_area_count_as_one_area():
    built = family(areas=[OutcomeArea.EDUCATION])
    version = built.needs[OutcomeArea.EDUCATION].version
    for n in range(2):
        version.needs.create(person=built.child, outcome_area=OutcomeArea.EDUCATION, description=f"More {n}")
    judgement = judge(built)
    assert judgement.identified == 1
    assert not judgement.eligible


def test_a_family_of_adults_only_is_not_eligible_however_many_needs():
    judgement = judge(family(areas=[*THREE, OutcomeArea.CRIME], child=False))
    assert judgement.identified == 4
    assert not judgement.eligible


def test_an_expectant_parent_makes_a_family_without_children_eligible():
    judgement = judge(family(areas=THREE, child=False, expecting=True))
    assert judgement.eligible


def test_a_data_hub_flag_raised_during_the_episode_is_evidence_of_a_need_in_its_area():
    built = family(areas=THREE[:2])
    raised = flag(built, OutcomeArea.DOMESTIC_ABUSE, date(2025, 3, 1))
    judgement = judge(built)
    assert judgement.identified == 3
    assert judgement.eligible
    abuse = next(area for area in judgement.areas if area.area == OutcomeArea.DOMESTIC_ABUSE)
    assert [(e.kind, e.ref) for e in abuse.evidence] == [(EvidenceKind.FLAG, str(raised.pk))]
    # No need in that area was marked at closure, so it is not met: one outcome short.
    assert abuse.state is AreaState.NOT_RECORDED
    assert judgement.near_miss
    assert [area.area for area in judgement.short] == [OutcomeArea.DOMESTIC_ABUSE]


def test_a_flag_raised_before_the_episode_opened_is_not_evidence():
    built = family(areas=THREE[:2])
    flag(built, OutcomeArea.DOMESTIC_ABUSE, date(2025, 1, 5))
    assert judge(built).identified == 2


def test_every_need_met_at_closure_and_nothing_since_is_significant_and_sustained_progress():
    judgement = judge(family())
    assert states(judgement) == dict.fromkeys(THREE, AreaState.SUSTAINED)
    assert judgement.sustained_until == LAST_DAY
    assert judgement.progress
    assert judgement.achieved_on == date(2026, 2, 16)


def test_progress_waits_until_the_whole_period_is_over():
    built = family()
    on_last_day = judge(built, as_of=LAST_DAY)
    assert states(on_last_day) == dict.fromkeys(THREE, AreaState.SUSTAINING)
    assert not on_last_day.progress
    assert judge(built, as_of=date(2026, 2, 16)).progress


def test_a_need_unmet_at_closure_leaves_the_family_one_outcome_short_in_that_area():
    judgement = judge(family(outcomes={OutcomeArea.HEALTH: NeedOutcome.NOT_MET}))
    assert not judgement.progress
    assert judgement.near_miss
    (short,) = judgement.short
    assert (short.area, short.state, short.at_closure) == (OutcomeArea.HEALTH, AreaState.NOT_MET, "not_met")


def test_a_need_partly_met_at_closure_is_not_met():
    judgement = judge(family(outcomes={OutcomeArea.HOUSING: NeedOutcome.PARTLY_MET}))
    assert [(area.area, area.state) for area in judgement.short] == [(OutcomeArea.HOUSING, AreaState.NOT_MET)]


def test_a_need_with_no_outcome_recorded_at_closure_is_not_met():
    judgement = judge(family(outcomes={OutcomeArea.EDUCATION: None}))
    assert [(area.area, area.state) for area in judgement.short] == [(OutcomeArea.EDUCATION, AreaState.NOT_RECORDED)]


def test_two_areas_short_is_not_a_near_miss():
    judgement = judge(family(outcomes={OutcomeArea.EDUCATION: NeedOutcome.NOT_MET, OutcomeArea.HEALTH: "not_met"}))
    assert len(judgement.short) == 2
    assert not judgement.near_miss


def test_a_new_request_on_the_periods_last_day_breaks_every_area():
    built = family()
    made = new_request(built, LAST_DAY)
    judgement = judge(built)
    assert states(judgement) == dict.fromkeys(THREE, AreaState.NOT_SUSTAINED)
    assert {(a.broken_by.kind, a.broken_by.ref) for a in judgement.areas} == {(EventKind.REQUEST, str(made.pk))}
    assert not judgement.progress


def test_a_new_request_the_day_after_the_period_ends_does_not_count():
    built = family()
    new_request(built, date(2026, 2, 16))
    assert judge(built).progress


def test_a_new_request_on_the_day_of_closure_does_not_count():
    built = family()
    new_request(built, CLOSED)
    assert judge(built).progress


def test_a_referral_to_social_care_within_the_period_breaks_every_area():
    built = family()
    referral(built, date(2025, 8, 16))
    assert states(judge(built)) == dict.fromkeys(THREE, AreaState.NOT_SUSTAINED)


def test_a_flag_within_the_period_breaks_only_its_own_area():
    built = family()
    flag(built, OutcomeArea.HOUSING, date(2025, 12, 1))
    flag(built, OutcomeArea.CRIME, date(2025, 12, 1))  # an area the family had no need in
    judgement = judge(built)
    assert states(judgement) == {
        OutcomeArea.EDUCATION: AreaState.SUSTAINED,
        OutcomeArea.HEALTH: AreaState.SUSTAINED,
        OutcomeArea.HOUSING: AreaState.NOT_SUSTAINED,
    }
    assert judgement.near_miss
    assert judgement.short[0].broken_by.on == date(2025, 12, 1)


def test_what_happens_after_the_day_judged_is_not_yet_known():
    built = family()
    new_request(built, date(2025, 12, 1))
    assert states(judge(built, as_of=date(2025, 11, 30))) == dict.fromkeys(THREE, AreaState.SUSTAINING)
    assert states(judge(built, as_of=date(2025, 12, 1))) == dict.fromkeys(THREE, AreaState.NOT_SUSTAINED)


def test_an_open_episode_is_judged_for_eligibility_only():
    judgement = judge(family(closed_on=None))
    assert judgement.eligible
    assert states(judgement) == dict.fromkeys(THREE, AreaState.OPEN)
    assert judgement.sustained_until is None
    assert not judgement.progress
    assert not judgement.near_miss


def test_the_sustainment_period_is_a_setting(settings):
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP, outcomes=dataclasses.replace(settings.EARLY_HELP.outcomes, sustainment_months=3)
    )
    built = family()
    # Three months after 15 August 2025: the last day is 15 November 2025.
    new_request(built, date(2025, 11, 16))
    judgement = judge(built, as_of=date(2025, 11, 16))
    assert judgement.sustained_until == date(2025, 11, 15)
    assert judgement.progress


@pytest.mark.parametrize(
    ("born", "dependent"),
    [
        (date(2007, 1, 6), False),  # eighteen on 6 January 2025, the day the episode opened
        (date(2007, 1, 7), True),  # seventeen that day: eighteen the next
    ],
)
def test_a_child_is_dependent_while_under_eighteen_on_the_day_the_episode_opened(born, dependent):
    built = family(child=False)
    MembershipFactory(household=built.household, person=ChildFactory(date_of_birth=born))
    assert judge(built).eligible is dependent


def test_episodes_are_judged_in_batches_each_in_a_fixed_number_of_queries(django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(selectors, "BATCH", 2)
    built = [family(name=f"F{n}", areas=THREE[: 2 + n % 2]) for n in range(5)]
    # Three batches of at most two episodes, each in the same handful of queries.
    with django_assert_max_num_queries(3 * 8):
        judgements = selectors.judged([b.episode for b in built], as_of=LATER)
    assert [j.history.household_name for j in judgements] == ["F0", "F1", "F2", "F3", "F4"]
    assert [j.eligible for j in judgements] == [False, True, False, True, False]
