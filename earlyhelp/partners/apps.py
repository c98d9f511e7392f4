from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "earlyhelp.partners"
    label = "partners"
    verbose_name = "Partner systems"

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the token scheme with the OpenAPI generator
