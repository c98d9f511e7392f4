import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Alerts move here from data protection; the table and its rows stay as they are."""

    dependencies = [
        ('dataprotection', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Alert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('break_glass', 'Break-glass access'), ('sharing_requested', 'Sharing without consent requested'), ('sharing_without_consent', 'Sharing without consent decided')], max_length=30)),
                        ('household_id', models.UUIDField(blank=True, null=True)),
                        ('message', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'dataprotection_alert',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='dataprotect_recipie_89e4b6_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['break_glass', 'sharing_requested', 'sharing_without_consent'])), name='alert_kind_known')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
