"""Aggregates for analysts: small numbers suppressed, no personal data on the page or in the
download, and every read audited."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.insights.selectors import insights_report, insights_rows
from earlyhelp.journey.models import ClosureReason, EpisodeClosure, Level, LevelOfNeed, StepUpStatus
from earlyhelp.measures import suppression
from tests.factories import HouseholdFactory, LocalityFactory, MembershipFactory, UserFactory
from tests.journey.factories import (
    AcceptedStepUpFactory,
    ClosedEpisodeFactory,
    EpisodeFactory,
    FamilyRequestFactory,
)

pytestmark = pytest.mark.django_db


def _cell(report, title: str, row: str, column: str) -> str:
    table = next(table for table in report.tables if table.title == title)
    cells = dict(table.rows)[row]
    return cells[table.columns.index(column)]


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (123, "123")],
)
def test_counts_from_one_to_four_are_published_as_fewer_than_five(count, shown):
    assert suppression.SMALL_NUMBER_THRESHOLD == 5
    assert suppression.suppress(count) == shown


def test_families_are_counted_by_locality_and_their_latest_level_with_small_counts_hidden():
    recorder = UserFactory(role=Role.COORDINATOR)
    riverside = LocalityFactory(name="Riverside")
    for _ in range(6):
        household = HouseholdFactory(locality=riverside)
        LevelOfNeed.objects.create(
            household=household,
            suggested_level=2,
            level=2,
            recorded_by=recorder,
            recorded_at=timezone.now() - timezone.timedelta(days=10),
        )
        LevelOfNeed.objects.create(
            household=household, suggested_level=3, level=3, recorded_by=recorder, recorded_at=timezone.now()
        )
    HouseholdFactory(locality=riverside)
    report = insights_report()
    title = "Families by locality and current level of need"
    assert _cell(report, title, "Riverside", Level.PARTNERSHIP_PLUS.label) == "6"
    assert _cell(report, title, "Riverside", Level.UNIVERSAL_PLUS.label) == "0"
    assert _cell(report, title, "Riverside", "No level recorded") == suppression.SUPPRESSED


def test_open_episodes_step_ups_and_closures_are_counted_and_suppressed():
    for _ in range(4):
        EpisodeFactory()
    AcceptedStepUpFactory(outcome="child_in_need")  # its episode is still open: the fifth
    closer = UserFactory(role=Role.COORDINATOR)
    for _ in range(7):
        EpisodeClosure.objects.create(
            episode=ClosedEpisodeFactory(),
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            closed_by=closer,
            closed_at=timezone.now(),
        )
    report = insights_report()
    assert report.open_episodes == "5"
    accepted = f"{StepUpStatus.ACCEPTED.label}: Child in need"
    assert _cell(report, "Step ups by outcome", accepted, "Number") == suppression.SUPPRESSED
    assert _cell(report, "Closures by reason", ClosureReason.OUTCOMES_ACHIEVED.label, "Number") == "7"
    assert _cell(report, "Closures by reason", ClosureReason.MOVED_AWAY.label, "Number") == "0"


def test_no_published_cell_is_a_number_from_one_to_four():
    for _ in range(3):
        FamilyRequestFactory()
    EpisodeFactory()
    counts = [row[3] for row in insights_rows(insights_report())[1:]]
    assert suppression.SUPPRESSED in counts
    assert not {"1", "2", "3", "4"} & set(counts)


@pytest.fixture
def seeded_family():
    membership = MembershipFactory(
        household__name="Zielinski family", person__given_name="Oskar", person__family_name="Zielinski"
    )
    EpisodeFactory(household=membership.household)
    FamilyRequestFactory(requester_name="Wanda Quigley", child_given_name="Oskar", child_family_name="Zielinski")
    return membership


PERSONAL = ["Zielinski", "Oskar", "Wanda", "Quigley"]


def test_the_page_and_the_download_name_no_one_and_give_no_ids(client, seeded_family):
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(reverse("insights:report")).content.decode()
    download = client.get(reverse("insights:export")).content.decode()
    assert "Families by locality and current level of need" in page
    assert list(csv.reader(io.StringIO(download)))[1] == ["Open episodes", "All", "Number", suppression.SUPPRESSED]
    for text in (page, download):
        for name in PERSONAL:
            assert name not in text
        assert str(seeded_family.household_id) not in text
        assert str(seeded_family.person_id) not in text


def test_viewing_and_downloading_are_each_audited(client):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    client.get(reverse("insights:report"))
    client.get(reverse("insights:export"))
    events = list(AuditEvent.objects.filter(actor=analyst, object_type="insights").order_by("id"))
    assert [event.action for event in events] == [Action.VIEW, Action.EXPORT]
    assert all(event.household_id is None and event.person_id is None for event in events)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.COORDINATOR, Role.DPO])
def test_roles_that_work_with_records_are_not_offered_insights(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("insights:report")).status_code == 403
    assert not AuditEvent.objects.filter(object_type="insights").exists()


def test_analysts_and_managers_find_insights_in_the_navigation(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert 'href="/insights/"' in client.get(reverse("home:dashboard")).content.decode()


def test_the_page_keeps_its_counts_for_the_configured_time_says_when_they_were_counted_and_audits_every_view(
    client, settings
):
    import dataclasses

    for _ in range(5):
        EpisodeFactory()
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)
    first = client.get(reverse("insights:report"))
    assert first.context["report"].open_episodes == "5"
    counted = timezone.localtime(first.context["report"].counted_at)
    assert f"Counted at {counted:%H:%M} on {counted.day} {counted:%B %Y}" in first.text
    assert "worked out again when they are 5 minutes old" in first.text
    EpisodeFactory()
    kept = client.get(reverse("insights:report"))
    assert kept.context["report"].open_episodes == "5"  # counted again only when the kept counts expire
    assert AuditEvent.objects.filter(actor=manager, object_type="insights", action=Action.VIEW).count() == 2
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP, measures=dataclasses.replace(settings.EARLY_HELP.measures, dashboard_cache_seconds=0)
    )
    assert client.get(reverse("insights:report")).context["report"].open_episodes == "6"
