from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "earlyhelp.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"
