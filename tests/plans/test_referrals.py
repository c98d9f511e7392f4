"""Referrals that providers answer: a plan action that refers the family to a directory service is held
until sharing with the provider is covered, then the provider's editors see it in their queue (the
minimum of the family's record), open it, accept or decline it with a reason, and complete it; the lead
professional sees the answer on the plan."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import AgencyKind, Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.services import consent_record, consent_withdraw
from earlyhelp.directory.models import DirectoryEditor
from earlyhelp.families.models import MemberRole
from earlyhelp.notifications.models import Notification, NotificationKind, OutboundEmail
from earlyhelp.plans import referral_selectors, referral_services, rules, services
from earlyhelp.plans.models import ReferralStatus, ServiceReferral
from earlyhelp.plans.selectors import referrals_by_service
from earlyhelp.web.errors import RefusedError
from tests.directory.factories import OrganizationFactory, ServiceFactory
from tests.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + timedelta(days=14)


@pytest.fixture
def provider(db):
    agency = AgencyFactory(name="Families Together (charity)", kind=AgencyKind.VOLUNTARY)
    return OrganizationFactory(name="Families Together", agency=agency)


@pytest.fixture
def service(provider):
    return ServiceFactory(name="Family Mentoring", organization=provider)


def _editor_of(organization, **kwargs):
    user = UserFactory(role=Role.PROVIDER_EDITOR, team=None, agency=organization.agency, **kwargs)
    DirectoryEditor.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def editor(provider):
    return _editor_of(provider, first_name="Faye", last_name="Roberts")


@pytest.fixture
def parent(plan):
    person = PersonFactory(
        given_name="Dana",
        family_name="Okafor",
        date_of_birth=date(1988, 5, 1),
        address_line_1="12 Mill Lane",
        town="Huyton",
        postcode="L36 9XY",
        phone="07700 900123",
        email="dana@example.org",
    )
    MembershipFactory(household=plan.household, person=person, role=MemberRole.PARENT, started_on=date(2010, 1, 1))
    return person


def _refer(plan, lead, service, **kwargs):
    action = services.plan_action_add(
        actor=lead, plan=plan, what="Weekly mentoring for mum", due_on=DUE, practitioner=lead, service=service, **kwargs
    )
    return ServiceReferral.objects.get(action=action)


def _consent(lead, person, provider):
    # The plan fixture's other parent is young; their own consent is recorded as a competent young person's.
    return consent_record(
        actor=lead,
        person=person,
        agencies=[provider.agency],
        purpose=SharingPurpose.REFERRAL,
        young_person_competent=True,
    )


def _consent_all_adults(plan, lead, provider):
    for membership in plan.household.memberships.filter(role=MemberRole.PARENT, ended_on__isnull=True):
        _consent(lead, membership.person, provider)


# --- Consent gating ----------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_held_and_not_in_the_providers_queue(plan, lead, service, editor, parent):
    referral = _refer(plan, lead, service)
    assert referral.status == ReferralStatus.AWAITING_CONSENT
    assert referral.person == parent
    assert referral_selectors.provider_queue(editor) == []
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL_RECEIVED).exists()


def test_the_lead_sees_on_the_plan_that_the_referral_waits_for_consent(client, plan, lead, service, parent):
    _refer(plan, lead, service)
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "Waiting for the family&#x27;s consent" in page
    assert "consent to share their details with Families Together for a referral is not recorded" in page
    assert reverse("consent:household", args=[plan.household_id]) in page


def test_recording_consent_later_releases_the_referral_and_tells_the_providers_editors(
    plan, lead, service, editor, parent
):
    referral = _refer(plan, lead, service)
    _consent_all_adults(plan, lead, service.organization)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW
    assert referral.released_at is not None
    assert referral_selectors.provider_queue(editor) == [referral]
    notice = Notification.objects.get(kind=NotificationKind.REFERRAL_RECEIVED)
    assert notice.recipient == editor
    assert notice.link == reverse("referrals:referral", args=[referral.pk])
    assert parent.given_name not in notice.text and plan.household.name not in notice.text
    assert AuditEvent.objects.filter(
        object_type="service_referral", object_id=str(referral.pk), details__to=ReferralStatus.NEW
    ).exists()


def test_consent_for_another_purpose_or_agency_does_not_release_it(plan, lead, service, parent):
    referral = _refer(plan, lead, service)
    consent_record(actor=lead, person=parent, agencies=[service.organization.agency], purpose=SharingPurpose.ASSESSMENT)
    consent_record(actor=lead, person=parent, agencies=[lead.agency], purpose=SharingPurpose.REFERRAL)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_CONSENT


def test_a_referral_is_sent_at_once_when_consent_is_already_recorded(plan, lead, service, editor, parent):
    _consent_all_adults(plan, lead, service.organization)
    referral = _refer(plan, lead, service)
    assert referral.status == ReferralStatus.NEW
    assert Notification.objects.filter(kind=NotificationKind.REFERRAL_RECEIVED, recipient=editor).count() == 1


def test_a_provider_not_linked_to_an_agency_holds_the_referral_and_the_plan_says_why(client, plan, lead, parent):
    unlinked = ServiceFactory(name="Youth Club", organization=OrganizationFactory(name="Youth Works", agency=None))
    referral = _refer(plan, lead, unlinked)
    assert referral.status == ReferralStatus.AWAITING_CONSENT
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "Youth Works is not linked to a partnership agency" in page


def test_after_consent_is_withdrawn_a_new_referral_waits_and_one_already_sent_stays_sent(plan, lead, service, parent):
    _consent_all_adults(plan, lead, service.organization)
    sent = _refer(plan, lead, service)
    consent_withdraw(actor=lead, consent=parent.consents.get())
    later = _refer(plan, lead, service)
    sent.refresh_from_db()
    assert (sent.status, later.status) == (ReferralStatus.NEW, ReferralStatus.AWAITING_CONSENT)


# --- The provider's queue and one referral -----------------------------------------------------------------


@pytest.fixture
def sent(plan, lead, service, parent):
    _consent_all_adults(plan, lead, service.organization)
    return _refer(plan, lead, service)


def test_the_provider_reads_only_the_minimum_of_the_family_record(client, sent, editor, parent, plan):
    client.force_login(editor)
    page = client.get(reverse("referrals:referral", args=[sent.pk])).content.decode()
    for shown in ("Dana Okafor", "12 Mill Lane", "Huyton", "L36 9XY", "07700 900123", "Weekly mentoring for mum"):
        assert shown in page
    others = [m.person for m in plan.household.memberships.exclude(person=parent).select_related("person")]
    for hidden in (plan.household.name, parent.nhs_number, "dana@example.org", "1988", *(p.full_name for p in others)):
        assert hidden not in page
    details = referral_selectors.referral_details(sent)
    assert set(vars(details)) == {
        "id", "status", "status_label", "service", "organization", "given_name", "family_name", "address",
        "postcode", "phone", "reason", "referred_by", "referred_at", "decline_reason", "answered_at", "completed_at",
    }  # fmt: skip


def test_opening_a_referral_is_audited_and_marks_it_opened(client, sent, editor, plan, parent):
    client.force_login(editor)
    client.get(reverse("referrals:referral", args=[sent.pk]))
    client.get(reverse("referrals:referral", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.OPENED
    views = AuditEvent.objects.filter(object_type="service_referral", object_id=str(sent.pk), action=Action.VIEW)
    assert views.count() == 2
    assert {(v.actor_id, v.household_id, v.person_id) for v in views} == {(editor.pk, plan.household_id, parent.pk)}


def test_the_queue_lists_the_organisations_referrals_by_status_and_is_audited(client, sent, editor, provider):
    other = ReferralFactory()  # another organisation's
    ReferralFactory(action__plan=sent.action.plan, service=sent.service, awaiting=True)
    client.force_login(editor)
    page = client.get(reverse("referrals:queue")).content.decode()
    assert reverse("referrals:referral", args=[sent.pk]) in page
    assert reverse("referrals:referral", args=[other.pk]) not in page
    assert "New (1)" in page
    accepted = client.get(reverse("referrals:queue"), {"status": "accepted"}).content.decode()
    assert reverse("referrals:referral", args=[sent.pk]) not in accepted
    event = AuditEvent.objects.filter(object_type="service_referral_queue").latest("id")
    assert event.actor == editor and event.details["count"] == 0


def test_another_organisations_referral_is_not_found(client, sent):
    stranger = _editor_of(OrganizationFactory(agency=AgencyFactory()))
    client.force_login(stranger)
    for name in ("referrals:referral", "referrals:answer", "referrals:complete"):
        assert client.get(reverse(name, args=[sent.pk])).status_code == 404
    assert client.post(reverse("referrals:answer", args=[sent.pk]), {"answer": "accept"}).status_code == 404
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.NEW
    with pytest.raises(RefusedError):
        referral_services.referral_accept(actor=stranger, referral=sent)


def test_a_referral_held_for_consent_is_not_found_by_its_provider(client, plan, lead, service, editor, parent):
    held = _refer(plan, lead, service)
    client.force_login(editor)
    assert client.get(reverse("referrals:referral", args=[held.pk])).status_code == 404


# --- Answers -----------------------------------------------------------------------------------------------


def test_accepting_tells_the_lead_and_the_plan_shows_it(client, sent, editor, lead, plan):
    client.force_login(editor)
    response = client.post(reverse("referrals:answer", args=[sent.pk]), {"answer": "accept"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.answered_by) == (ReferralStatus.ACCEPTED, editor)
    notice = Notification.objects.get(kind=NotificationKind.REFERRAL_ANSWERED)
    assert notice.recipient == lead
    assert notice.link == reverse("plans:plan", args=[plan.household_id, plan.pk])
    assert "Dana" not in notice.text and plan.household.name not in notice.text
    email = OutboundEmail.objects.get(recipient=lead)
    assert "Dana" not in email.subject + email.body and "Family Mentoring" not in email.body
    assert AuditEvent.objects.filter(object_id=str(sent.pk), details__to=ReferralStatus.ACCEPTED).count() == 1
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "Accepted by Families Together" in page


def test_declining_needs_a_reason_and_without_one_changes_nothing(client, sent, editor):
    client.force_login(editor)
    response = client.post(reverse("referrals:answer", args=[sent.pk]), {"answer": "decline", "reason": "  "})
    assert response.status_code == 200
    assert referral_services.DECLINE_REASON_REQUIRED in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.NEW
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL_ANSWERED).exists()
    with pytest.raises(ValidationError) as error:
        referral_services.referral_decline(actor=editor, referral=sent, reason="")
    assert error.value.message_dict == {"reason": [referral_services.DECLINE_REASON_REQUIRED]}


def test_a_declined_referral_shows_its_reason_to_the_lead(client, sent, editor, lead, plan):
    referral_services.referral_decline(actor=editor, referral=sent, reason="Our waiting list is closed until June")
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "Declined by Families Together" in page
    assert "Our waiting list is closed until June" in page


def test_completing_an_accepted_referral_tells_the_lead(sent, editor, lead):
    accepted = referral_services.referral_accept(actor=editor, referral=sent)
    completed = referral_services.referral_complete(actor=editor, referral=accepted)
    assert completed.status == ReferralStatus.COMPLETED and completed.completed_at is not None
    assert Notification.objects.filter(kind=NotificationKind.REFERRAL_ANSWERED, recipient=lead).count() == 2


@pytest.mark.parametrize(
    ("status", "move", "message"),
    [
        (ReferralStatus.NEW, "complete", rules.REFERRAL_NOT_ACCEPTED),
        (ReferralStatus.DECLINED, "accept", rules.REFERRAL_DECLINED),
        (ReferralStatus.COMPLETED, "decline", rules.REFERRAL_COMPLETED),
        (ReferralStatus.ACCEPTED, "accept", "A referral that is accepted cannot become accepted"),
    ],
)
def test_a_move_the_rules_refuse_says_why_and_changes_nothing(editor, provider, status, move, message):
    reason = "Full" if status == ReferralStatus.DECLINED else ""
    referral = ReferralFactory(service__organization=provider, status=status, decline_reason=reason)
    service = getattr(referral_services, f"referral_{move}")
    arguments = {"reason": "No places"} if move == "decline" else {}
    with pytest.raises(RefusedError) as refused:
        service(actor=editor, referral=referral, **arguments)
    assert refused.value.reason == message
    assert ServiceReferral.objects.get(pk=referral.pk).status == status
    assert not AuditEvent.objects.filter(object_id=str(referral.pk)).exists()


def test_the_complete_page_refuses_an_unanswered_referral_before_the_button_is_pressed(client, sent, editor):
    client.force_login(editor)
    page = client.get(reverse("referrals:complete", args=[sent.pk])).content.decode()
    assert rules.REFERRAL_NOT_ACCEPTED in page


def test_the_database_holds_a_declined_referral_to_its_reason(provider):
    referral = ReferralFactory(service__organization=provider)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReferral.objects.filter(pk=referral.pk).update(status=ReferralStatus.DECLINED)


# --- The coverage report -----------------------------------------------------------------------------------


def test_the_coverage_report_counts_what_providers_answered(provider):
    service = ServiceFactory(name="Family Mentoring", organization=provider)
    for status in (ReferralStatus.AWAITING_CONSENT, ReferralStatus.NEW, ReferralStatus.OPENED):
        ReferralFactory(
            service=service, status=status,
            released_at=None if status == ReferralStatus.AWAITING_CONSENT else timezone.now(),
        )  # fmt: skip
    ReferralFactory(service=service, accepted=True)
    ReferralFactory(service=service, status=ReferralStatus.COMPLETED)
    declined = ReferralFactory(service=service, action__service=service)
    ServiceReferral.objects.filter(pk=declined.pk).update(status=ReferralStatus.DECLINED, decline_reason="Full")
    (row,) = referrals_by_service()
    assert (row.total, row.waiting, row.accepted, row.declined, row.provider_completed) == (6, 3, 1, 1, 1)


def test_the_coverage_page_shows_the_answers(client, provider):
    ReferralFactory(service__organization=provider, service__name="Family Mentoring", accepted=True)
    ServiceReferral.objects.update()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    page = client.get(reverse("directory:coverage")).content.decode()
    assert "What the providers answered" in page


# --- Navigation --------------------------------------------------------------------------------------------


def test_the_directory_page_leads_an_editor_of_any_role_to_the_queue(client, provider):
    practitioner_editor = UserFactory(role=Role.PRACTITIONER)
    DirectoryEditor.objects.create(user=practitioner_editor, organization=provider)
    client.force_login(practitioner_editor)
    assert reverse("referrals:queue") in client.get(reverse("directory:home")).content.decode()
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    assert reverse("referrals:queue") not in client.get(reverse("directory:home")).content.decode()


# --- Withdrawn when no longer needed ------------------------------------------------------------------------


def test_cancelling_the_action_withdraws_an_accepted_referral_from_the_providers_queue(client, sent, editor, lead):
    referral_services.referral_accept(actor=editor, referral=sent)
    services.plan_action_status_change(actor=lead, action=sent.action, status="cancelled", note="Mum found work")
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.WITHDRAWN
    # The provider no longer sees the family's details, and is told why the referral went.
    client.force_login(editor)
    assert client.get(reverse("referrals:referral", args=[sent.pk])).status_code == 404
    assert sent.pk not in {referral.pk for referral in referral_selectors.provider_queue(editor)}
    notice = Notification.objects.get(recipient=editor, kind=NotificationKind.REFERRAL_WITHDRAWN)
    assert "Okafor" not in notice.text
    assert AuditEvent.objects.filter(object_type="service_referral", object_id=str(sent.pk)).count() >= 3


def test_a_referral_held_for_consent_is_withdrawn_without_telling_the_provider(plan, lead, service, editor, parent):
    held = _refer(plan, lead, service)
    services.plan_action_status_change(actor=lead, action=held.action, status="cancelled")
    held.refresh_from_db()
    assert (held.status, held.released_at) == (ReferralStatus.WITHDRAWN, None)
    assert not Notification.objects.filter(recipient=editor).exists()
    # Consent recorded later does not send it.
    _consent_all_adults(plan, lead, service.organization)
    held.refresh_from_db()
    assert held.status == ReferralStatus.WITHDRAWN


def test_a_withdrawn_referral_cannot_be_answered(sent, editor, lead):
    services.plan_action_status_change(actor=lead, action=sent.action, status="cancelled")
    sent.refresh_from_db()
    with pytest.raises(RefusedError, match="withdrawn"):
        referral_services.referral_accept(actor=editor, referral=sent)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.WITHDRAWN


def test_a_declined_referral_stays_declined_when_its_action_is_cancelled(sent, editor, lead):
    referral_services.referral_decline(actor=editor, referral=sent, reason="No places until spring")
    services.plan_action_status_change(actor=lead, action=sent.action, status="cancelled")
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.DECLINED
