"""What user testing found wrong with plans: actions due in the past, plans and meetings with no
approved assessment, an empty Team Around the Family, and pages that did not link to each other."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.plans import services
from earlyhelp.plans.models import Plan, PlanAction
from earlyhelp.web.errors import RefusedError
from tests.assessments.factories import DraftVersionFactory, EpisodeFactory, SubmittedVersionFactory
from tests.factories import UserFactory

from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_an_action_due_in_the_past_is_refused_naming_the_field_and_nothing_is_saved(plan, lead):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(services.ValidationError) as error:
        services.plan_action_add(actor=lead, plan=plan, what="Book the GP", due_on=yesterday, practitioner=lead)
    assert error.value.message_dict == {"due_on": [services.DUE_IN_PAST]}
    assert not PlanAction.objects.exists()


def test_an_action_due_today_is_accepted(plan, lead):
    action = services.plan_action_add(
        actor=lead, plan=plan, what="Book the GP", due_on=timezone.localdate(), practitioner=lead
    )
    assert action.due_on == timezone.localdate()


@pytest.mark.parametrize("factory", [None, DraftVersionFactory, SubmittedVersionFactory])
def test_a_plan_cannot_start_before_the_familys_assessment_is_approved(factory):
    episode = EpisodeFactory()
    if factory is not None:
        factory(episode=episode)
    with pytest.raises(RefusedError) as error:
        services.plan_start(actor=UserFactory(), episode=episode)
    assert error.value.reason == services.ASSESSMENT_NOT_APPROVED
    assert not Plan.objects.exists()


def test_a_meeting_cannot_be_recorded_for_a_plan_without_an_approved_assessment(db):
    plan = PlanFactory()
    lead = UserFactory()
    with pytest.raises(RefusedError) as error:
        services.meeting_record(
            actor=lead,
            plan=plan,
            kind="taf",
            held_on=timezone.localdate(),
            decisions="Breakfast club",
            family_scale=5,
            practitioner_scale=5,
            next_review_on=timezone.localdate() + timedelta(weeks=6),
            agencies=[lead.agency],
        )
    assert error.value.reason == services.ASSESSMENT_NOT_APPROVED
    assert not plan.meetings.exists()


def test_the_team_around_the_family_starts_with_the_lead_professional_and_the_family(client, plan, lead):
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "No members yet" not in page
    assert lead.display_name in page
    assert "Lead professional" in page
    for membership in plan.household.memberships.all():
        assert membership.person.full_name in page


def test_the_plan_assessment_and_case_notes_pages_link_to_one_another(client, plan, lead):
    household = plan.household_id
    assessment = reverse("assessments:detail", args=[household])
    plans = reverse("plans:household", args=[household])
    notes = reverse("notes:household", args=[household])
    version = plan.household.assessment.versions.get()
    client.force_login(lead)
    pages = {
        "plan": reverse("plans:plan", args=[household, plan.pk]),
        "plans": plans,
        "assessment": assessment,
        "version": reverse("assessments:version", args=[household, version.number]),
        "notes": notes,
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        for link in (assessment, plans, notes):
            assert f'href="{link}"' in page, (name, link)
