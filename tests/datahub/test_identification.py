"""The identification list: families whose current members' recent flags cover three or more outcome
areas and who have no early help; starting a request from it; dismissing a family with a reason."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import messages
from earlyhelp.datahub.models import Flag, IdentificationDismissal
from earlyhelp.datahub.selectors import identification_list
from earlyhelp.datahub.services import flags_raise, identification_dismiss
from earlyhelp.families.models import MemberRole
from earlyhelp.journey.models import SupportRequest
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from tests.journey.factories import ClosedEpisodeFactory, EpisodeFactory, SteppedUpEpisodeFactory, SupportRequestFactory

from .linked import attendance, days_ago, domestic_abuse, flagged_family, substance_misuse

pytestmark = pytest.mark.django_db


def _coordinator():
    return UserFactory(role=Role.COORDINATOR)


def _listed(user=None) -> list:
    return [family.household for family in identification_list(user or _coordinator())]


def test_a_family_with_three_needs_across_its_members_and_no_early_help_is_listed_with_the_reasons():
    household, child, parent = flagged_family()
    (family,) = identification_list(_coordinator())
    assert family.household == household
    assert family.areas == [
        "Getting a good education",
        "Promoting recovery and reducing harm from substance use",
        "Safe from domestic abuse",
    ]
    assert {(flag.person, flag.rule) for flag in family.flags} == {
        (child, "school_attendance_missed_10_percent"),
        (parent, "domestic_abuse_two_in_12_months"),
        (parent, "parent_in_substance_misuse_treatment"),
    }


def test_a_family_with_two_needs_is_not_listed():
    flagged_family(areas=2)
    assert _listed() == []


def test_two_flags_in_one_area_are_one_need():
    household = HouseholdFactory()
    child = MembershipFactory(household=household).person
    attendance(child, missed=21)
    attendance(child, missed=0, permanent_exclusion=True, permanent_exclusion_date=days_ago(5))
    parent = MembershipFactory(household=household, role=MemberRole.PARENT, person=PersonFactory()).person
    substance_misuse(parent, treatment_start=days_ago(60))
    flags_raise()
    assert Flag.objects.values("outcome_area").distinct().count() == 2
    assert _listed() == []


@override_settings(DATAHUB_IDENTIFICATION_NEEDS=2)
def test_the_number_of_needs_is_a_setting():
    household, _, _ = flagged_family(areas=2)
    assert _listed() == [household]


@pytest.mark.parametrize(
    ("episode", "listed"),
    [(EpisodeFactory, False), (SteppedUpEpisodeFactory, False), (ClosedEpisodeFactory, True)],
    ids=["open", "stepped_up", "closed"],
)
def test_a_family_with_an_open_or_stepped_up_episode_is_not_listed(episode, listed):
    household, _, _ = flagged_family()
    episode(household=household)
    assert _listed() == ([household] if listed else [])


def test_a_family_whose_request_waits_for_triage_is_not_listed():
    household, _, _ = flagged_family()
    SupportRequestFactory(household=household)
    assert _listed() == []


def test_flags_older_than_twelve_months_do_not_count():
    _, _, parent = flagged_family()
    Flag.objects.filter(person=parent, rule="parent_in_substance_misuse_treatment").update(
        raised_on=timezone.localdate() - timedelta(days=400)
    )
    assert _listed() == []


def test_the_flags_of_someone_who_moved_out_do_not_count():
    _, _, parent = flagged_family()
    parent.memberships.update(ended_on=timezone.localdate())
    assert _listed() == []


def test_the_list_is_audited_naming_every_family_and_flag_on_it():
    household, _, _ = flagged_family()
    user = _coordinator()
    (family,) = identification_list(user)
    event = AuditEvent.objects.filter(object_type="list").latest("id")
    assert event.actor == user
    assert event.purpose == "identification list"
    assert event.details["households"] == [str(household.pk)]
    assert sorted(event.details["flags"]) == sorted(str(flag.pk) for flag in family.flags)


def test_only_the_early_help_team_may_see_the_list(client):
    flagged_family()
    for role in (Role.PRACTITIONER, Role.MANAGER, Role.SOCIAL_CARE, Role.ANALYST, Role.DPO, Role.ADMIN):
        client.force_login(UserFactory(role=role))
        response = client.get(reverse("datahub:identification"))
        assert response.status_code == 403, role
        assert b"Identification" not in client.get(reverse("directory:home")).content
    client.force_login(_coordinator())
    assert b'href="/data-hub/identification/"' in client.get(reverse("directory:home")).content


def test_the_page_shows_each_family_with_its_reasons(client):
    household, child, _ = flagged_family()
    client.force_login(_coordinator())
    page = client.get(reverse("datahub:identification")).content.decode()
    assert household.name in page
    assert "3 needs" in page
    assert "Missed 15 % of school sessions in the autumn term of 2025/26" in page
    assert "2 domestic abuse notifications from the police within 12 months" in page
    assert child.full_name in page


# --- Starting a request ------------------------------------------------------------------------------


def test_a_coordinator_starts_a_request_with_the_family_child_address_and_reasons_carried_over(client):
    household, child, _ = flagged_family(household=HouseholdFactory(address_line_1="4 Tong Road", postcode="LS12 1AA"))
    user = _coordinator()
    (family,) = identification_list(user)
    query = parse_qs(urlsplit(family.request_url).query)
    assert query["household"] == [str(household.pk)]
    assert query["child_given_name"] == [child.given_name]
    assert query["child_date_of_birth"] == [child.date_of_birth.isoformat()]
    client.force_login(user)
    form = client.get(family.request_url).context["form"]
    assert form.initial["child_family_name"] == child.family_name
    assert (form.initial["address_line_1"], form.initial["postcode"]) == ("4 Tong Road", "LS12 1AA")
    assert "Safe from domestic abuse: 2 domestic abuse notifications" in form.initial["concerns"]
    response = client.post(
        family.request_url,
        {
            "child_given_name": child.given_name,
            "child_family_name": child.family_name,
            "address_line_1": form.initial["address_line_1"],
            "postcode": form.initial["postcode"],
            "concerns": form.initial["concerns"],
            "family_consents": "on",
        },
    )
    made = SupportRequest.objects.get()
    assert response.status_code == 302
    assert (made.household, made.address_line_1, made.postcode) == (household, "4 Tong Road", "LS12 1AA")
    assert "Getting a good education: Missed 15 %" in made.concerns
    # Now waiting for triage, the family leaves the list.
    assert _listed() == []


def test_the_request_names_the_youngest_flagged_child():
    household = HouseholdFactory()
    older = MembershipFactory(household=household, person__date_of_birth=date(2012, 1, 1)).person
    MembershipFactory(household=household, person__date_of_birth=date(2020, 1, 1))  # not flagged
    flagged_family(household=household)
    kai = household.memberships.get(person__given_name="Kai").person
    attendance(older, missed=50)
    flags_raise()
    (family,) = identification_list(_coordinator())
    youngest_flagged = max((older, kai), key=lambda person: person.date_of_birth)
    assert parse_qs(urlsplit(family.request_url).query)["child_given_name"] == [youngest_flagged.given_name]


# --- Dismissing ------------------------------------------------------------------------------------------


def test_a_dismissed_family_leaves_the_list_with_the_reason_stored_and_audited():
    household, _, _ = flagged_family()
    user = _coordinator()
    dismissal = identification_dismiss(actor=user, household=household, reason="  School already supporting  ")
    assert dismissal.reason == "School already supporting"
    assert dismissal.dismissed_by == user
    event = AuditEvent.objects.get(object_type="identificationdismissal")
    assert event.household_id == household.pk
    assert "School" not in str(event.details)
    assert _listed() == []


def test_a_dismissed_family_comes_back_only_when_a_new_flag_is_raised():
    household, _, parent = flagged_family()
    identification_dismiss(actor=_coordinator(), household=household, reason="Known to the school")
    flags_raise()  # nothing new
    assert _listed() == []
    domestic_abuse(parent, days_ago(1))  # a third notification: a new flag
    assert flags_raise().raised == 1
    assert _listed() == [household]


def test_a_dismissal_without_a_reason_is_refused_and_nothing_is_stored():
    household, _, _ = flagged_family()
    with pytest.raises(ValidationError) as refused:
        identification_dismiss(actor=_coordinator(), household=household, reason="   ")
    assert refused.value.message_dict == {"reason": [messages.DISMISS_REASON_MISSING]}
    assert IdentificationDismissal.objects.count() == 0
    assert _listed() == [household]


def test_a_family_not_on_the_list_cannot_be_dismissed():
    household, _, _ = flagged_family(areas=2)
    with pytest.raises(ValidationError) as refused:
        identification_dismiss(actor=_coordinator(), household=household, reason="No need")
    assert refused.value.messages == [messages.DISMISS_NOT_LISTED]
    assert IdentificationDismissal.objects.count() == 0


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.MANAGER, Role.SOCIAL_CARE, Role.ADMIN])
def test_only_the_early_help_team_may_dismiss(role):
    household, _, _ = flagged_family()
    with pytest.raises(PermissionDenied):
        identification_dismiss(actor=UserFactory(role=role), household=household, reason="No need")
    assert IdentificationDismissal.objects.count() == 0


def test_a_coordinator_dismisses_a_family_from_its_page(client):
    household, _, _ = flagged_family()
    client.force_login(_coordinator())
    url = reverse("datahub:identification-dismiss", args=[household.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Enter why the family does not need early help now" in empty.content.decode()
    response = client.post(url, {"reason": "Already known to the school's pastoral team"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("datahub:identification")
    assert "No family is on the list." in response.content.decode()
    assert IdentificationDismissal.objects.get().reason == "Already known to the school's pastoral team"
