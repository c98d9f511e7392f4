"""The API's shared pieces: errors become responses in one place, and permissions ask the
capability checks. Endpoints carry no try/except of their own.

- a record that is missing or not the user's (any `Http404`, the access choke point's
  `RecordNotFound` among them) is a 404 with the choke point's one message;
- a refused change (`RefusedError`: a state machine's transition, a rule of the record's state) is a
  409 with the reason a person can act on;
- a service's `ValidationError` is a 400 naming each field and its rule.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import RefusedError


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The record's state does not allow this."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn the product's errors into the API's answers (see the module's docstring)."""
    if isinstance(exc, RefusedError):
        exc = Conflict(exc.reason)
    elif isinstance(exc, ValidationError):
        exc = ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = NotFound(str(exc) or None)
    return drf_exception_handler(exc, context)


def capability_permission(check: Callable[..., bool], message: str) -> type[BasePermission]:
    """A DRF permission that asks one capability check about the signed-in user."""

    refusal = message

    class Capability(BasePermission):
        message = refusal

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.is_authenticated and check(request.user))

    Capability.__name__ = Capability.__qualname__ = f"May{check.__name__.title().replace('_', '')}"
    return Capability
