"""Full-text search over listings on PostgreSQL: a trigger keeps search_vector as the English
tsvector of search_text, and a GIN index serves the search. Stored rather than computed per query,
so a search ordered by name never computes a tsvector row by row. SQLite searches word by word."""

from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION directory_service_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector('english'::regconfig, coalesce(NEW.search_text, ''));
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS directory_service_search_vector ON directory_service",
    """
    CREATE TRIGGER directory_service_search_vector BEFORE INSERT OR UPDATE ON directory_service
    FOR EACH ROW EXECUTE FUNCTION directory_service_search_vector()
    """,
    "UPDATE directory_service SET search_text = search_text",
    "CREATE INDEX IF NOT EXISTS directory_service_search_vector ON directory_service USING gin (search_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS directory_service_search_vector",
    "DROP TRIGGER IF EXISTS directory_service_search_vector ON directory_service",
    "DROP FUNCTION IF EXISTS directory_service_search_vector()",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in CREATE:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_early_help_needs_taxonomy")]
    operations = [migrations.RunPython(create, drop)]
