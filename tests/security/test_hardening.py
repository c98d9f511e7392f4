"""Response headers, error pages, logs and the production deployment check."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from earlyhelp.accounts.models import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

from .error_urls import SECRET_DETAIL

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "earlyhelp" / "templates"
pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (piece.strip() for piece in header.split(";")) if part}


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/accounts/sign-in/")
    directives = _directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _pdf_only(text: str) -> bool:
    """Templates rendered only into a PDF (WeasyPrint), never served to a browser, say so."""
    return "Rendered only into the PDF, never served as a page" in text


def test_no_template_has_inline_script_or_style():
    """The policy allows no inline script or style, so no page template may rely on either."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if _pdf_only(text):
            continue
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=|<style", text):
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template.relative_to(ROOT)} (inline event handler)")
    assert offenders == []


def test_personal_pages_are_never_cached(client):
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_production_settings_pass_the_deployment_check_with_warnings_as_failures():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x9!" + "k" * 30 + "Q7#pLm2$vR8^wZ4&tY6*uE1(",
        "DATABASE_URL": "postgres://earlyhelp_app@127.0.0.1:5432/earlyhelp",
        "DJANGO_ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_production_settings_require_the_second_factor_and_secure_transport():
    code = (
        "from django.conf import settings as s;"
        "print(s.EARLY_HELP_MFA_REQUIRED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DATABASE_URL": "postgres://app@127.0.0.1:5432/earlyhelp",
        "DJANGO_ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
        "EARLY_HELP_MFA_REQUIRED": "false",
    }
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr


def test_production_refuses_to_start_without_its_secrets():
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SECRET_KEY", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_missing_page_reveals_nothing(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/really")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    for leak in ("Traceback", "urlpatterns", "URLconf", "config.urls", "DEBUG"):
        assert leak not in body


def test_a_server_error_reveals_nothing(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.error_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    for leak in (SECRET_DETAIL, "RuntimeError", "Traceback", django_settings.SECRET_KEY, "hunter2"):
        assert leak not in body


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}")


@pytest.fixture
def world(db):
    membership = MembershipFactory(
        person__given_name="Zephyrine", person__family_name="Quarrington", person__postcode="L36 9ZZ"
    )
    user = UserFactory(role=Role.COORDINATOR, username="coordinator-ozymandias")
    return membership.person, user


@pytest.fixture
def every_log_line(world):
    """Every line any logger would write, including loggers that do not propagate. Levels the
    project's LOGGING sets are kept (they are how it keeps libraries quiet); every other logger
    is opened down to DEBUG."""
    capture = _Capture()
    configured = set(django_settings.LOGGING.get("loggers", {}))
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        if not any(logger.name == name or logger.name.startswith(f"{name}.") for name in configured):
            logger.setLevel(logging.DEBUG)
        logger.addHandler(capture)
    yield capture.lines
    for logger in loggers:
        logger.removeHandler(capture)
        logger.setLevel(levels[logger])


def test_searching_and_signing_in_log_no_personal_data_or_secrets(client, world, every_log_line, settings):
    settings.EARLY_HELP_MFA_REQUIRED = True
    person, user = world
    secrets = [TEST_PASSWORD, "wrong-secret-password-9", django_settings.SECRET_KEY]
    identifiers = [person.given_name, person.family_name, person.nhs_number, person.postcode, user.username]
    client.post("/accounts/sign-in/", {"username": user.username, "password": "wrong-secret-password-9"})
    client.post("/accounts/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    client.post("/accounts/sign-in/security-code/", {"code": "000000"})
    client.force_login(user)
    client.get("/families/search/", {"name": f"{person.given_name} {person.family_name}"})
    client.get("/families/search/", {"nhs_number": person.nhs_number, "postcode": person.postcode})
    client.get(f"/no-such-page/{person.family_name}", {"name": person.family_name})
    logging.getLogger("earlyhelp.probe").info("capture works")
    logged = "\n".join(every_log_line)
    assert "capture works" in logged
    for value in [*identifiers, *secrets]:
        assert value and value not in logged, f"{value!r} appeared in the logs"


def test_the_api_documentation_runs_its_script_from_a_file_the_policy_allows(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.content.decode()) is None
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
