"""Registering and revoking partner systems. Each service runs in one transaction with its audit event."""

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules
from .models import PartnerClient, PartnerScope


@transaction.atomic
def partner_client_create(
    *,
    actor: User | None,
    name: str,
    agency: Agency,
    scopes: Iterable[str],
    rate: str = "120/minute",
    team: Team | None = None,
) -> tuple[PartnerClient, str]:
    """Register a partner system acting for its agency (and team, whose cases it then sees); the
    token is returned once and only its digest is kept."""
    scopes = sorted(set(scopes))
    errors = {}
    if not name.strip():
        errors["name"] = rules.NAME_REQUIRED
    elif PartnerClient.objects.filter(name=name.strip()).exists():
        errors["name"] = rules.NAME_TAKEN
    if not scopes or any(scope not in PartnerScope.values for scope in scopes):
        errors["scopes"] = rules.SCOPE_UNKNOWN
    if not rules.RATE_PATTERN.match(rate):
        errors["rate"] = rules.RATE_INVALID
    if team is not None and team.agency_id != agency.id:
        errors["team"] = "The team must belong to the partner's agency"
    if errors:
        raise ValidationError(errors)
    client_id = secrets.token_hex(16)
    secret = secrets.token_urlsafe(48)
    service_user = User(
        username=f"partner-{client_id}",
        first_name=name.strip()[:150],
        role=capabilities.PARTNER_SYSTEM_ROLE,
        agency=agency,
        team=team,
        job_title="Partner system",
    )
    service_user.set_unusable_password()
    service_user.save()
    client = PartnerClient.objects.create(
        name=name.strip(),
        agency=agency,
        service_user=service_user,
        client_id=client_id,
        secret_sha256=rules.secret_digest(secret),
        scopes=scopes,
        rate=rate,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="partner_client",
        object_id=client.id,
        details={"scopes": scopes, "rate": rate, "agency": agency.id},
    )
    return client, f"{rules.TOKEN_PREFIX}_{client_id}_{secret}"


@transaction.atomic
def partner_client_revoke(*, actor: User | None, client: PartnerClient) -> PartnerClient:
    """Stop a partner system's token working at once; its service user is disabled too."""
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        client.service_user.is_active = False
        client.service_user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=Action.CHANGE, object_type="partner_client", object_id=client.id)
    return client
