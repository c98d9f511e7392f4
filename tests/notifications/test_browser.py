"""The inbox in a real browser: a practitioner's request is triaged, the email (caught by a real SMTP
server on loopback, sent by the worker's job as the triage commits) names no child and links to the
request; the header counts the notice, the inbox shows it, and reading it clears the count; the
email choices are saved. axe-core clean on each page."""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.journey import services as journey
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.journey.factories import SupportRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_is_emailed_and_reads_the_triage_decision_in_the_inbox(page, mail_server, live_server):
    school = UserFactory(role=Role.PRACTITIONER, username="school")
    request = SupportRequestFactory(requested_by=school, child_given_name="Amira", child_family_name="Khan")
    lead = UserFactory(first_name="Lee", last_name="Lead")
    journey.support_request_triage(
        actor=UserFactory(role=Role.COORDINATOR), support_request=request, decision="assessment", lead=lead
    )

    [email] = [message for message in mail_server.messages if message["To"] == school.email]
    body = email.get_content()
    link = reverse("journey:request", args=[request.pk])
    assert link in body
    for detail in ("Amira", "Khan", "Lee Lead"):
        assert detail not in body
        assert detail not in email["Subject"]

    sign_in(page, "school", TEST_PASSWORD)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("heading", level=1, name="Notifications").wait_for()
    assert page.get_by_text(f"The lead professional is {lead.display_name}").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("Notification marked as read").wait_for()
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Open").click()
    page.wait_for_url(f"**{link}")

    page.goto(reverse("notifications:preferences"))
    page.get_by_role("heading", level=1, name="Choose which emails you get").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="A plan action was assigned to you").get_by_label("Email me a daily summary").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your email choices have been saved").wait_for()
    assert dict(school.notification_preferences.values_list("kind", "delivery")) == {"action_assigned": "digest"}
