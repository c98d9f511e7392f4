"""Trigram indexes for typo-tolerant name search on PostgreSQL. SQLite has no pg_trgm: there
search falls back to rapidfuzz (selectors._name_matches), so these run on PostgreSQL only."""

from django.db import migrations

INDEXES = [
    ("person_search_name_trgm", "families_person"),
    ("personname_search_name_trgm", "families_personname"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
