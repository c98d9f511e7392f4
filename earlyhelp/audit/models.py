"""Audit events: who did what to whose record, when, and why. Append-only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    KNOWN_CHECK = "known_check", "Asked whether known"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SECOND_FACTOR = "second_factor", "Passed the two-factor check"
    MFA_ENROLLED = "mfa_enrolled", "Set up two-factor sign-in"
    RECOVERY_CODES = "recovery_codes", "Made new recovery codes"
    LOCKED_OUT = "locked_out", "Locked out of signing in"
    SESSION_ENDED = "session_ended", "Session ended"


class AuditEvent(models.Model):
    """One thing a person did. Subjects are plain ids, not foreign keys, so events outlive records."""

    id = models.BigAutoField(primary_key=True)
    # Set by audit_record before the row is written, so the hash covers the stored time.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    household_id = models.UUIDField(null=True, blank=True, db_index=True)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=300, blank=True)
    request_id = models.UUIDField(default=uuid.uuid4)
    # Structured facts about the event (fields changed, result count, ids listed); never free text.
    details = models.JSONField(default=dict, blank=True)
    # The hash chain (see earlyhelp/audit/chain.py): the event's place in the chain, the previous
    # event's hash, and this event's hash over its canonical serialisation including prev_hash.
    # Events are written without them and sealed into the chain in batches soon after they commit
    # (docs/decisions/0007-audit-sealed-in-batches.md). Altering, removing or reordering a sealed
    # event breaks the chain at that event.
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    event_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(action__in=Action.values), name="audit_action_known")]
        # The sealer's queue: a small index over only the events not yet sealed.
        indexes = [models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_awaiting_seal")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type} {self.object_id}"
