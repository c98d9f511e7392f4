from django.urls import path

from . import api

app_name = "notifications-api"
urlpatterns = [
    path("", api.InboxApi.as_view(), name="inbox"),
    # record_id: a record's number, no larger than one can be (earlyhelp.web.api.RecordIdConverter).
    path("<record_id:notification_id>/read/", api.NotificationReadApi.as_view(), name="read"),
    path("read-all/", api.NotificationsReadAllApi.as_view(), name="read-all"),
]
