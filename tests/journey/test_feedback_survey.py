"""The family's feedback survey: a link made at closure, kept only as a hash, answered once before it
expires, refused kindly when used, expired or wrong, limited per connecting address, showing nothing
about the family; and the lead professional shown the link as the episode closes."""

import dataclasses
import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey import rules, services, views
from earlyhelp.journey.models import ChronologyEntry, FeedbackInvitation
from tests.factories import LocalityFactory

from .factories import EpisodeFactory, lead_for

pytestmark = pytest.mark.django_db

ANSWERS = {
    "better_supported": "yes",
    "know_where_to_go": "partly",
    "listened_to": "yes",
    "rating": "4",
    "comments": "The parenting course helped",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _closed(**names):
    episode = EpisodeFactory(
        household__name=names.get("family", "The Example family"),
        household__locality=LocalityFactory(name="Halewood"),
    )
    lead = lead_for(episode)
    return episode, lead, services.episode_close(actor=lead, episode=episode, reason="moved_away").feedback


def _url(token: str) -> str:
    return f"/help/feedback/{token}/"


def test_closure_keeps_only_a_hash_of_a_short_token_that_expires_after_the_configured_days():
    _episode, _lead, link = _closed()
    invitation = FeedbackInvitation.objects.get()
    assert len(link.token) == 19 and link.token.count("-") == 3
    assert invitation.token_hash == hashlib.sha256(link.token.replace("-", "").encode()).hexdigest()
    assert link.token not in str(FeedbackInvitation.objects.values().get())
    days = settings.EARLY_HELP.journey.feedback_link_days
    assert invitation.expires_at - invitation.created_at == timedelta(days=days)


def test_the_lead_professional_is_shown_the_link_when_the_episode_closes(client):
    episode = EpisodeFactory()
    lead = lead_for(episode)
    client.force_login(lead)
    response = client.post(f"/journey/episodes/{episode.id}/close/", {"reason": "moved_away"})
    assert response.status_code == 200
    link = response.context["link"]
    token = response.context["token"]
    assert link == f"http://testserver/help/feedback/{token}/"
    assert link in response.text
    invitation = FeedbackInvitation.objects.get(episode=episode)
    assert invitation.token_hash == rules.feedback_token_hash(token)


def test_the_survey_shows_nothing_about_the_family_and_is_answered_once(client):
    _episode, lead, link = _closed(family="The Zebedee family")
    page = client.get(_url(link.token))
    assert page.status_code == 200
    for personal in ("Zebedee", lead.last_name, "Halewood"):
        assert personal not in page.text
    assert "You can enter up to 1,000 characters" in page.text

    answered = client.post(_url(link.token), ANSWERS)

    assert answered.status_code == 200 and "Thank you" in answered.text
    invitation = FeedbackInvitation.objects.get()
    assert (invitation.better_supported, invitation.know_where_to_go, invitation.listened_to) == (
        "yes",
        "partly",
        "yes",
    )
    assert (invitation.rating, invitation.comments) == (4, "The parenting course helped")
    entry = ChronologyEntry.objects.get(kind="feedback")
    assert entry.summary == "The family answered the feedback survey"

    again = client.post(_url(link.token), {**ANSWERS, "better_supported": "no"})

    assert again.status_code == 410
    assert services.FEEDBACK_ALREADY_GIVEN in again.text
    assert FeedbackInvitation.objects.get().better_supported == "yes"


def test_the_link_works_typed_in_lower_case_or_without_its_hyphens(client):
    _episode, _lead, link = _closed()
    assert client.get(_url(link.token.lower())).status_code == 200
    assert client.get(_url(link.token.replace("-", ""))).status_code == 200


def test_an_expired_link_is_refused_kindly_with_the_council_s_phone_number(client):
    _episode, _lead, link = _closed()
    now = timezone.now()
    FeedbackInvitation.objects.update(created_at=now - timedelta(days=29), expires_at=now - timedelta(seconds=1))

    response = client.post(_url(link.token), ANSWERS)

    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert settings.EARLY_HELP.council_phone in response.text
    assert FeedbackInvitation.objects.get().responded_at is None


def test_the_service_refuses_an_expired_invitation_too():
    _episode, _lead, link = _closed()
    now = timezone.now()
    FeedbackInvitation.objects.update(created_at=now - timedelta(days=28), expires_at=now)
    with pytest.raises(services.TransitionError, match="expired"):
        services.feedback_submit(
            invitation=link.invitation,
            answers=services.FeedbackAnswers(better_supported="yes", know_where_to_go="yes"),
        )


@pytest.mark.parametrize("token", ["AAAA-BBBB-CCCC-DDDD", "not-a-token", "x" * 300])
def test_a_wrong_link_is_refused_kindly(client, token):
    _closed()
    response = client.get(_url(token))
    assert response.status_code == 404
    assert "We cannot find a survey at this address" in response.text


def test_the_two_questions_k16_counts_must_be_answered_and_nothing_is_saved_until_they_are(client):
    _episode, _lead, link = _closed()
    response = client.post(_url(link.token), {"comments": "x" * 1001})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["better_supported"] and errors["know_where_to_go"] and errors["comments"]
    assert FeedbackInvitation.objects.get().responded_at is None


def test_the_service_names_each_missing_answer():
    _episode, _lead, link = _closed()
    with pytest.raises(ValidationError) as error:
        services.feedback_submit(
            invitation=link.invitation, answers=services.FeedbackAnswers(better_supported="", know_where_to_go="")
        )
    assert error.value.message_dict == {
        "better_supported": [services.BETTER_SUPPORTED_REQUIRED],
        "know_where_to_go": [services.KNOW_WHERE_REQUIRED],
    }


def test_one_address_is_limited_to_the_configured_feedback_pages_an_hour(client, settings):
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP,
        journey=dataclasses.replace(settings.EARLY_HELP.journey, public_feedback_per_address_per_hour=3),
    )
    _episode, _lead, link = _closed()
    for _ in range(3):
        assert client.get(_url("AAAA-BBBB-CCCC-DDDD"), REMOTE_ADDR="10.0.0.1").status_code == 404
    refused = client.get(_url(link.token), REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert views.FEEDBACK_TOO_MANY in refused.text
    assert client.get(_url(link.token), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_message_giving_the_link_names_no_one():
    message = rules.feedback_message(url="https://example.org/help/feedback/X/", expires_on=timezone.localdate())
    assert "https://example.org/help/feedback/X/" in message.body
    assert "works once" in message.body


def test_the_answer_is_audited_without_the_answers_themselves():
    _episode, _lead, link = _closed()
    services.feedback_submit(
        invitation=link.invitation,
        answers=services.FeedbackAnswers(better_supported="no", know_where_to_go="yes", comments="Private words"),
    )
    event = AuditEvent.objects.filter(object_type__icontains="feedback").order_by("-id").first()
    assert event is not None
    assert "Private words" not in str(event.details)
    assert event.actor_id is None
