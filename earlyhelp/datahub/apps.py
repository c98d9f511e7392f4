from django.apps import AppConfig
from django.core import checks


class DatahubConfig(AppConfig):
    name = "earlyhelp.datahub"
    label = "datahub"
    verbose_name = "Partnership data hub"

    def ready(self) -> None:
        checks.register(layouts_check)
        checks.register(flag_rules_check)
        # The register's "who is involved" panel asks who else holds data on a family
        # (families/known_elsewhere.py); the hub answers with the agencies whose records are linked to it.
        from earlyhelp.families import known_elsewhere, merging

        from . import duplicates, selectors

        known_elsewhere.answer_data_holders(self.label, selectors.data_holders)
        # A merge on the register settles the likely duplicate pairs of the record merged (and its undo
        # sets them waiting again), in the merge's own transaction.
        merging.answer_merge_recorded(self.label, duplicates.merge_recorded)


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


def flag_rules_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The flag rules in force can be read and fit the layouts they name, so a council's mistake in
    them is found by `manage.py check`, not by the first run that raises flags."""
    from django.core.exceptions import ImproperlyConfigured

    from .flag_rules import flag_rules

    try:
        flag_rules()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="datahub.E002")]
    return []
