from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "earlyhelp.outcomes"
    label = "outcomes"
    verbose_name = "Supporting Families outcomes and claims"
