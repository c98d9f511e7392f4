"""Session limits and the second factor, checked on every request.

SessionLimitsMiddleware ends a session 12 hours after sign-in however busy it is (the 30-minute
idle limit is the session cookie's age, renewed on each request). A disabled account's session
stops working at its next request because Django's ModelBackend returns no user for an inactive
account. SecondFactorMiddleware keeps a person who has given only their password to the pages
that ask for the second factor.
"""

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import SIGNED_IN_AT, user_session_expire

SECOND_FACTOR_NEEDED = "Finish signing in with your security code before using the service."


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if started is None:
                # A session begun outside the sign-in page (the admin's, a test's) counts from now.
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                user_session_expire(request=request, reason="absolute_limit")
        return self.get_response(request)


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:verify"),
        reverse("accounts:two-factor-set-up"),
        reverse("accounts:sign-out"),
        reverse("accounts:sign-in"),
        settings.STATIC_URL,
        "/healthz",
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.EARLY_HELP_MFA_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_exempt_paths())
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": SECOND_FACTOR_NEEDED}, status=403)
            return redirect("accounts:verify")
        return self.get_response(request)
