"""The claims pages over HTTP: the work list shows the evidence, a claim is prepared, refused to its
preparer with the reason, signed off by a second person and submitted; the list view is audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import NeedOutcome
from earlyhelp.outcomes import services
from earlyhelp.outcomes.models import Claim, ClaimStatus
from earlyhelp.outcomes.rules import add_months
from tests.factories import UserFactory

from .support import family

pytestmark = pytest.mark.django_db


def ready_family(name="Okafor family", **kwargs):
    """A family whose episode closed eight months ago with every need met: past the six-month period."""
    closed_on = add_months(timezone.localdate(), -8)
    return family(name=name, closed_on=closed_on, opened_on=closed_on - timedelta(days=200), **kwargs)


def test_the_work_list_shows_a_ready_family_with_the_evidence_for_each_outcome(client):
    built = ready_family()
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(reverse("outcomes:claims")).content.decode()
    assert "Okafor family" in html
    for area in (OutcomeArea.EDUCATION, OutcomeArea.HEALTH, OutcomeArea.HOUSING):
        assert str(OutcomeArea(area).label) in html
        assert f"A need in {area}" in html
    listed = AuditEvent.objects.get(actor=coordinator, object_type="list", purpose="claims")
    assert listed.details["households"] == [str(built.household.pk)]


def test_the_near_miss_list_names_the_outcome_short(client):
    ready_family(name="Nearly family", outcomes={OutcomeArea.HOUSING: NeedOutcome.NOT_MET})
    client.force_login(UserFactory(role=Role.COORDINATOR))
    html = client.get(reverse("outcomes:near-misses")).content.decode()
    assert "Nearly family" in html
    assert "Secure housing" in html
    assert "Not met at closure" in html


def test_prepare_sign_off_and_submit_through_the_pages(client):
    built = ready_family()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    # The coordinator prepares; the page says a second person must sign it off.
    response = client.post(reverse("outcomes:prepare", args=[built.household.pk]), follow=True)
    assert "Claim prepared" in response.content.decode()
    claim = Claim.objects.get(household=built.household)
    # The same person is refused before and after pressing the button, and nothing changes.
    page = client.get(reverse("outcomes:sign-off", args=[claim.pk])).content.decode()
    assert services.SAME_PERSON in page
    client.post(reverse("outcomes:sign-off", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PREPARED
    # A second person signs it off.
    second = UserFactory(role=Role.COORDINATOR)
    client.force_login(second)
    client.post(reverse("outcomes:sign-off", args=[claim.pk]))
    claim.refresh_from_db()
    assert (claim.status, claim.signed_off_by) == (ClaimStatus.SIGNED_OFF, second)
    client.post(reverse("outcomes:submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_second_claim_for_the_family_is_refused_on_the_page(client):
    built = ready_family()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    client.post(reverse("outcomes:prepare", args=[built.household.pk]))
    html = client.post(reverse("outcomes:prepare", args=[built.household.pk])).content.decode()
    assert services.ALREADY_CLAIMED in html
    assert Claim.objects.count() == 1
