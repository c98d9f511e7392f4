from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "earlyhelp.imports"
    label = "imports"
    verbose_name = "Imports"
