from django.apps import AppConfig


class DatahubConfig(AppConfig):
    name = "earlyhelp.datahub"
    label = "datahub"
    verbose_name = "Partnership data hub"
