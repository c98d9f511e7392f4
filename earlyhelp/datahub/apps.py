from django.apps import AppConfig
from django.core import checks


class DatahubConfig(AppConfig):
    name = "earlyhelp.datahub"
    label = "datahub"
    verbose_name = "Partnership data hub"

    def ready(self) -> None:
        checks.register(layouts_check)


def layouts_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every layout document the data hub would offer can be read, so a council's mistake in one is
    found by `manage.py check` when it is deployed, not when a partner's file meets it."""
    from django.core.exceptions import ImproperlyConfigured

    from .catalogue import layout_catalogue

    try:
        layout_catalogue()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="datahub.E001")]
    return []
