from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "earlyhelp.notifications"
    label = "notifications"
    verbose_name = "Notifications"
