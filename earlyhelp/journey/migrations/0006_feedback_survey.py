"""The family's feedback becomes the survey K16 counts: the link's token is kept only as a hash, the link
expires, the lead professional's agency is kept for results by agency, and the survey's questions are added.
An invitation made before keeps its answers; its link, typed in a form the new links are not, stops working."""

import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models

# The link's life when the invitations already made were given one (settings' default).
LINK_DAYS = 28


def hash_tokens(apps, schema_editor):
    invitations = apps.get_model("journey", "FeedbackInvitation")
    for invitation in invitations.objects.all():
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.expires_at = invitation.created_at + timedelta(days=LINK_DAYS)
        invitation.save(update_fields=["token_hash", "expires_at"])


def answers(field: str) -> migrations.AddField:
    return migrations.AddField(
        model_name="feedbackinvitation",
        name=field,
        field=models.CharField(
            blank=True,
            choices=[("yes", "Yes"), ("partly", "Partly"), ("no", "No"), ("not_sure", "I'm not sure")],
            max_length=10,
        ),
    )


def known(field: str) -> migrations.AddConstraint:
    return migrations.AddConstraint(
        model_name="feedbackinvitation",
        constraint=models.CheckConstraint(
            condition=models.Q((f"{field}__in", ["yes", "partly", "no", "not_sure", ""])),
            name=f"feedback_{field}_known",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_provider_editor_role"),
        ("journey", "0005_indicator_period_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="feedbackinvitation", name="feedback_answer_has_rating"),
        migrations.AddField(
            model_name="feedbackinvitation", name="token_hash", field=models.CharField(max_length=64, null=True)
        ),
        migrations.AddField(model_name="feedbackinvitation", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="feedbackinvitation", name="token"),
        migrations.AlterField(
            model_name="feedbackinvitation", name="token_hash", field=models.CharField(max_length=64, unique=True)
        ),
        migrations.AlterField(model_name="feedbackinvitation", name="expires_at", field=models.DateTimeField()),
        migrations.AddField(
            model_name="feedbackinvitation",
            name="lead_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        answers("better_supported"),
        answers("know_where_to_go"),
        answers("listened_to"),
        known("better_supported"),
        known("know_where_to_go"),
        known("listened_to"),
        migrations.AddConstraint(
            model_name="feedbackinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("responded_at__isnull", True),
                    models.Q(
                        models.Q(("better_supported", ""), _negated=True),
                        models.Q(("know_where_to_go", ""), _negated=True),
                    ),
                    ("rating__isnull", False),
                    _connector="OR",
                ),
                name="feedback_answer_answers",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbackinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))), name="feedback_expires_after_made"
            ),
        ),
    ]
