from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.early_help import EarlyHelpSettings
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


@override_settings(EARLY_HELP=EarlyHelpSettings(break_glass_hours=2, front_door_contact="x", search_result_limit=50))
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


@pytest.mark.parametrize(
    "reason",
    ["\u200b" * 25, "\u200b \u200b " * 12, "!!!!!!!!!!!!!!!!!!!!!!!!", "aaaaaaaaaaaaaaaaaaaaaaaaa", "urgent\u200b" * 4],
)
def test_break_glass_refuses_a_reason_without_real_words_and_opens_nothing(child, reason):
    practitioner = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=reason)
    assert error.value.message_dict["reason"][0] in {
        services.BREAK_GLASS_REASON_REQUIRED,
        services.BREAK_GLASS_REASON_TOO_SHORT,
        services.BREAK_GLASS_REASON_NOT_WORDS,
    }
    assert not BreakGlassGrant.objects.exists()
    assert not Alert.objects.exists()


def test_a_reason_of_zero_width_spaces_is_refused_as_no_reason(child):
    with pytest.raises(ValidationError) as error:
        services.break_glass_open(actor=UserFactory(), nhs_number=child.nhs_number, reason="\u200b" * 25)
    assert error.value.message_dict["reason"] == [services.BREAK_GLASS_REASON_REQUIRED]


def test_a_second_break_glass_while_one_lasts_grants_nothing_more_and_alerts_no_one_again(child):
    practitioner = UserFactory()
    UserFactory(role=Role.MANAGER, team=practitioner.team, agency=practitioner.agency)
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    alerts = Alert.objects.count()
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON + " again")
    assert BreakGlassGrant.objects.filter(user=practitioner).count() == 1
    assert Alert.objects.count() == alerts


def test_a_second_break_glass_page_shows_the_grant_that_still_lasts(client, child):
    practitioner = UserFactory()
    household = child.memberships.get().household
    client.force_login(practitioner)
    client.post("/data-protection/break-glass/", {"nhs_number": child.nhs_number, "reason": REASON})
    response = client.post(
        "/data-protection/break-glass/", {"nhs_number": child.nhs_number, "reason": REASON}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("families:household", args=[household.id])
    assert "You opened this record break-glass already" in response.content.decode()
    assert BreakGlassGrant.objects.filter(user=practitioner).count() == 1
    form_page = client.get("/data-protection/break-glass/").content.decode()
    assert "Records you have open now" in form_page
    assert household.name in form_page


def test_break_glass_by_someone_whose_agency_has_no_manager_alerts_the_early_help_teams_managers(child):
    school_worker = UserFactory()
    coordinator = UserFactory(role=Role.COORDINATOR)
    early_help_manager = UserFactory(role=Role.MANAGER, team=coordinator.team, agency=coordinator.agency)
    officer = UserFactory(role=Role.DPO)
    services.break_glass_open(actor=school_worker, nhs_number=child.nhs_number, reason=REASON)
    assert {alert.recipient for alert in Alert.objects.filter(kind="break_glass")} == {early_help_manager, officer}


def test_without_a_manager_in_the_early_help_team_its_agencys_managers_are_alerted(child):
    school_worker = UserFactory()
    coordinator = UserFactory(role=Role.COORDINATOR)
    agency_manager = UserFactory(role=Role.MANAGER, agency=coordinator.agency, team=None)
    services.break_glass_open(actor=school_worker, nhs_number=child.nhs_number, reason=REASON)
    assert {alert.recipient for alert in Alert.objects.filter(kind="break_glass")} == {agency_manager}
