"""The inbox and management oversight over the API: each person's own notifications only, the team
caseload for managers, supervision through the family's access rules, a change of lead and a transfer."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.families.models import InvolvementRole
from earlyhelp.notifications.models import Notification, NotificationKind
from earlyhelp.notifications.services import notification_send
from earlyhelp.oversight import services
from earlyhelp.oversight.models import EpisodeTransfer, Handover, Supervision
from tests.factories import TeamFactory, UserFactory
from tests.journey.factories import EpisodeFactory, lead_for

pytestmark = pytest.mark.django_db


def _notify(user, text="You are now the lead professional") -> Notification:
    with transaction.atomic():
        return notification_send(recipient=user, kind=NotificationKind.MADE_LEAD, text=text, link="/")


def test_the_inbox_lists_only_ones_own_and_marks_them_read(client):
    me, someone = UserFactory(), UserFactory()
    first, second = _notify(me, "first"), _notify(me, "second")
    theirs = _notify(someone, "theirs")
    client.force_login(me)
    listed = client.get("/api/notifications/").json()
    assert [each["text"] for each in listed] == ["second", "first"]
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    answer = client.post(f"/api/notifications/{first.pk}/read/")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert client.post("/api/notifications/read-all/").json() == {"marked": 1}
    second.refresh_from_db()
    assert second.read_at is not None
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}


def test_the_inbox_is_given_a_page_of_100_at_a_time_and_names_the_next_and_previous_pages(client):
    me = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=me, kind=NotificationKind.MADE_LEAD, text=f"n{n}", link="/") for n in range(205)
    )
    newest_first = list(Notification.objects.filter(recipient=me).values_list("text", flat=True))
    client.force_login(me)

    first = client.get("/api/notifications/")
    assert [each["text"] for each in first.json()] == newest_first[:100]
    assert first["Link"] == '<http://testserver/api/notifications/?page=2>; rel="next"'
    second = client.get("/api/notifications/", {"page": 2})
    assert [each["text"] for each in second.json()] == newest_first[100:200]
    assert second["Link"] == (
        '<http://testserver/api/notifications/?page=3>; rel="next", '
        '<http://testserver/api/notifications/?page=1>; rel="prev"'
    )
    last = client.get("/api/notifications/", {"page": 3})
    assert [each["text"] for each in last.json()] == newest_first[200:]
    assert last["Link"] == '<http://testserver/api/notifications/?page=2>; rel="prev"'
    beyond = client.get("/api/notifications/", {"page": 4})
    assert beyond.status_code == 200 and beyond.json() == []

    for bad, rule in (("0", "greater than or equal to 1"), ("two", "valid integer"), ("100001", "less than")):
        refused = client.get("/api/notifications/", {"page": bad})
        assert refused.status_code == 400
        assert list(refused.json()) == ["page"] and rule in refused.json()["page"][0]
        assert "Link" not in refused


def test_the_team_caseload_is_for_managers_and_shows_drift_reasons(client, settings):
    settings.OVERSIGHT_DRIFT_DAYS = 10
    team = TeamFactory()
    manager = UserFactory(role=Role.MANAGER, team=team)
    episode = EpisodeFactory(opened_on=timezone.localdate() - timedelta(days=40))
    lead_for(episode, UserFactory(team=team))
    client.force_login(manager)
    caseload = client.get("/api/oversight/caseload/").json()
    (worker,) = caseload["workers"]
    (family,) = worker["families"]
    assert family["household"] == str(episode.household_id)
    assert family["drift_reasons"][0].startswith("open ")
    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert client.get("/api/oversight/caseload/").status_code == 403


def test_supervision_is_listed_to_the_family_s_workers_and_recorded_by_managers(client):
    episode = EpisodeFactory()
    lead = lead_for(episode)
    manager = UserFactory(role=Role.MANAGER, team=lead.team)
    url = f"/api/oversight/families/{episode.household_id}/supervision/"
    client.force_login(manager)
    body = {
        "held_on": timezone.localdate().isoformat(),
        "reflection": "Attendance is up",
        "decisions": "Keep the plan",
        "actions": [{"what": "Book the review", "owner": lead.pk, "due_on": timezone.localdate().isoformat()}],
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["actions"][0]["owner"] == lead.display_name
    blank = client.post(url, {"held_on": None, "reflection": "", "decisions": ""}, content_type="application/json")
    assert blank.status_code == 400 and blank.json()["reflection"] == [services.REFLECTION_REQUIRED]
    client.force_login(lead)
    assert [each["reflection"] for each in client.get(url).json()] == ["Attendance is up"]
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert Supervision.objects.count() == 1


def test_a_change_of_lead_and_a_transfer_over_the_api(client):
    episode = EpisodeFactory()
    old_lead = lead_for(episode)
    manager = UserFactory(role=Role.MANAGER, team=old_lead.team)
    new_lead = UserFactory(team=manager.team)
    client.force_login(manager)
    lead_url = f"/api/oversight/families/{episode.household_id}/lead/"
    untold = client.post(lead_url, {"new_lead": new_lead.pk, "note": "Handover", "family_told": ""})
    assert untold.status_code == 400 and untold.json() == {"family_told": [services.FAMILY_TOLD_REQUIRED]}
    told = client.post(
        lead_url,
        {"new_lead": new_lead.pk, "note": "Handover", "family_told": "letter", "family_told_on": "2026-01-05"},
    )
    assert told.status_code == 201, told.content
    assert (told.json()["to_lead"], told.json()["family_told"]) == (new_lead.display_name, "letter")
    assert Handover.objects.get().family_told_on.isoformat() == "2026-01-05"

    to_team = TeamFactory()
    UserFactory(role=Role.MANAGER, team=to_team)
    transfer_url = f"/api/oversight/families/{episode.household_id}/transfer/"
    same = client.post(transfer_url, {"to_team": manager.team_id, "reason": "r"})
    assert same.status_code == 400 and same.json() == {"to_team": [services.TO_TEAM_SAME]}
    moved = client.post(transfer_url, {"to_team": to_team.pk, "reason": "Moved house"})
    assert moved.status_code == 201, moved.content
    assert moved.json()["to_team"] == to_team.name and moved.json()["to_lead"] is None
    assert EpisodeTransfer.objects.count() == 1
    assert not episode.household.involvements.filter(
        role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True
    ).exists()
    client.force_login(new_lead)
    assert client.post(transfer_url, {"to_team": to_team.pk, "reason": "r"}).status_code == 403


def test_the_openapi_document_describes_the_new_endpoints(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/notifications/",
        "/api/notifications/{notification_id}/read/",
        "/api/notifications/read-all/",
        "/api/oversight/caseload/",
        "/api/oversight/families/{household_id}/supervision/",
        "/api/oversight/families/{household_id}/lead/",
        "/api/oversight/families/{household_id}/transfer/",
    ):
        assert path in paths
