from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.dataprotection import services
from earlyhelp.families.access import NOT_FOUND, RecordNotFound, access_household_by_id, visible_persons
from earlyhelp.families.models import BreakGlassGrant
from earlyhelp.notifications.models import Alert
from tests.dataprotection.factories import BreakGlassGrantFactory
from tests.factories import MembershipFactory, UserFactory

REASON = "Police report the child alone at home late tonight"


@pytest.fixture
def child(db):
    return MembershipFactory().person


def test_break_glass_opens_the_record_for_a_limited_time_and_alerts_manager_and_dpo(child):
    practitioner = UserFactory()
    manager = UserFactory(role=Role.MANAGER, team=practitioner.team, agency=practitioner.agency)
    officer = UserFactory(role=Role.DPO)
    household = child.memberships.get().household
    with pytest.raises(RecordNotFound):
        access_household_by_id(practitioner, household.id)
    opened = services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    assert opened == [household]
    assert access_household_by_id(practitioner, household.id) == household
    assert visible_persons(practitioner).filter(id=child.id).exists()
    grant = BreakGlassGrant.objects.get(user=practitioner)
    assert grant.expires_at - grant.granted_at == timedelta(hours=24)
    assert {alert.recipient for alert in Alert.objects.filter(kind="break_glass")} == {manager, officer}
    view = AuditEvent.objects.filter(actor=practitioner, action="view", household_id=household.id).first()
    assert view.details["grant"] == "break-glass"


@override_settings(EARLY_HELP={"BREAK_GLASS_HOURS": 2, "FRONT_DOOR_CONTACT": "x", "SEARCH_RESULT_LIMIT": 50})
def test_break_glass_lasts_the_configured_time(child):
    practitioner = UserFactory()
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == timedelta(hours=2)


def test_an_expired_grant_gives_the_same_not_found_as_a_missing_record(child):
    practitioner = UserFactory()
    household = child.memberships.get().household
    BreakGlassGrantFactory(user=practitioner, household=household, expired=True)
    with pytest.raises(RecordNotFound) as expired:
        access_household_by_id(practitioner, household.id)
    assert str(expired.value) == NOT_FOUND


def test_break_glass_without_a_reason_is_refused_and_opens_nothing(child):
    practitioner = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=" ")
    assert error.value.message_dict["reason"] == [services.BREAK_GLASS_REASON_REQUIRED]
    assert not BreakGlassGrant.objects.exists()
    assert not Alert.objects.exists()


def test_break_glass_for_an_unknown_child_says_only_what_is_this_child_known_says(db):
    practitioner = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.break_glass_open(
            actor=practitioner, given_name="No", family_name="Body", date_of_birth=date(2015, 1, 1), reason=REASON
        )
    assert error.value.message_dict["given_name"] == [services.BREAK_GLASS_NO_RECORD]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN, Role.DPO, Role.COORDINATOR])
def test_roles_that_do_not_break_glass_are_refused(child, role):
    with pytest.raises(ValidationError):
        services.break_glass_open(actor=UserFactory(role=role), nhs_number=child.nhs_number, reason=REASON)


def test_the_record_shows_its_break_glass_history(client, child):
    practitioner = UserFactory()
    household = child.memberships.get().household
    client.force_login(practitioner)
    response = client.post(
        "/data-protection/break-glass/", {"nhs_number": child.nhs_number, "reason": REASON}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert household.name in page
    assert "Break-glass access" in page
    assert REASON in page


def test_the_manager_sees_the_alert_on_their_home_page_and_can_mark_it_read(client, child):
    practitioner = UserFactory()
    manager = UserFactory(role=Role.MANAGER, team=practitioner.team, agency=practitioner.agency)
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    client.force_login(manager)
    assert "opened a family&#x27;s record they are not involved with" in client.get("/").content.decode()
    alert = Alert.objects.get(recipient=manager)
    client.post(f"/data-protection/alerts/{alert.id}/dismiss/")
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert alert.read_at <= timezone.now()
