"""Chain the events written before the hash chain existed, in id order. On PostgreSQL the
append-only trigger is set aside for this one backfill, inside the migration's transaction."""

from django.db import migrations

from earlyhelp.audit.chain import rechain


def start_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if not AuditEvent.objects.filter(event_hash="").exists():
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    for event in rechain(AuditEvent.objects.order_by("id").iterator(chunk_size=2000)):
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, event_hash=event.event_hash)
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(start_chain, migrations.RunPython.noop)]
