"""Working together across agencies, in a real browser, with axe-core on every page.

A school practitioner asks for early help; the Early Help Team triages it in the browser; the school's
practitioner is emailed (caught by a real SMTP server on loopback) with no child named and a link to the
request, and the inbox shows the decision. The lead refers the family to a provider's service on the plan;
the family's consent to share with the provider is recorded, so the referral reaches the provider's queue.
The team manager hands the family to another worker, and both workers are told. The provider's editor
accepts the referral, and the new lead sees the answer on the plan.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import AgencyKind, Role
from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.services import consent_record
from earlyhelp.directory.models import DirectoryEditor
from earlyhelp.families.models import MemberRole
from earlyhelp.journey.models import Episode, SupportRequest
from earlyhelp.notifications.models import Notification, NotificationKind
from earlyhelp.plans.models import ReferralStatus, ServiceReferral
from tests.assessments.factories import ApprovedVersionFactory
from tests.browser_support import assert_accessible, fill_date, sign_in
from tests.directory.factories import OrganizationFactory, ServiceFactory
from tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from tests.plans.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.username, TEST_PASSWORD)


def _submit(page, button: str) -> None:
    """Press a form's button and wait for the server's answer, so the test reads the database only after the
    request that changed it has finished (the live server shares it)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_agencies_work_together_on_one_family(page, mail_server, live_server):
    school = TeamFactory(
        name="Pastoral Team", agency=AgencyFactory(name="Eastfield Academy", kind=AgencyKind.EDUCATION)
    )
    ehm = TeamFactory(name="Family Support", agency=AgencyFactory(name="Early Help", kind=AgencyKind.LOCAL_AUTHORITY))
    teacher = UserFactory(username="teacher", team=school, agency=school.agency)
    coordinator = UserFactory(username="coord", role=Role.COORDINATOR, team=ehm, agency=ehm.agency)
    first_lead = UserFactory(username="lead1", first_name="Lee", last_name="Lead", team=ehm, agency=ehm.agency)
    second_lead = UserFactory(username="lead2", first_name="Nia", last_name="Next", team=ehm, agency=ehm.agency)
    manager = UserFactory(username="boss", role=Role.MANAGER, team=ehm, agency=ehm.agency)
    provider = OrganizationFactory(
        name="Families Together", agency=AgencyFactory(name="Families Together (charity)", kind=AgencyKind.VOLUNTARY)
    )
    mentoring = ServiceFactory(name="Family Mentoring", organization=provider)
    editor = UserFactory(username="provider", role=Role.PROVIDER_EDITOR, team=None, agency=provider.agency)
    DirectoryEditor.objects.create(user=editor, organization=provider)
    household = HouseholdFactory(name="Rivers family")
    rosa = PersonFactory(given_name="Rosa", family_name="Rivers", date_of_birth=date(2016, 3, 4))
    dana = PersonFactory(given_name="Dana", family_name="Rivers", date_of_birth=date(1988, 7, 9))
    MembershipFactory(household=household, person=rosa, role=MemberRole.CHILD)
    MembershipFactory(household=household, person=dana, role=MemberRole.PARENT)

    # The school asks for early help, starting from the "is this child known?" check.
    _sign_in_as(page, teacher)
    page.goto("/journey/requests/check/")
    page.get_by_label("Child's first name").fill("Rosa")
    page.get_by_label("Child's last name").fill("Rivers")
    fill_date(page, "Date of birth (optional)", date(2016, 3, 4))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="This child is known")).to_be_visible()
    page.get_by_role("link", name="Continue to the request").click()
    page.get_by_label("What is worrying you").fill("Rosa is often late and mum is struggling.")
    page.get_by_label("The family knows about this request and agrees to it").check()
    _submit(page, "Send the request")
    assert_accessible(page)
    support_request = SupportRequest.objects.get()

    # The Early Help Team triages it to an assessment led by the first worker.
    _sign_in_as(page, coordinator)
    page.goto("/journey/requests/")
    page.get_by_role("link", name=support_request.reference).click()
    page.get_by_role("link", name="Triage this request").click()
    assert_accessible(page)
    page.get_by_label("Early help assessment").check()
    page.get_by_label("Rivers family", exact=False).check()
    page.get_by_label("Who will lead the assessment").select_option(str(first_lead.id))
    page.get_by_label("Reason for the decision").fill("Needs across school and home")
    _submit(page, "Record the decision")
    expect(page.locator("main")).to_contain_text("triaged")
    assert_accessible(page)

    # The school's practitioner is emailed: no child, no lead named, a link to the request.
    request_link = reverse("journey:request", args=[support_request.pk])
    [email] = [message for message in mail_server.messages if message["To"] == teacher.email]
    for detail in ("Rosa", "Rivers", "Lee Lead"):
        assert detail not in email["Subject"]
        assert detail not in email.get_content()
    assert request_link in email.get_content()
    # ... and the inbox says who leads.
    _sign_in_as(page, teacher)
    page.get_by_role("link", name="Notifications 1 unread").click()
    expect(page.get_by_text(f"The lead professional is {first_lead.display_name}")).to_be_visible()
    assert_accessible(page)

    # The assessment is approved and the plan made (their own browser stories cover those pages); the family
    # agrees to share with the provider for a referral.
    episode = Episode.objects.get(household=household)
    ApprovedVersionFactory(episode=episode)
    plan = PlanFactory(episode=episode, created_by=first_lead)
    consent_record(actor=first_lead, person=dana, agencies=[provider.agency], purpose=SharingPurpose.REFERRAL)

    # The lead refers the family to the provider's service from the plan.
    _sign_in_as(page, first_lead)
    page.goto(reverse("plans:plan", args=[household.id, plan.id]))
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will be done").fill("Weekly mentoring for mum")
    page.get_by_label("Practitioner").select_option(str(first_lead.id))
    page.get_by_label("Refer to a service in the directory").select_option(str(mentoring.id))
    fill_date(page, "By when", timezone.localdate() + timedelta(days=21))
    assert_accessible(page)
    _submit(page, "Add action")
    assert_accessible(page)
    referral = ServiceReferral.objects.get(action__plan=plan)
    assert referral.status == ReferralStatus.NEW

    # The manager hands the family to the second worker; both workers are told.
    _sign_in_as(page, manager)
    page.goto(reverse("oversight:caseload"))
    assert_accessible(page)
    page.get_by_role("link", name="Rivers family").first.click()
    page.goto(reverse("oversight:supervision", args=[household.id]))
    page.get_by_role("link", name="Change the lead professional").click()
    assert_accessible(page)
    page.get_by_label("New lead professional").select_option(str(second_lead.id))
    page.get_by_label("Handover note").fill("Mum prefers calls after 3pm.")
    page.get_by_label("In person").check()
    fill_date(page, "Date the family was told", timezone.localdate())
    _submit(page, "Change the lead professional")
    assert_accessible(page)
    assert Notification.objects.filter(recipient=second_lead, kind=NotificationKind.MADE_LEAD).exists()
    assert Notification.objects.filter(recipient=first_lead, kind=NotificationKind.LEAD_CHANGED).exists()

    # The provider's editor accepts the referral from their own queue.
    _sign_in_as(page, editor)
    page.get_by_role("link", name="Referrals").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Dana Rivers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Accept or decline").click()
    page.get_by_label("Accept: we will work with the family").check()
    assert_accessible(page)
    _submit(page, "Send your answer")
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    # The new lead sees the answer on the plan.
    _sign_in_as(page, second_lead)
    page.goto(reverse("plans:plan", args=[household.id, plan.id]))
    expect(page.get_by_text("Accepted by Families Together")).to_be_visible()
    assert_accessible(page)
