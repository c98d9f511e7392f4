"""Changing the lead tells the old lead and the Team Around the Family and records how the family was
told; transferring an episode moves the case to another team, tells its managers and settles the lead."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey.models import ChronologyEntry
from earlyhelp.notifications.models import Notification, NotificationKind, OutboundEmail
from earlyhelp.oversight import services
from earlyhelp.oversight.models import EpisodeTransfer, Handover
from earlyhelp.web.errors import RefusedError
from tests.factories import InvolvementFactory, TeamFactory, UserFactory
from tests.journey.factories import EpisodeFactory, SteppedUpEpisodeFactory, lead_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(db):
    return EpisodeFactory()


@pytest.fixture
def old_lead(episode):
    return lead_for(episode)


@pytest.fixture
def manager(old_lead):
    return UserFactory(role=Role.MANAGER, team=old_lead.team)


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_change_of_lead_tells_the_new_lead_the_old_lead_and_the_team_around_the_family(episode, old_lead, manager):
    household = episode.household
    taf = InvolvementFactory(household=household, role=InvolvementRole.TAF_MEMBER).practitioner
    new_lead = UserFactory(team=manager.team)
    InvolvementFactory(household=household, practitioner=new_lead, role=InvolvementRole.TAF_MEMBER)
    services.lead_change(
        actor=manager,
        household=household,
        new_lead=new_lead,
        note="Handover",
        family_told="in_person",
        family_told_on=timezone.localdate(),
    )
    assert _kinds(new_lead) == [NotificationKind.MADE_LEAD]  # told once, as the new lead, not again as a TAF member
    assert _kinds(old_lead) == [NotificationKind.LEAD_CHANGED]
    assert _kinds(taf) == [NotificationKind.LEAD_CHANGED]
    assert _kinds(manager) == []
    told = Notification.objects.get(recipient=taf)
    assert new_lead.display_name in told.text and told.link == f"/families/{household.pk}/"
    # No family is ever emailed: every email goes to a practitioner, and says nothing of the case.
    assert set(OutboundEmail.objects.values_list("recipient", flat=True)) == {new_lead.pk, old_lead.pk, taf.pk}
    assert not any(
        household.name in email.body or household.name in email.subject for email in OutboundEmail.objects.all()
    )


@pytest.mark.parametrize(
    ("told", "field", "message"),
    [
        ({"family_told": ""}, "family_told", services.FAMILY_TOLD_REQUIRED),
        ({"family_told": "letter"}, "family_told_on", services.FAMILY_TOLD_ON_REQUIRED),
        (
            {"family_told": "phone", "family_told_on": timezone.localdate() + timedelta(days=2)},
            "family_told_on",
            services.FAMILY_TOLD_ON_FUTURE,
        ),
        (
            {"family_told": "not_yet", "family_not_told_reason": "  "},
            "family_not_told_reason",
            services.FAMILY_NOT_TOLD_REASON_REQUIRED,
        ),
    ],
)
def test_how_the_family_was_told_is_required_and_nothing_changes_without_it(
    episode, old_lead, manager, told, field, message
):
    with pytest.raises(ValidationError) as refusal:
        services.lead_change(
            actor=manager, household=episode.household, new_lead=UserFactory(team=manager.team), note="Handover", **told
        )
    assert refusal.value.message_dict == {field: [message]}
    assert not Handover.objects.exists() and not Notification.objects.exists()
    assert (
        episode.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True).practitioner
        == old_lead
    )


def test_a_family_not_told_yet_has_the_reason_on_the_chronology(episode, manager):
    handover = services.lead_change(
        actor=manager,
        household=episode.household,
        new_lead=UserFactory(team=manager.team),
        note="Handover",
        family_told="not_yet",
        family_not_told_reason="Mum is in hospital; the new lead visits on Monday",
        family_told_on=timezone.localdate(),
    )
    assert handover.family_told_on is None  # a date with "not yet" means nothing and is not kept
    entry = ChronologyEntry.objects.get(kind="lead")
    assert entry.summary.endswith("the family has not been told yet: Mum is in hospital; the new lead visits on Monday")


@pytest.fixture
def receiving():
    team = TeamFactory()
    return team, UserFactory(role=Role.MANAGER, team=team)


def test_a_transfer_moves_the_case_tells_the_receiving_managers_and_clears_a_lead_from_another_team(
    episode, old_lead, manager, receiving
):
    to_team, to_manager = receiving
    household = episode.household
    taf = InvolvementFactory(household=household, role=InvolvementRole.TAF_MEMBER).practitioner
    transfer = services.episode_transfer(actor=manager, household=household, to_team=to_team, reason="Moved house")
    assert (transfer.from_team, transfer.to_team, transfer.from_lead, transfer.to_lead) == (
        manager.team,
        to_team,
        old_lead,
        None,
    )
    current = household.involvements.filter(ended_on__isnull=True)
    assert not current.filter(role=InvolvementRole.LEAD_PROFESSIONAL).exists()
    assert current.get(role=InvolvementRole.CASE_HOLDER).team == to_team
    notice = Notification.objects.get(recipient=to_manager)
    assert notice.kind == NotificationKind.EPISODE_TRANSFERRED and "choose one" in notice.text
    assert _kinds(old_lead) == [NotificationKind.LEAD_CHANGED]
    assert _kinds(taf) == [NotificationKind.LEAD_CHANGED]
    assert AuditEvent.objects.filter(object_type="episodetransfer", object_id=str(transfer.pk)).exists()
    entry = ChronologyEntry.objects.get(kind="transfer")
    assert entry.summary == (
        f"Episode transferred from {manager.team.name} to {to_team.name} by {manager.display_name}; "
        "no lead professional yet, for the receiving team to choose"
    )
    # The team that held it no longer does: its manager may not transfer it again.
    with pytest.raises(RefusedError):
        services.episode_transfer(actor=manager, household=household, to_team=TeamFactory(), reason="Again")


def test_a_lead_in_the_receiving_team_stays_and_one_may_be_chosen_from_it(episode, manager, receiving):
    to_team, _ = receiving
    cleared = services.episode_transfer(
        actor=manager,
        household=episode.household,
        to_team=to_team,
        reason="Closer to home",
    )
    assert cleared.to_lead is None
    other = EpisodeFactory()
    lead_for(other, UserFactory(team=manager.team))
    chosen = UserFactory(team=to_team)
    transfer = services.episode_transfer(
        actor=manager, household=other.household, to_team=to_team, reason="Closer to home", new_lead=chosen
    )
    assert transfer.to_lead == chosen
    assert (
        other.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True).practitioner
        == chosen
    )
    assert _kinds(chosen) == [NotificationKind.MADE_LEAD]

    third = EpisodeFactory()
    lead = lead_for(third, UserFactory(team=to_team))
    InvolvementFactory(
        household=third.household,
        practitioner=None,
        team=manager.team,
        agency=manager.team.agency,
        role=InvolvementRole.CASE_HOLDER,
    )
    kept = services.episode_transfer(actor=manager, household=third.household, to_team=to_team, reason="Lead's team")
    assert kept.to_lead == lead and "stays lead professional" in kept.lead_words
    assert _kinds(lead) == []


def test_a_transfer_with_gaps_names_each_field_and_changes_nothing(episode, old_lead, manager, receiving):
    to_team, _ = receiving
    household = episode.household
    cases = [
        (
            {"to_team": None, "reason": ""},
            {"to_team": [services.TO_TEAM_REQUIRED], "reason": [services.TRANSFER_REASON_REQUIRED]},
        ),
        ({"to_team": manager.team, "reason": "r"}, {"to_team": [services.TO_TEAM_SAME]}),
        ({"to_team": TeamFactory(), "reason": "r"}, {"to_team": [services.TO_TEAM_NO_MANAGER]}),
        (
            {"to_team": to_team, "reason": "r", "new_lead": UserFactory()},
            {"new_lead": [services.TRANSFER_LEAD_NOT_IN_TEAM]},
        ),
    ]
    for arguments, errors in cases:
        with pytest.raises(ValidationError) as refusal:
            services.episode_transfer(actor=manager, household=household, **arguments)
        assert refusal.value.message_dict == errors
    assert not EpisodeTransfer.objects.exists() and not Notification.objects.exists()
    assert household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL).ended_on is None


def test_only_a_manager_of_the_holding_team_transfers_an_open_episode(episode, old_lead, manager, receiving):
    to_team, _ = receiving
    for someone in (UserFactory(role=Role.MANAGER), UserFactory(role=Role.COORDINATOR), old_lead):
        with pytest.raises(RefusedError) as refusal:
            services.episode_transfer(actor=someone, household=episode.household, to_team=to_team, reason="r")
        assert refusal.value.messages == [services.NOT_ALLOWED_TO_TRANSFER]
    stepped_up = SteppedUpEpisodeFactory()
    lead_for(stepped_up, UserFactory(team=manager.team))
    with pytest.raises(RefusedError) as refusal:
        services.episode_transfer(actor=manager, household=stepped_up.household, to_team=to_team, reason="r")
    assert refusal.value.messages == [services.TRANSFER_NO_OPEN_EPISODE]


def test_the_transfer_page_transfers_and_lists_the_transfer(client, episode, manager, receiving):
    to_team, _ = receiving
    client.force_login(manager)
    url = f"/oversight/families/{episode.household_id}/transfer/"
    blank = client.post(url, {"to_team": "", "reason": ""}).content.decode()
    assert services.TO_TEAM_REQUIRED in blank
    response = client.post(url, {"to_team": to_team.pk, "reason": "The family moved to the north of the borough"})
    assert response.status_code == 302
    assert EpisodeTransfer.objects.get().reason == "The family moved to the north of the borough"


def test_the_transfer_page_lists_the_earlier_transfers(client, episode, manager, receiving):
    to_team, to_manager = receiving
    services.episode_transfer(
        actor=manager, household=episode.household, to_team=to_team, reason="The family moved to the north"
    )
    client.force_login(to_manager)
    page = client.get(f"/oversight/families/{episode.household_id}/transfer/").content.decode()
    assert "Earlier transfers" in page
    assert f"{manager.team.name} to {to_team.name}" in page and "Reason: The family moved to the north" in page
