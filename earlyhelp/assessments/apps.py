from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "earlyhelp.assessments"
    label = "assessments"
    verbose_name = "Early Help Assessment"
