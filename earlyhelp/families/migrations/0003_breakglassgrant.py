import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Break-glass grants move here from data protection: they are relations to a record, which the
    access choke point decides with. The table and its rows stay as they are."""

    dependencies = [
        ('families', '0002_trigram_search'),
        ('dataprotection', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BreakGlassGrant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.TextField()),
                        ('granted_at', models.DateTimeField()),
                        ('expires_at', models.DateTimeField()),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='break_glass_grants', to='families.household')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='break_glass_grants', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'dataprotection_breakglassgrant',
                        'ordering': ['-granted_at', '-id'],
                        'indexes': [models.Index(fields=['user', 'expires_at'], name='dataprotect_user_id_854a40_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='break_glass_reason_given'), models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('granted_at'))), name='break_glass_expires_after_granted')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
