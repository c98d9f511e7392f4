from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "earlyhelp.home"
    label = "home"
    verbose_name = "Home"

    def ready(self) -> None:
        from . import health  # noqa: F401 - registers the shared cache deployment check
