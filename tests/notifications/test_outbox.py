"""Email through the outbox, to a real SMTP server on loopback: written with the event, sent by the
worker, retried while the server is down, delivered once when it is back, never twice."""

import dataclasses
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from earlyhelp.notifications import rules
from earlyhelp.notifications.models import EmailStatus, NotificationKind, OutboundEmail
from earlyhelp.notifications.services import notification_send, outbox_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(recipient, kind=NotificationKind.ACTION_ASSIGNED, text="Book the dentist for Amira Khan", link="/plans/x/"):
    with transaction.atomic():
        return notification_send(recipient=recipient, kind=kind, text=text, link=link)


def test_an_email_waits_in_the_outbox_until_the_worker_sends_it(mail_server):
    user = UserFactory()
    _send(user)
    assert mail_server.messages == []
    email = OutboundEmail.objects.get()
    assert (email.status, email.to) == (EmailStatus.PENDING, user.email)

    assert outbox_send() == {"sent": 1, "retry": 0, "failed": 0}

    [message] = mail_server.messages
    assert message["To"] == user.email
    assert message["Subject"] == rules.email_subject(NotificationKind.ACTION_ASSIGNED)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_the_email_says_there_is_something_to_see_and_links_to_it_but_not_what(mail_server):
    _send(UserFactory(), text="Book the dentist for Amira Khan", link="/plans/abc/")
    outbox_send()
    [message] = mail_server.messages
    body = message.get_content()
    assert "http://127.0.0.1:8000/plans/abc/" in body
    for detail in ("Amira", "Khan", "dentist"):
        assert detail not in body
        assert detail not in message["Subject"]


def test_nothing_is_lost_while_the_mail_server_is_down_and_nothing_is_sent_twice(mail_server, retry_at_once):
    first, second = UserFactory(), UserFactory()
    mail_server.stop()
    assert mail_server.is_refusing()
    _send(first)
    _send(second)
    _send(first, kind=NotificationKind.MADE_LEAD)

    assert outbox_send() == {"sent": 0, "retry": 3, "failed": 0}
    assert outbox_send() == {"sent": 0, "retry": 3, "failed": 0}
    waiting = list(OutboundEmail.objects.order_by("id"))
    assert [email.status for email in waiting] == [EmailStatus.PENDING] * 3
    assert [email.attempts for email in waiting] == [2, 2, 2]
    assert {email.last_error for email in waiting} == {"ConnectionRefusedError"}

    mail_server.start()
    assert outbox_send() == {"sent": 3, "retry": 0, "failed": 0}
    assert outbox_send() == {"sent": 0, "retry": 0, "failed": 0}

    delivered = sorted((message["To"], message["Subject"]) for message in mail_server.messages)
    assert delivered == sorted(
        [
            (first.email, rules.email_subject(NotificationKind.ACTION_ASSIGNED)),
            (second.email, rules.email_subject(NotificationKind.ACTION_ASSIGNED)),
            (first.email, rules.email_subject(NotificationKind.MADE_LEAD)),
        ]
    )
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert list(OutboundEmail.objects.values_list("attempts", flat=True)) == [3, 3, 3]


def test_a_failed_email_waits_for_its_backoff_before_it_is_tried_again(mail_server):
    mail_server.stop()
    _send(UserFactory())
    assert outbox_send()["retry"] == 1
    email = OutboundEmail.objects.get()
    wait = (email.next_attempt_at - email.created_at).total_seconds()
    assert wait >= django_settings.EARLY_HELP.notifications.retry_after_seconds
    mail_server.start()
    assert outbox_send() == {"sent": 0, "retry": 0, "failed": 0}
    assert mail_server.messages == []


def test_an_email_is_given_up_after_the_configured_attempts_and_not_tried_again(mail_server, retry_at_once, settings):
    notifications = dataclasses.replace(settings.EARLY_HELP.notifications, max_attempts=2)
    settings.EARLY_HELP = dataclasses.replace(settings.EARLY_HELP, notifications=notifications)
    mail_server.stop()
    _send(UserFactory())
    assert outbox_send() == {"sent": 0, "retry": 1, "failed": 0}
    assert outbox_send() == {"sent": 0, "retry": 0, "failed": 1}
    mail_server.start()
    assert outbox_send() == {"sent": 0, "retry": 0, "failed": 0}
    assert mail_server.messages == []
    assert OutboundEmail.objects.get().status == EmailStatus.FAILED


def test_a_change_that_rolls_back_emails_no_one(mail_server):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(recipient=user, kind=NotificationKind.MADE_LEAD, text="Lead", link="/")
        raise RuntimeError("the change failed")
    assert not OutboundEmail.objects.exists()
    outbox_send()
    assert mail_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_notification_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        notification_send(recipient=UserFactory(), kind=NotificationKind.MADE_LEAD, text="Lead", link="/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once(mail_server):
    users = [UserFactory() for _ in range(12)]
    # Written straight into the outbox: through notification_send each commit would wake the test
    # settings' immediate task backend, which would send it before the two workers start.
    for user in users:
        OutboundEmail.objects.create(
            recipient=user, to=user.email, subject="Subject", body="Body", next_attempt_at=timezone.now()
        )
    start = threading.Barrier(2)
    results: list[dict] = []

    def worker():
        try:
            start.wait()
            results.append(outbox_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result["sent"] for result in results) == 12
    assert sorted(message["To"] for message in mail_server.messages) == sorted(user.email for user in users)
