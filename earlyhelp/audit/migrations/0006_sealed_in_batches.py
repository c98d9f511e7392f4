"""Audit events are sealed into the hash chain in batches (docs/decisions/0007-audit-sealed-in-batches.md).

Each event gains its place in the chain, `seq`. The events chained so far were chained in id order,
so their place is their id. The append-only trigger is rewritten to allow exactly one change: a
sealer giving an unsealed event its place and hashes, and nothing else on the row. An event that
has hashes but no place (written by a server still running the release before, during a rolling
upgrade) is sealed like any other: its hashes are worked out again where it joins the chain."""

from django.db import migrations, models

APPEND_ONLY_EXCEPT_SEALING = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'event_hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'event_hash')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: %% is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: %% is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def place_chained_events(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    schema_editor.execute("UPDATE audit_auditevent SET seq = id WHERE event_hash <> ''")
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def allow_sealing(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_EXCEPT_SEALING)


def refuse_every_change(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_sign_in_actions")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunPython(place_chained_events, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_awaiting_seal"),
        ),
        migrations.RunPython(allow_sealing, refuse_every_change),
    ]
