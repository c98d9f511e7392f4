from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "earlyhelp.oversight"
    label = "oversight"
    verbose_name = "Management oversight"
