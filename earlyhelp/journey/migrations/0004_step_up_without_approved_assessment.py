from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journey", "0003_default_need_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="stepup",
            name="without_approved_assessment",
            field=models.BooleanField(default=False, verbose_name="Sent without an approved early help assessment"),
        ),
    ]
