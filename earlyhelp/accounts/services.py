"""Sign-in, the second factor, recovery codes and sign-out, and changes to a person's role, team and
agency, each recorded in the audit trail."""

import time

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from .models import Agency, Role, Team, User

SIGNED_IN_AT = "earlyhelp_signed_in_at"
SECOND_FACTOR_FAILURES = "earlyhelp_second_factor_failures"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
ROLE_UNKNOWN = "Choose one of the roles the system knows"


@transaction.atomic
def user_sign_in(*, request: HttpRequest, user: User) -> None:
    """Start a session for a user whose password was checked, and record it. Where the second
    factor is required the session is not yet verified (see SecondFactorMiddleware)."""
    login(request, user)
    request.session[SIGNED_IN_AT] = time.time()
    audit_record(
        actor=user,
        action=Action.SIGN_IN,
        object_type="user",
        object_id=user.pk,
        details={"second_factor_required": settings.EARLY_HELP_MFA_REQUIRED},
    )


@transaction.atomic
def user_sign_in_failed(*, username: str) -> None:
    """Record a refused password. The typed username is kept only when it names an account."""
    user = User.objects.filter(username=username).only("pk").first() if username else None
    audit_record(
        actor=None, action=Action.SIGN_IN_FAILED, object_type="user", object_id=user.pk if user else "", details={}
    )


@transaction.atomic
def user_locked_out(*, username: str) -> None:
    """Record that repeated failures locked a username out."""
    user = User.objects.filter(username=username).only("pk").first() if username else None
    audit_record(actor=None, action=Action.LOCKED_OUT, object_type="user", object_id=user.pk if user else "")


@transaction.atomic
def user_sign_out(*, request: HttpRequest) -> None:
    """End the session and record it."""
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=Action.SIGN_OUT, object_type="user", object_id=request.user.pk)
    logout(request)


@transaction.atomic
def user_session_expire(*, request: HttpRequest, reason: str) -> None:
    """End a session that has outlived its limit, and record why."""
    audit_record(
        actor=request.user,
        action=Action.SESSION_ENDED,
        object_type="user",
        object_id=request.user.pk,
        details={"reason": reason},
    )
    logout(request)


def totp_device_for(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def mfa_enrolment_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator a person is setting up: the one begun before, or a new one."""
    device = totp_device_for(actor, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=AUTHENTICATOR_NAME, confirmed=False)
        audit_record(
            actor=actor, action=Action.CHANGE, object_type="user", object_id=actor.pk, details={"mfa": "started"}
        )
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.EARLY_HELP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def mfa_enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; on success the session counts as verified
    and the person gets a fresh set of recovery codes (returned once, to show once)."""
    actor = request.user
    if not isinstance(actor, User):
        return None
    if device.user_id != actor.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    codes = _new_recovery_codes(actor)
    otp_login(request, device)
    request.session.cycle_key()  # passing the second factor earns a new session key
    audit_record(
        actor=actor,
        action=Action.MFA_ENROLLED,
        object_type="user",
        object_id=actor.pk,
        details={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def mfa_recovery_codes_renew(*, actor: User) -> list[str]:
    """Replace every recovery code with a new set (returned once, to show once)."""
    codes = _new_recovery_codes(actor)
    audit_record(
        actor=actor, action=Action.RECOVERY_CODES, object_type="user", object_id=actor.pk, details={"count": len(codes)}
    )
    return codes


@transaction.atomic
def user_second_factor_verify(*, request: HttpRequest, code: str) -> bool:
    """Check a code from the authenticator app, or a recovery code (each works once). Too many
    wrong codes end the session, so the password is asked for again."""
    user = request.user
    if not isinstance(user, User):  # only a signed-in person has a second factor to check
        return False
    code = "".join(code.split()).lower()
    if len(code) == 6 and code.isdigit():
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        method = "authenticator"
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
        method = "recovery_code"
    device = next((device for device in devices if device.verify_token(code)), None)
    if device is not None:
        otp_login(request, device)
        # A session that passes the second factor is worth more than the one that had only the
        # password: a new key, so a key seen before this point cannot be replayed.
        request.session.cycle_key()
        request.session.pop(SECOND_FACTOR_FAILURES, None)
        audit_record(
            actor=user,
            action=Action.SECOND_FACTOR,
            object_type="user",
            object_id=user.pk,
            details={"method": method, "recovery_codes_left": recovery_codes_left(user)},
        )
        return True
    failures = request.session.get(SECOND_FACTOR_FAILURES, 0) + 1
    request.session[SECOND_FACTOR_FAILURES] = failures
    audit_record(
        actor=user,
        action=Action.SIGN_IN_FAILED,
        object_type="user",
        object_id=user.pk,
        details={"step": "second_factor", "failures": failures},
    )
    if failures >= settings.EARLY_HELP_SECOND_FACTOR_ATTEMPTS:
        logout(request)
    return False


def _user_field_change(*, actor: User, user: User, field: str, value: object) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    before = getattr(user, field)
    if before == value:
        return user
    setattr(user, field, value)
    user.save(update_fields=[field.removesuffix("_id")])
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="user",
        object_id=user.pk,
        details={"field": field, "from": before, "to": value},
    )
    return user


@transaction.atomic
def user_role_change(*, actor: User, user: User, role: str) -> User:
    """Give a person another role (and so other capabilities); the change is audited with the role before it."""
    if role not in Role.values:
        raise ValidationError({"role": ROLE_UNKNOWN})
    return _user_field_change(actor=actor, user=user, field="role", value=role)


@transaction.atomic
def user_agency_change(*, actor: User, user: User, agency: Agency | None) -> User:
    """Move a person to another agency; the change is audited with the agency before it."""
    return _user_field_change(actor=actor, user=user, field="agency_id", value=agency.pk if agency else None)


@transaction.atomic
def user_team_change(*, actor: User, user: User, team: Team | None) -> User:
    """Move a person to another team; the change is audited with the team before it."""
    return _user_field_change(actor=actor, user=user, field="team_id", value=team.pk if team else None)
