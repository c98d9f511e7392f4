"""Word-by-word name search on PostgreSQL (decisions/0008): an index of each name's words, and the
dictionary of name words that a typed word is corrected against.

A GIN index on the words of each search key (`string_to_array(search_name, ' ')`, on current and
previous names) finds the names having one of a set of words with the array overlap operator `&&`.

`families_nameword` holds each distinct word of the current and previous names' search keys;
`families_nameword_variant` holds each word and the word with one letter
left out, so that a word typed with one slip finds its dictionary word through a btree lookup
(two words one slip apart share a variant). Statement-level triggers keep both up to date on every
insert, update and delete of a name, bulk loads included; a word no name uses any more leaves the
dictionary. SQLite has none: there each name is matched in Python (selectors._name_matches).
"""

from django.db import migrations

CREATE = """
CREATE TABLE families_nameword (
    word varchar(201) PRIMARY KEY
);
CREATE TABLE families_nameword_variant (
    variant varchar(201) NOT NULL,
    word varchar(201) NOT NULL REFERENCES families_nameword (word) ON DELETE CASCADE,
    PRIMARY KEY (variant, word)
);
CREATE INDEX families_nameword_variant_word ON families_nameword_variant (word);
CREATE INDEX person_search_name_words ON families_person USING gin (string_to_array(search_name, ' '));
CREATE INDEX personname_search_name_words ON families_personname USING gin (string_to_array(search_name, ' '));

-- The word and the word with each one of its letters left out (rules.name_word_variants does the same).
CREATE OR REPLACE FUNCTION families_nameword_variants(word text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
    SELECT word
    UNION
    SELECT left(word, i - 1) || substr(word, i + 1) FROM generate_series(1, length(word)) i WHERE length(word) > 1
$$;

CREATE OR REPLACE FUNCTION families_nameword_add_variants() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO families_nameword_variant (variant, word)
    SELECT v, NEW.word FROM families_nameword_variants(NEW.word) v
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- Adding a word that is already there takes no lock: creating people named alike never waits on another.
CREATE OR REPLACE FUNCTION families_nameword_remember(names text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO families_nameword (word)
    SELECT DISTINCT w FROM unnest(names) name, unnest(string_to_array(name, ' ')) w ORDER BY w
    ON CONFLICT (word) DO NOTHING;
$$;

-- A word of a name removed or changed leaves the dictionary when no current or previous name has it
-- any more (through the word indexes), so an erased name leaves no trace there.
CREATE OR REPLACE FUNCTION families_nameword_forget(names text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM families_nameword known
    WHERE known.word IN (SELECT w FROM unnest(names) name, unnest(string_to_array(name, ' ')) w)
      AND NOT EXISTS (SELECT 1 FROM families_person p
                      WHERE string_to_array(p.search_name, ' ') @> ARRAY[known.word::text])
      AND NOT EXISTS (SELECT 1 FROM families_personname p
                      WHERE string_to_array(p.search_name, ' ') @> ARRAY[known.word::text]);
$$;

-- Only names whose search key changed are counted again on an update: an address change touches no word.
CREATE OR REPLACE FUNCTION families_nameword_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM families_nameword_remember(ARRAY(SELECT search_name FROM new_names));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM families_nameword_forget(ARRAY(SELECT search_name FROM old_names));
    ELSE
        PERFORM families_nameword_forget(ARRAY(
            SELECT o.search_name FROM old_names o JOIN new_names n ON n.id = o.id
            WHERE n.search_name IS DISTINCT FROM o.search_name));
        PERFORM families_nameword_remember(ARRAY(
            SELECT n.search_name FROM old_names o JOIN new_names n ON n.id = o.id
            WHERE n.search_name IS DISTINCT FROM o.search_name));
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS families_nameword_variants ON families_nameword;
CREATE TRIGGER families_nameword_variants AFTER INSERT ON families_nameword
    FOR EACH ROW EXECUTE FUNCTION families_nameword_add_variants();
"""

NAME_TABLES = ["families_person", "families_personname"]

TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_words_insert ON {table};
CREATE TRIGGER {table}_words_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_names FOR EACH STATEMENT EXECUTE FUNCTION families_nameword_count();
DROP TRIGGER IF EXISTS {table}_words_update ON {table};
CREATE TRIGGER {table}_words_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_names NEW TABLE AS new_names FOR EACH STATEMENT EXECUTE FUNCTION families_nameword_count();
DROP TRIGGER IF EXISTS {table}_words_delete ON {table};
CREATE TRIGGER {table}_words_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_names FOR EACH STATEMENT EXECUTE FUNCTION families_nameword_count();
"""

NAMES_ON_THE_REGISTER = """
SELECT families_nameword_remember(ARRAY(SELECT search_name FROM families_person));
SELECT families_nameword_remember(ARRAY(SELECT search_name FROM families_personname));
"""

DROP = """
DROP TRIGGER IF EXISTS {table}_words_insert ON {table};
DROP TRIGGER IF EXISTS {table}_words_update ON {table};
DROP TRIGGER IF EXISTS {table}_words_delete ON {table};
"""

DROP_DICTIONARY = """
DROP INDEX IF EXISTS person_search_name_words;
DROP INDEX IF EXISTS personname_search_name_words;
DROP TABLE IF EXISTS families_nameword_variant;
DROP TABLE IF EXISTS families_nameword;
DROP FUNCTION IF EXISTS families_nameword_count();
DROP FUNCTION IF EXISTS families_nameword_forget(text[]);
DROP FUNCTION IF EXISTS families_nameword_remember(text[]);
DROP FUNCTION IF EXISTS families_nameword_add_variants();
DROP FUNCTION IF EXISTS families_nameword_variants(text);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for table in NAME_TABLES:
        schema_editor.execute(TRIGGERS.format(table=table))
    schema_editor.execute(NAMES_ON_THE_REGISTER)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NAME_TABLES:
        schema_editor.execute(DROP.format(table=table))
    schema_editor.execute(DROP_DICTIONARY)


class Migration(migrations.Migration):
    dependencies = [("families", "0004_person_merge_and_nhs_missing_reason")]
    operations = [migrations.RunPython(create, drop)]
