from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "earlyhelp.history"
    label = "history"
    verbose_name = "Historical import"
