"""Error pages that say what a person can do next and reveal nothing about the system, and the
refusal every state machine raises."""

from django.core.exceptions import ValidationError
from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)


class RefusedError(ValidationError):
    """A change the record's state (or the person's part in it) does not allow; nothing was changed.

    Pages show `reason` as the form's error; the API answers 409 with it (web/api.py). It is a
    ValidationError so that forms and callers that already show service errors show this one too;
    `field` names the field a page shows it against, where one is to blame."""

    def __init__(self, reason: str, *, field: str = "__all__") -> None:
        super().__init__({field: [reason]})
        self.reason = reason
