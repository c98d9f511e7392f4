"""What people met on the journey's pages and lists: the team a step up goes to, the chronology in
words, an audit event for every work list, and bad API input refused rather than crashing."""

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.dataprotection.selectors import person_audit_trail
from earlyhelp.journey import api, services
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.models import ChronologyEntry, RequestStatus
from tests.factories import InvolvementFactory, MembershipFactory, TeamFactory, UserFactory

from .factories import (
    EpisodeFactory,
    SentStepUpFactory,
    SocialCareTeamFactory,
    StepDownFactory,
    StepUpFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db


# --- The team a step up goes to ---------------------------------------------------------------------------


@pytest.fixture
def social_care_teams():
    """Children's social care as councils run it: an assessment team and the MASH, the front door."""
    assessment = SocialCareTeamFactory(name="Assessment Team")
    return assessment, TeamFactory(name="MASH", agency=assessment.agency)


def test_the_step_up_form_offers_the_mash_unless_the_lead_chooses_another_team(client, social_care_teams):
    _, mash = social_care_teams
    lead = UserFactory()
    episode = EpisodeFactory()
    InvolvementFactory(household=episode.household, practitioner=lead)
    client.force_login(lead)
    response = client.get(f"/journey/episodes/{episode.pk}/step-up/")
    assert response.status_code == 200
    assert response.context["form"]["to_team"].value() == mash.pk


def test_the_triage_form_offers_the_mash_for_a_passport(client, coordinator, social_care_teams):
    _, mash = social_care_teams
    client.force_login(coordinator)
    response = client.get(f"/journey/requests/{SupportRequestFactory().pk}/triage/")
    assert response.status_code == 200
    assert response.context["form"]["to_team"].value() == mash.pk


def _mash_reveal(html: str) -> tuple[str, str]:
    """The opening tag of the MASH choice's conditional reveal, and what it holds up to the next question."""
    controls = re.search(r'value="mash"[^>]* data-aria-controls="([^"]+)"', html)
    assert controls, "the MASH choice controls no conditional reveal"
    opening = re.search(rf'<div class="([^"]*)" id="{controls[1]}">', html)
    assert opening
    return opening[1], html[opening.end() :].split('name="note"')[0]


def test_the_triage_page_asks_the_mash_questions_only_inside_the_mash_choice(client, coordinator, social_care_teams):
    client.force_login(coordinator)
    html = client.get(f"/journey/requests/{SupportRequestFactory().pk}/triage/").text
    css, inside = _mash_reveal(html)
    assert css.split() == ["govuk-radios__conditional", "govuk-radios__conditional--hidden"]
    assert 'name="reasons"' in inside and 'name="to_team"' in inside
    assert 'name="lead"' not in inside
    assert inside.count('name="reasons"') == html.count('name="reasons"') > 0
    assert html.count('name="to_team"') == 1


def test_a_mash_decision_without_reasons_shows_its_error_inside_the_mash_choice_open(client, coordinator):
    support_request = SupportRequestFactory()
    client.force_login(coordinator)
    response = client.post(
        f"/journey/requests/{support_request.pk}/triage/",
        {"decision": "mash", "household": "new", "note": "Bruising seen at school"},
    )
    assert response.status_code == 200
    css, inside = _mash_reveal(response.text)
    assert css == "govuk-radios__conditional"
    assert services.REASONS_REQUIRED in inside
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE


def test_the_mash_questions_are_not_asked_for_another_decision(client, coordinator):
    support_request = SupportRequestFactory()
    client.force_login(coordinator)
    response = client.post(
        f"/journey/requests/{support_request.pk}/triage/",
        {"decision": "advice", "note": "Signposted to the family hub", "reasons": ["not a reason"]},
    )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ADVICE
    assert support_request.mash_reasons == []


def test_a_social_worker_of_the_team_a_step_up_was_sent_to_opens_it(client, manager, social_worker):
    step_up = StepUpFactory(to_team=social_worker.team)
    services.step_up_approve(actor=manager, step_up=step_up)
    client.force_login(social_worker)
    assert client.get(f"/journey/step-ups/{step_up.pk}/").status_code == 200
    assert client.get(f"/api/journey/step-ups/{step_up.pk}/").status_code == 200


# --- The chronology in words ------------------------------------------------------------------------------


def test_the_chronology_names_what_happened_in_words_not_codes(client, coordinator):
    episode = EpisodeFactory()
    with transaction.atomic():
        for kind in ("step_up", "social_care_response"):
            chronology_record(actor=coordinator, household=episode.household, kind=kind, summary="Something")
    client.force_login(coordinator)
    page = client.get(f"/journey/families/{episode.household_id}/chronology/").content.decode()
    assert "Step up" in page and "Social care response" in page
    assert "Step_up" not in page and "Social_care_response" not in page


def test_a_request_a_practitioner_made_is_theirs_in_the_chronology_when_triage_links_the_family(coordinator):
    practitioner = UserFactory()
    request = services.support_request_create(
        actor=practitioner,
        details=services.RequestDetails(
            child_given_name="Jamie", child_family_name="Example", concerns="Often absent", family_consents=True
        ),
    )
    household = EpisodeFactory().household
    services.support_request_triage(actor=coordinator, support_request=request, decision="advice", household=household)
    assert ChronologyEntry.objects.get(household=household, kind="request").actor == practitioner


# --- Who opens a request for support ---------------------------------------------------------------------


def test_a_request_not_yet_linked_to_a_family_opens_for_its_maker_and_the_early_help_team_only(client, coordinator):
    maker, other = UserFactory(), UserFactory()
    request = SupportRequestFactory(household=None, requested_by=maker)
    for user, status in ((maker, 200), (coordinator, 200), (other, 404)):
        client.force_login(user)
        assert client.get(f"/journey/requests/{request.pk}/").status_code == status
        event = AuditEvent.objects.filter(actor=user, object_type="supportrequest", object_id=str(request.pk)).get()
        assert event.details == {"outcome": "allowed" if status == 200 else "refused"}


# --- Every work list is audited ---------------------------------------------------------------------------


def _list_event(user, purpose):
    return AuditEvent.objects.filter(actor=user, action="view", object_type="list", purpose=purpose).get()


def test_the_requests_page_audits_one_view_naming_every_request_and_step_down_shown(client, coordinator):
    awaiting = SupportRequestFactory()
    mine = SupportRequestFactory(requested_by=coordinator)
    step_down = StepDownFactory()
    client.force_login(coordinator)
    assert client.get("/journey/requests/").status_code == 200
    details = _list_event(coordinator, "requests for support").details
    assert set(details["awaiting"]) == {str(awaiting.pk), str(mine.pk)}
    assert details["mine"] == [str(mine.pk)]
    assert details["step_downs"] == [str(step_down.pk)]


def test_the_triage_queue_is_shown_a_page_at_a_time_most_urgent_first_and_audits_only_the_page_shown(
    client, coordinator
):
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.journey.views import REQUESTS_PER_PAGE

    soon = timezone.now()
    queue = [
        SupportRequestFactory(received_at=soon, triage_due_at=soon + timedelta(hours=n + 1))
        for n in range(REQUESTS_PER_PAGE + 1)
    ]
    client.force_login(coordinator)
    first = client.get("/journey/requests/").text
    assert f"{REQUESTS_PER_PAGE + 1} requests, the most urgent first: 1 to {REQUESTS_PER_PAGE} shown" in first
    assert queue[0].reference in first and queue[-1].reference not in first
    assert 'href="?page=2" rel="next"' in first
    audited = _list_event(coordinator, "requests for support").details["awaiting"]
    assert audited == [str(request.pk) for request in queue[:REQUESTS_PER_PAGE]]
    second = client.get("/journey/requests/?page=2").text
    assert queue[-1].reference in second and queue[0].reference not in second
    assert 'href="?page=1" rel="prev"' in second


def test_the_requests_a_practitioner_made_are_shown_a_page_at_a_time_newest_first():
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.journey.views import REQUESTS_PER_PAGE

    practitioner = UserFactory()
    start = timezone.now() - timedelta(days=100)
    made = [
        SupportRequestFactory(requested_by=practitioner, received_at=start + timedelta(days=n))
        for n in range(REQUESTS_PER_PAGE + 1)
    ]
    newest_first = made[::-1]
    client = Client()
    client.force_login(practitioner)
    first = client.get("/journey/requests/").text
    assert f"{REQUESTS_PER_PAGE + 1} requests, the newest first: 1 to {REQUESTS_PER_PAGE} shown" in first
    assert newest_first[0].reference in first and newest_first[-1].reference not in first
    assert 'href="?made=2" rel="next"' in first
    assert _list_event(practitioner, "requests for support").details["mine"] == [
        str(request.pk) for request in newest_first[:REQUESTS_PER_PAGE]
    ]
    second = client.get("/journey/requests/?made=2").text
    assert newest_first[-1].reference in second and newest_first[0].reference not in second


def test_the_step_ups_page_audits_one_view_naming_every_step_up_shown(client, coordinator):
    shown = [StepUpFactory(), SentStepUpFactory()]
    client.force_login(coordinator)
    assert client.get("/journey/step-ups/").status_code == 200
    assert set(_list_event(coordinator, "step ups").details["step_ups"]) == {str(step_up.pk) for step_up in shown}


def test_the_api_lists_of_requests_and_step_ups_are_audited_with_the_ids_shown(client, coordinator):
    request, step_up = SupportRequestFactory(), SentStepUpFactory()
    client.force_login(coordinator)
    assert client.get("/api/journey/requests/").status_code == 200
    assert str(request.pk) in _list_event(coordinator, "api requests for support").details["requests"]
    assert client.get("/api/journey/step-ups/").status_code == 200
    assert _list_event(coordinator, "api step ups").details["step_ups"] == [str(step_up.pk)]


def test_a_family_on_the_step_ups_page_shows_in_each_members_audit_trail_and_no_one_elses(client, coordinator):
    step_up = StepUpFactory()
    member = MembershipFactory(household=step_up.household).person
    elsewhere = MembershipFactory().person
    client.force_login(coordinator)
    assert client.get("/journey/step-ups/").status_code == 200
    shown = AuditEvent.objects.get(actor=coordinator, object_type="list", purpose="step ups")
    assert shown.details["households"] == [str(step_up.household_id)]
    assert shown in person_audit_trail(member)
    assert shown not in person_audit_trail(elsewhere)
    client.force_login(UserFactory(role=Role.DPO))
    trail = client.get(reverse("audit:person", kwargs={"person_id": member.id})).content.decode()
    assert "Appeared in a list shown to them" in trail


# --- Bad API input is refused, not a crash ---------------------------------------------------------------


def test_a_request_body_nested_thousands_deep_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/journey/requests/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == api.JSON_TOO_DEEP


def test_an_indicator_id_larger_than_any_key_is_refused_naming_the_field(client, coordinator):
    household = EpisodeFactory().household
    client.force_login(coordinator)
    response = client.post(
        f"/api/journey/families/{household.pk}/levels/",
        json.dumps({"indicators": [2**70], "level": 2, "reason": "Judged"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "indicators" in response.json()
    assert not household.levels_of_need.exists()


def test_the_level_service_refuses_an_indicator_id_larger_than_any_key(coordinator):
    household = EpisodeFactory().household
    with pytest.raises(services.ValidationError) as error:
        services.level_record(actor=coordinator, household=household, indicator_ids=[2**70], level=1)
    assert error.value.message_dict["indicators"] == [services.INDICATOR_UNKNOWN]
