from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "earlyhelp.families"
    label = "families"
    verbose_name = "Family register"
