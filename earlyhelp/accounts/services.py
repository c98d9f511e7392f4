"""Sign-in and sign-out, recorded in the audit trail."""

from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from .models import User


@transaction.atomic
def user_sign_in(*, request: HttpRequest, user: User) -> None:
    """Start a session for a user whose credentials were checked, and record it."""
    login(request, user)
    audit_record(actor=user, action=Action.SIGN_IN, object_type="user", object_id=user.pk)


@transaction.atomic
def user_sign_out(*, request: HttpRequest) -> None:
    """End the session and record it."""
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=Action.SIGN_OUT, object_type="user", object_id=request.user.pk)
    logout(request)
