from django.db import migrations


class Migration(migrations.Migration):
    """Break-glass grants now belong to families and alerts to notifications; the tables stay."""

    dependencies = [
        ('dataprotection', '0001_initial'),
        ('families', '0003_breakglassgrant'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Alert'), migrations.DeleteModel(name='BreakGlassGrant')],
            database_operations=[],
        ),
    ]
