from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "earlyhelp.home"
    label = "home"
    verbose_name = "Home"
