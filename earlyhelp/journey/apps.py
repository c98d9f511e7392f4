from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "earlyhelp.journey"
    label = "journey"
    verbose_name = "Early help journey"
