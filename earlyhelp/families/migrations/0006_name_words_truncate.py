"""A TRUNCATE of the names empties the dictionary of name words too (PostgreSQL only, as 0005).

The dictionary's triggers (0005) follow each insert, update and delete of a name, but a TRUNCATE fires
no row or DELETE trigger: emptying the register's name tables at once (`manage.py flush`, which also
ends every transactional test) left their words behind, so a name the register no longer held still
stood in the dictionary. After a TRUNCATE of either table, the words no current or previous name has
any more leave it.
"""

from django.db import migrations

NAME_TABLES = ["families_person", "families_personname"]

CREATE = """
CREATE OR REPLACE FUNCTION families_nameword_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM families_nameword known
    WHERE NOT EXISTS (SELECT 1 FROM families_person p
                      WHERE string_to_array(p.search_name, ' ') @> ARRAY[known.word::text])
      AND NOT EXISTS (SELECT 1 FROM families_personname p
                      WHERE string_to_array(p.search_name, ' ') @> ARRAY[known.word::text]);
    RETURN NULL;
END
$$;
"""

TRIGGER = """
DROP TRIGGER IF EXISTS {table}_words_truncate ON {table};
CREATE TRIGGER {table}_words_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION families_nameword_truncated();
"""

DROP = "DROP TRIGGER IF EXISTS {table}_words_truncate ON {table};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for table in NAME_TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NAME_TABLES:
        schema_editor.execute(DROP.format(table=table))
    schema_editor.execute("DROP FUNCTION IF EXISTS families_nameword_truncated();")


class Migration(migrations.Migration):
    dependencies = [("families", "0005_name_words")]
    operations = [migrations.RunPython(create, drop)]
