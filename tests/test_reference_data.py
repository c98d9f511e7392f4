"""Rows a data migration installs are reinstalled for tests after a flush (tests/conftest.py)."""

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from earlyhelp.journey.indicators import DEFAULT_INDICATORS
from earlyhelp.journey.models import NeedIndicator

from .conftest import install_reference_data

# Data migrations whose rows tests/conftest.py's install_reference_data puts back.
REINSTALLED = {("journey", "0003_default_need_indicators"), ("directory", "0002_early_help_needs_taxonomy")}
# Data migrations that add no rows: triggers, indexes, or rewriting rows that already exist.
NO_ROWS = {
    ("audit", "0002_append_only"),
    ("audit", "0004_start_chain"),
    ("audit", "0006_sealed_in_batches"),
    ("families", "0002_trigram_search"),
    ("families", "0005_name_words"),  # the dictionary of name words is an index the triggers keep
    ("families", "0006_name_words_truncate"),  # a trigger: a TRUNCATE of the names empties the dictionary
    ("directory", "0003_search_indexes"),
    ("journey", "0006_feedback_survey"),
}


def test_every_data_migration_is_either_reinstalled_for_tests_or_adds_no_rows(db):
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    with_code = {
        key
        for key, migration in loader.disk_migrations.items()
        if migration.__module__.startswith("earlyhelp.")
        and any(isinstance(operation, RunPython) for operation in migration.operations)
    }
    apps_with_migrations = {app for app, _ in loader.disk_migrations}
    known = {key for key in REINSTALLED | NO_ROWS if key[0] in apps_with_migrations}
    assert with_code == known, "classify the new data migration here and, if it adds rows, in tests/conftest.py"


def test_the_default_indicators_come_back_when_none_are_left_and_tuned_ones_are_left_alone(db):
    tuned = NeedIndicator.objects.get(label=DEFAULT_INDICATORS[0][1])
    tuned.weight = 9
    tuned.save()
    NeedIndicator.objects.exclude(pk=tuned.pk).delete()
    install_reference_data()
    assert NeedIndicator.objects.count() == 1

    NeedIndicator.objects.all().delete()
    install_reference_data()
    assert NeedIndicator.objects.count() == len(DEFAULT_INDICATORS)
