"""Drift when the scale stands still over the last reviews, and the dashboard's share of open episodes
with recent supervision, each worked out by hand here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.oversight.models import Supervision
from earlyhelp.oversight.selectors import supervision_coverage, team_caseload
from tests.factories import TeamFactory, UserFactory
from tests.journey.factories import ClosedEpisodeFactory, EpisodeFactory, lead_for
from tests.plans.factories import MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _reviews(episode, *scales) -> None:
    """Meetings reviewing the episode's plan, oldest first, each scoring (family, practitioners)."""
    plan = PlanFactory(episode=episode)
    today = timezone.localdate()
    for days_ago, (family, practitioners) in zip(range(len(scales) * 10, 0, -10), scales, strict=True):
        MeetingFactory(
            plan=plan, held_on=today - timedelta(days=days_ago), family_scale=family, practitioner_scale=practitioners
        )


def test_an_episode_whose_last_reviews_scored_the_same_scale_is_drift_with_the_reason(settings):
    settings.OVERSIGHT_DRIFT_DAYS = 270
    settings.OVERSIGHT_DRIFT_REVIEWS = 3
    team = TeamFactory()
    manager = UserFactory(role=Role.MANAGER, team=team)
    worker = UserFactory(team=team)
    stuck, moving, early, moved_once = (EpisodeFactory() for _ in range(4))
    for episode in (stuck, moving, early, moved_once):
        lead_for(episode, worker)
    _reviews(stuck, (2, 3), (4, 5), (4, 5), (4, 5))  # moved at first, then stood still for three reviews
    _reviews(moving, (4, 5), (4, 5), (4, 6))  # the practitioners' score moved at the last review
    _reviews(early, (4, 5), (4, 5))  # only two reviews so far
    _reviews(moved_once, (4, 5), (5, 5), (5, 5))
    caseload = team_caseload(manager)
    drifting = {family.household: family.drift_reasons for _, family in caseload.drifting}
    assert drifting == {
        stuck.household: ["the scale has not moved over the last 3 reviews (family 4, practitioners 5)"]
    }
    settings.OVERSIGHT_DRIFT_REVIEWS = 2
    caseload = team_caseload(manager)
    assert {family.household for _, family in caseload.drifting} == {
        stuck.household,
        early.household,
        moved_once.household,
    }


def test_the_caseload_page_shows_why_an_episode_drifts(client, settings):
    settings.OVERSIGHT_DRIFT_REVIEWS = 3
    team = TeamFactory()
    manager = UserFactory(role=Role.MANAGER, team=team)
    episode = EpisodeFactory(opened_on=timezone.localdate() - timedelta(days=400))
    lead_for(episode, UserFactory(team=team))
    _reviews(episode, (6, 6), (6, 6), (6, 6))
    client.force_login(manager)
    page = client.get(reverse("oversight:caseload")).content.decode()
    assert "open 400 days, longer than 270; the scale has not moved over the last 3 reviews (family 6" in page


def test_the_dashboard_counts_open_episodes_with_supervision_in_the_interval(client, settings):
    settings.OVERSIGHT_SUPERVISION_DAYS = 90
    today = timezone.localdate()
    supervisor = UserFactory(role=Role.MANAGER)
    episodes = [EpisodeFactory() for _ in range(10)]
    for index, episode in enumerate(episodes[:6]):
        # Five within the 90 days (the oldest 89 days ago), one just outside it, and two records for the first.
        held_on = today - timedelta(days=89 if index == 4 else 90 if index == 5 else index)
        Supervision.objects.create(
            household=episode.household,
            episode=episode,
            held_on=held_on,
            supervisor=supervisor,
            reflection="r",
            decisions="d",
        )
    Supervision.objects.create(
        household=episodes[0].household,
        episode=episodes[0],
        held_on=today,
        supervisor=supervisor,
        reflection="r",
        decisions="d",
    )
    closed = ClosedEpisodeFactory()
    Supervision.objects.create(
        household=closed.household, episode=closed, held_on=today, supervisor=supervisor, reflection="r", decisions="d"
    )
    coverage = supervision_coverage()
    assert (coverage.supervised, coverage.open_episodes, coverage.days) == (5, 10, 90)

    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(
        reverse("insights:dashboard"),
        {
            "start_day": "1",
            "start_month": "4",
            "start_year": "2025",
            "end_day": "31",
            "end_month": "3",
            "end_year": "2026",
            "show_by": "quarter",
        },
    ).content.decode()
    assert "Open episodes with supervision in the last 90 days" in page
    assert "50.0% (5 of 10)" in page
