"""Actions for two-factor sign-in, lockout and session ends."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_start_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=[('view', 'Viewed'), ('search', 'Searched'), ('known_check', 'Asked whether known'), ('create', 'Created'), ('change', 'Changed'), ('delete', 'Deleted'), ('export', 'Exported'), ('sign_in', 'Signed in'), ('sign_out', 'Signed out'), ('sign_in_failed', 'Sign-in failed'), ('second_factor', 'Passed the two-factor check'), ('mfa_enrolled', 'Set up two-factor sign-in'), ('recovery_codes', 'Made new recovery codes'), ('locked_out', 'Locked out of signing in'), ('session_ended', 'Session ended')], max_length=20),
        ),
        migrations.RemoveConstraint(model_name="auditevent", name="audit_action_known"),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", ['view', 'search', 'known_check', 'create', 'change', 'delete', 'export', 'sign_in', 'sign_out', 'sign_in_failed', 'second_factor', 'mfa_enrolled', 'recovery_codes', 'locked_out', 'session_ended'])), name="audit_action_known"
            ),
        ),
    ]
