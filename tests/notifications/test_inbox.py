"""The inbox: a person's own notifications, the unread count in the header, marking as read one or
all (audited), and the email choices, where safeguarding notices cannot be turned off."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications import rules
from earlyhelp.notifications.models import Alert, Delivery, Notification, NotificationKind, OutboundEmail
from earlyhelp.notifications.services import (
    alert_dismiss,
    alert_raise,
    digest_send,
    notification_preferences_set,
    notification_read,
    notification_send,
    notifications_read_all,
    outbox_send,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(recipient, kind=NotificationKind.ACTION_ASSIGNED, text="An action was assigned to you", link="/plans/"):
    with transaction.atomic():
        return notification_send(recipient=recipient, kind=kind, text=text, link=link)


def test_the_header_counts_the_unread_notifications_and_the_inbox_lists_only_ones_own(client):
    user, other = UserFactory(), UserFactory()
    _send(user, text="First for you")
    _send(user, text="Second for you")
    _send(other, text="Not for you")
    client.force_login(user)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "First for you" in html
    assert "Second for you" in html
    assert "Not for you" not in html
    assert '2<span class="govuk-visually-hidden"> unread</span>' in html


def test_marking_one_as_read_is_audited_and_lowers_the_count(client):
    user = UserFactory()
    first = _send(user)
    _send(user)
    client.force_login(user)
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert AuditEvent.objects.filter(object_type="notification", object_id=str(first.pk), actor=user).exists()
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert '1<span class="govuk-visually-hidden"> unread</span>' in html


def test_another_persons_notification_is_not_found_and_stays_unread(client):
    notification = _send(UserFactory())
    client.force_login(UserFactory())
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_service_refuses_to_mark_another_persons_notification():
    notification = _send(UserFactory())
    with pytest.raises(ValidationError) as error:
        notification_read(actor=UserFactory(), notification=notification)
    assert error.value.message_dict == {"notification": [rules.NOT_YOURS]}


def test_mark_all_as_read_marks_only_ones_own():
    user, other = UserFactory(), UserFactory()
    _send(user)
    _send(user)
    theirs = _send(other)
    assert notifications_read_all(actor=user) == 2
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert notifications_read_all(actor=user) == 0


def test_a_link_to_another_site_is_refused():
    for link in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        with pytest.raises(ValidationError) as error:
            _send(UserFactory(), link=link)
        assert error.value.message_dict == {"link": [rules.LINK_OUTSIDE]}
    assert not Notification.objects.exists()


def test_an_alert_comes_through_the_inbox_and_reading_either_reads_both():
    officer = UserFactory(role="dpo")
    with transaction.atomic():
        alert = alert_raise(recipient=officer, kind="break_glass", message="A record was opened in an emergency.")
    notification = Notification.objects.get(recipient=officer)
    assert (notification.kind, notification.alert, notification.link) == (
        NotificationKind.BREAK_GLASS,
        alert,
        reverse("dataprotection:overview"),
    )
    notification_read(actor=officer, notification=notification)
    alert.refresh_from_db()
    assert alert.read_at is not None

    with transaction.atomic():
        second = alert_raise(recipient=officer, kind="break_glass", message="Another.")
    alert_dismiss(actor=officer, alert=second)
    assert Notification.objects.get(alert=second).read_at is not None
    assert not Alert.objects.filter(read_at__isnull=True).exists()


# --- Email choices ---------------------------------------------------------------------------------------


def test_a_kind_turned_off_is_in_the_inbox_but_not_emailed():
    user = UserFactory()
    notification_preferences_set(actor=user, choices={NotificationKind.ACTION_ASSIGNED: Delivery.OFF})
    _send(user)
    assert Notification.objects.filter(recipient=user).count() == 1
    assert not OutboundEmail.objects.exists()


def test_safeguarding_notices_cannot_be_turned_off_and_nothing_changes():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(
            actor=user,
            choices={NotificationKind.ACTION_ASSIGNED: Delivery.OFF, NotificationKind.BREAK_GLASS: Delivery.OFF},
        )
    assert error.value.message_dict == {NotificationKind.BREAK_GLASS: [rules.SAFEGUARDING_CANNOT_BE_OFF]}
    assert not user.notification_preferences.exists()
    _send(user, kind=NotificationKind.BREAK_GLASS)
    _send(user, kind=NotificationKind.ACTION_ASSIGNED)
    assert OutboundEmail.objects.filter(recipient=user).count() == 2


@pytest.mark.parametrize("kind", sorted(rules.SAFEGUARDING))
def test_a_safeguarding_notice_is_emailed_even_if_a_stored_choice_says_off(kind):
    from earlyhelp.notifications.models import NotificationPreference

    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=kind, delivery=Delivery.OFF)
    _send(user, kind=kind)
    assert OutboundEmail.objects.filter(recipient=user).count() == 1


def test_the_daily_summary_gathers_a_persons_notices_into_one_email_that_says_only_how_many(mail_server):
    user, other = UserFactory(), UserFactory()
    notification_preferences_set(
        actor=user,
        choices={NotificationKind.ACTION_ASSIGNED: Delivery.DIGEST, NotificationKind.BREAK_GLASS: Delivery.DIGEST},
    )
    _send(user, text="Book the dentist for Amira")
    _send(user, kind=NotificationKind.BREAK_GLASS, text="Opened")
    _send(other)
    outbox_send()
    assert [message["To"] for message in mail_server.messages] == [other.email]

    assert digest_send() == {"users": 1, "notifications": 2}
    outbox_send()
    [summary] = [message for message in mail_server.messages if message["To"] == user.email]
    assert summary["Subject"] == rules.DIGEST_SUBJECT
    body = summary.get_content()
    assert "2 new notifications" in body
    assert "http://127.0.0.1:8000" + reverse("notifications:inbox") in body
    assert "Amira" not in body
    assert digest_send() == {"users": 0, "notifications": 0}


def test_the_preferences_page_saves_choices_and_offers_no_off_for_safeguarding(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert f'name="{NotificationKind.BREAK_GLASS}" type="radio" value="off"' not in page
    assert f'name="{NotificationKind.ACTION_ASSIGNED}" type="radio" value="off"' in page
    choices = {kind.value: Delivery.IMMEDIATE for kind in NotificationKind}
    choices[NotificationKind.ACTION_ASSIGNED] = Delivery.DIGEST
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    assert dict(user.notification_preferences.values_list("kind", "delivery")) == {
        NotificationKind.ACTION_ASSIGNED: Delivery.DIGEST
    }
    assert AuditEvent.objects.filter(object_type="notification_preferences", actor=user).count() == 1
