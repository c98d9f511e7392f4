"""The caller's own inbox over the REST API: list it, mark one notification read, or all of them, with
the same services and audit as the inbox page. Someone else's notification is not found, like a
missing one."""

from typing import Any

from django.http import Http404
from rest_framework import serializers

from earlyhelp.web.api import ReadApi, WriteApi, model_serializer

from . import selectors, services
from .models import Notification

# Notifications a page of the list, newest first.
INBOX_PAGE_SIZE = 100

NotificationSerializer = model_serializer(
    Notification,
    "id kind text link created_at read_at",
    doc="A notification in the caller's inbox: its kind, a short text, the page to act on it, and when it "
    "was made and read.",
)


class NoBodySerializer(serializers.Serializer):
    """Nothing to send."""


class MarkedSerializer(serializers.Serializer):
    """How many notifications were marked as read."""

    marked = serializers.IntegerField()


class InboxApi(ReadApi):
    """The caller's own notifications, newest first, 100 a page: `page` asks for one (from 1, the newest), and
    the Link header names the next and the previous page."""

    shows = NotificationSerializer
    many = True
    page_size = INBOX_PAGE_SIZE

    def open(self, request, *args: Any, **kwargs: Any):
        return request.user

    def read(self, request, record):
        return selectors.inbox(record)


class NotificationReadApi(WriteApi):
    """Mark one of the caller's own notifications as read (and the alert that came with it)."""

    shows = NotificationSerializer
    takes = NoBodySerializer

    def open(self, request, notification_id: int, *args: Any, **kwargs: Any):
        notification = selectors.notification_of(request.user, notification_id)
        if notification is None:
            raise Http404
        return notification

    def write(self, request, record, data):
        return services.notification_read(actor=request.user, notification=record)


class NotificationsReadAllApi(WriteApi):
    """Mark every unread notification of the caller's as read."""

    shows = MarkedSerializer
    takes = NoBodySerializer

    def open(self, request, *args: Any, **kwargs: Any):
        return request.user

    def write(self, request, record, data):
        return {"marked": services.notifications_read_all(actor=request.user)}
