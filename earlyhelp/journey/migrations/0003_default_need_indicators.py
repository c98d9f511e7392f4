"""The default thresholds tool (earlyhelp/journey/indicators.py). The Early Help Team tunes the
indicators in admin; this only ships a starting set."""

from django.db import migrations

from earlyhelp.journey.indicators import DEFAULT_INDICATORS, install_default_indicators


def add_defaults(apps, schema_editor):
    install_default_indicators(apps.get_model("journey", "NeedIndicator"))


def remove_defaults(apps, schema_editor):
    apps.get_model("journey", "NeedIndicator").objects.filter(label__in=[row[1] for row in DEFAULT_INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("journey", "0002_front_door_levels_steps_closure")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
