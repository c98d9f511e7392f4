"""Single sign-on through OpenID Connect is off by default and wired in when the setting is on."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.urls import resolve, reverse
url = reverse("oidc_authentication_init")
request = RequestFactory().get(url)
request.session = SessionStore()
response = resolve(url).func(request)
print(json.dumps({
    "backends": settings.AUTHENTICATION_BACKENDS,
    "callback": reverse("oidc_authentication_callback"),
    "status": response.status_code,
    "location": response["Location"],
    "create_user": settings.OIDC_CREATE_USER,
}))
"""


def test_single_sign_on_is_off_by_default():
    assert not settings.EARLY_HELP_OIDC_ENABLED
    assert not any("oidc" in backend for backend in settings.AUTHENTICATION_BACKENDS)
    try:
        reverse("oidc_authentication_init")
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("the single sign-on URLs should not exist when it is off")


def test_turning_it_on_adds_the_backend_and_sends_people_to_the_identity_provider():
    tenant = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "EARLY_HELP_OIDC_ENABLED": "true",
        "OIDC_RP_CLIENT_ID": "early-help-client",
        "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{tenant}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{tenant}/token",
        "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://login.microsoftonline.com/common/discovery/v2.0/keys",
    }
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert "earlyhelp.accounts.oidc.PartnershipOIDCBackend" in probe["backends"]
    assert probe["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert probe["callback"] == "/oidc/callback/"
    assert probe["status"] == 302
    assert probe["location"].startswith(f"{tenant}/authorize?")
    assert "client_id=early-help-client" in probe["location"]
    assert "code_challenge=" in probe["location"]
    assert probe["create_user"] is False
