"""Management oversight: supervision on the family's record and chronology, handing a family to a new
lead professional with a note, and the team caseload a manager oversees (worked out by hand here)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey.models import ChronologyEntry, LevelOfNeed
from earlyhelp.oversight import services
from earlyhelp.oversight.models import Handover, Supervision
from earlyhelp.oversight.selectors import team_caseload
from earlyhelp.web.errors import RefusedError
from tests.factories import InvolvementFactory, TeamFactory, UserFactory
from tests.journey.factories import ClosedEpisodeFactory, EpisodeFactory, lead_for
from tests.plans.factories import OverdueActionFactory, OverdueReviewPlanFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def episode(db):
    return EpisodeFactory()


@pytest.fixture
def manager(episode):
    lead = lead_for(episode)
    return UserFactory(role=Role.MANAGER, team=lead.team)


def test_a_manager_records_supervision_with_an_action_and_the_family_s_team_reads_it(client, episode, manager):
    today = timezone.localdate()
    client.force_login(manager)
    url = reverse("oversight:supervision", args=[episode.household_id])
    lead = episode.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL).practitioner
    response = client.post(
        url,
        _date_fields("held_on", today)
        | {"reflection": "Attendance up to 92 %.", "decisions": "Keep the plan; review in six weeks."}
        | {"action_1_what": "Book the review meeting", "action_1_owner": lead.pk}
        | _date_fields("action_1_due_on", today + timedelta(days=7)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    supervision = Supervision.objects.get()
    assert (supervision.supervisor, supervision.held_on, supervision.episode) == (manager, today, episode)
    assert [(action.what, action.owner) for action in supervision.actions.all()] == [("Book the review meeting", lead)]
    assert AuditEvent.objects.filter(object_type="supervision", object_id=str(supervision.pk), action="create").exists()
    entry = ChronologyEntry.objects.get(kind="supervision")
    assert entry.summary == f"Supervision recorded by {manager.display_name}, with 1 action"

    taf = InvolvementFactory(household=episode.household, role=InvolvementRole.TAF_MEMBER).practitioner
    client.force_login(taf)
    page = client.get(url).content.decode()
    assert "Attendance up to 92 %." in page
    assert "Record supervision" not in page
    assert client.post(url, {"reflection": "x"}).status_code == 403
    assert Supervision.objects.count() == 1


def test_supervision_with_gaps_names_each_field_and_saves_nothing(client, episode, manager):
    client.force_login(manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("oversight:supervision", args=[episode.household_id]),
        _date_fields("held_on", timezone.localdate() + timedelta(days=1))
        | {"action_1_what": "Call school"}
        | _date_fields("action_1_due_on", yesterday),
    )
    page = response.content.decode()
    for message in (
        services.HELD_ON_FUTURE,
        services.REFLECTION_REQUIRED,
        services.DECISIONS_REQUIRED,
        services.ACTION_OWNER_REQUIRED,
        services.ACTION_DUE_PAST,
    ):
        assert escape(message) in page
    assert not Supervision.objects.exists()
    assert not ChronologyEntry.objects.filter(kind="supervision").exists()


def test_a_practitioner_may_not_record_supervision_even_through_the_service(episode):
    lead = episode.household.involvements.first() or None
    practitioner = lead_for(episode) if lead is None else lead.practitioner
    with pytest.raises(RefusedError):
        services.supervision_record(
            actor=practitioner, household=episode.household, held_on=timezone.localdate(), reflection="r", decisions="d"
        )


def test_changing_the_lead_ends_the_old_involvement_starts_the_new_and_says_so(client, episode, manager):
    old = episode.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL)
    new_lead = UserFactory(team=manager.team)
    client.force_login(manager)
    url = reverse("oversight:lead-change", args=[episode.household_id])
    told = {"family_told": "phone"} | _date_fields("family_told_on", timezone.localdate())
    response = client.post(
        url, {"new_lead": new_lead.pk, "note": "Mum prefers texts; school contact is Ms Reed."} | told
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_on == timezone.localdate()
    current = episode.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True)
    assert current.practitioner == new_lead
    handover = Handover.objects.get()
    assert (handover.from_lead, handover.to_lead, handover.recorded_by) == (old.practitioner, new_lead, manager)
    entry = ChronologyEntry.objects.get(kind="lead", source_type="handover")
    assert entry.summary == (
        f"Lead professional changed from {old.practitioner.display_name} to {new_lead.display_name} "
        f"({new_lead.agency.name}); the family was told by phone on {timezone.localdate():%-d %B %Y}"
    )
    assert "the family was told by phone" in client.get(url).content.decode()
    again = client.post(url, {"new_lead": new_lead.pk, "note": "Again"} | told)
    assert services.NEW_LEAD_SAME in again.content.decode()
    blank = client.post(url, {"new_lead": "", "note": ""}).content.decode()
    assert services.NEW_LEAD_REQUIRED in blank and services.HANDOVER_REQUIRED in blank
    assert Handover.objects.count() == 1


def test_a_family_with_no_open_episode_has_no_lead_to_change(manager):
    closed = ClosedEpisodeFactory()
    with pytest.raises(RefusedError) as refusal:
        services.lead_change(
            actor=manager, household=closed.household, new_lead=UserFactory(), note="n", family_told="in_person"
        )
    assert refusal.value.messages == [services.NO_EPISODE]


def test_the_team_caseload_counts_each_workers_families_overdue_work_and_drift_and_is_audited(settings):
    settings.OVERSIGHT_DRIFT_DAYS = 100
    team = TeamFactory()
    manager = UserFactory(role=Role.MANAGER, team=team)
    asha, ben = UserFactory(team=team, last_name="Asha"), UserFactory(team=team, last_name="Ben")
    today = timezone.localdate()
    young = EpisodeFactory(opened_on=today - timedelta(days=10))
    old = EpisodeFactory(opened_on=today - timedelta(days=101))
    on_time = EpisodeFactory(opened_on=today - timedelta(days=100))
    for episode in (young, old):
        lead_for(episode, asha)
    lead_for(on_time, ben)
    LevelOfNeed.objects.create(
        household=young.household, suggested_level=2, level=2, recorded_by=manager, recorded_at=timezone.now()
    )
    OverdueReviewPlanFactory(episode=old)
    PlanFactory(episode=on_time)
    OverdueActionFactory(practitioner=asha)
    OverdueActionFactory(practitioner=asha)
    OverdueActionFactory(practitioner=ben, status="done")
    elsewhere = EpisodeFactory()
    lead_for(elsewhere)  # another team's family

    caseload = team_caseload(manager)
    loads = {load.worker: load for load in caseload.workers}
    assert set(loads) == {asha, ben}
    assert loads[asha].by_level == {"2": 1, "not recorded": 1}
    assert (loads[asha].overdue_reviews, loads[asha].overdue_actions) == (1, 2)
    assert (loads[ben].overdue_reviews, loads[ben].overdue_actions) == (0, 0)
    assert [family.household for _, family in caseload.drifting] == [old.household]
    event = AuditEvent.objects.filter(object_type="list", purpose="team caseload").latest("id")
    shown = {str(episode.household_id) for episode in (young, old, on_time)}
    assert set(event.details["households"]) == shown
    assert str(elsewhere.household_id) not in event.details["households"]


def test_the_caseload_page_is_for_managers_and_lists_their_team(client, manager, episode):
    client.force_login(manager)
    page = client.get(reverse("oversight:caseload")).content.decode()
    assert episode.household.name in page
    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert client.get(reverse("oversight:caseload")).status_code == 403
