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

    Pages show each reason as one of the form's errors; the API answers 409 with them as `reason`
    (web/api.py). It is a ValidationError so that forms and callers that already show service errors
    show this one too; `field` names the field a page shows them against, where one is to blame."""

    def __init__(self, reason: str, *more: str, field: str = "__all__") -> None:
        super().__init__({field: [reason, *more]})
        self.reason = "; ".join([reason, *more])
