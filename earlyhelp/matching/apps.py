from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "earlyhelp.matching"
    label = "matching"
    verbose_name = "Record matching"
