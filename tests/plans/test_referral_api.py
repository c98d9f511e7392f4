"""The provider's referrals over the REST API: the queue, one referral, and the answers, with the same
rules and audit as the pages; another organisation's referral is not found."""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.directory.models import DirectoryEditor
from earlyhelp.notifications.models import Notification, NotificationKind
from earlyhelp.plans import referral_services, rules
from earlyhelp.plans.models import ReferralStatus, ServiceReferral
from tests.directory.factories import OrganizationFactory
from tests.factories import PersonFactory, UserFactory

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _editor(organization):
    user = UserFactory(role=Role.PROVIDER_EDITOR)
    DirectoryEditor.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def referral(db):
    person = PersonFactory(given_name="Dana", family_name="Okafor", phone="07700 900123")
    return ReferralFactory(person=person, action__what="Weekly mentoring for mum")


@pytest.fixture
def api(client, referral):
    client.force_login(_editor(referral.organization))
    return client


def test_the_queue_lists_the_callers_referrals_with_the_minimum_only(api, referral):
    ReferralFactory()  # another organisation's
    ReferralFactory(service=referral.service, awaiting=True)
    response = api.get(reverse("referrals-api:queue"))
    assert response.status_code == 200
    (row,) = response.json()
    assert row["id"] == str(referral.pk)
    assert (row["given_name"], row["phone"], row["reason"]) == ("Dana", "07700 900123", "Weekly mentoring for mum")
    assert "date_of_birth" not in row and "nhs_number" not in row and "household" not in row
    assert AuditEvent.objects.filter(object_type="service_referral_queue", action=Action.VIEW).count() == 1


def test_reading_a_referral_opens_it_and_is_audited(api, referral):
    response = api.get(reverse("referrals-api:referral", args=[referral.pk]))
    assert response.status_code == 200
    assert response.json()["status"] == ReferralStatus.OPENED
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action=Action.VIEW).count() == 1


def test_accept_then_complete(api, referral):
    accepted = api.post(reverse("referrals-api:accept", args=[referral.pk]))
    assert (accepted.status_code, accepted.json()["status"]) == (200, ReferralStatus.ACCEPTED)
    completed = api.post(reverse("referrals-api:complete", args=[referral.pk]))
    assert (completed.status_code, completed.json()["status"]) == (200, ReferralStatus.COMPLETED)
    assert Notification.objects.filter(kind=NotificationKind.REFERRAL_ANSWERED).count() == 2


def test_a_decline_without_a_reason_is_400_naming_the_field_and_changes_nothing(api, referral):
    response = api.post(reverse("referrals-api:decline", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 400
    assert response.json() == {"reason": [referral_services.DECLINE_REASON_REQUIRED]}
    assert ServiceReferral.objects.get(pk=referral.pk).status == ReferralStatus.NEW
    declined = api.post(reverse("referrals-api:decline", args=[referral.pk]), {"reason": "No places until June"})
    assert declined.json()["decline_reason"] == "No places until June"


def test_a_refused_move_is_409_with_the_reason(api, referral):
    response = api.post(reverse("referrals-api:complete", args=[referral.pk]))
    assert response.status_code == 409
    assert response.json()["detail"] == rules.REFERRAL_NOT_ACCEPTED


def test_another_organisations_referral_is_not_found(client, referral):
    client.force_login(_editor(OrganizationFactory()))
    assert client.get(reverse("referrals-api:referral", args=[referral.pk])).status_code == 404
    assert client.post(reverse("referrals-api:accept", args=[referral.pk])).status_code == 404
    assert ServiceReferral.objects.get(pk=referral.pk).status == ReferralStatus.NEW


def test_someone_who_edits_no_organisation_is_refused(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert client.get(reverse("referrals-api:queue")).status_code == 403
