"""Which people use a page: the one decorator every app's views share. The decision itself is a
named check in `capabilities`."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from . import capabilities


def capability_required(check: Callable[..., bool]):
    """Only those the check allows use the page; others are told so (403), anonymous people sign in first."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


# Only roles that work with families use these pages; others are told so (403).
casework_required = capability_required(capabilities.works_with_families)


def roles_required(*roles: str):
    """Only these roles use the page. Being replaced by `capability_required`."""
    return capability_required(lambda user: user.role in roles)
