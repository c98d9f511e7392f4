"""Lockout that says nothing about whether an account exists, and sessions that end."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.forms import SIGN_IN_FAILED
from earlyhelp.accounts.passwords import PASSWORD_GUESSABLE, PASSWORD_TOO_LONG
from earlyhelp.accounts.services import SIGNED_IN_AT
from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

from .support import password_step

pytestmark = pytest.mark.django_db
DASHBOARD = "/"


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _fail_until_locked(client, username: str, limit: int):
    for _ in range(limit):
        response = password_step(client, username, "wrong-password-123")
    return response


def test_a_wrong_password_gets_the_same_answer_for_known_and_unknown_usernames(client):
    UserFactory(username="priya")
    known = password_step(client, "priya", "wrong-password-123")
    unknown = password_step(client, "nobody-here", "wrong-password-123")
    assert known.status_code == unknown.status_code == 200
    assert SIGN_IN_FAILED in known.content.decode()
    assert _without_tokens(known.content.decode()).replace("priya", "X") == _without_tokens(
        unknown.content.decode()
    ).replace("nobody-here", "X")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == 2


def test_repeated_failures_lock_known_and_unknown_usernames_out_with_the_same_page(client, settings):
    UserFactory(username="priya")
    known = _fail_until_locked(client, "priya", settings.AXES_FAILURE_LIMIT)
    unknown = _fail_until_locked(client, "nobody-here", settings.AXES_FAILURE_LIMIT)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    body = known.content.decode()
    assert "You cannot sign in at the moment" in body
    assert "priya" not in body
    assert 'class="govuk-heading-l"' in body
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT).count() == 2


def test_a_locked_out_account_stays_locked_even_with_the_right_password(client, settings):
    UserFactory(username="priya")
    _fail_until_locked(client, "priya", settings.AXES_FAILURE_LIMIT)
    response = password_step(client, "priya", TEST_PASSWORD)
    assert response.status_code == 429
    assert client.get(DASHBOARD).status_code == 302


def test_fewer_failures_than_the_limit_then_the_right_password_signs_in(client, settings):
    UserFactory(username="priya")
    _fail_until_locked(client, "priya", settings.AXES_FAILURE_LIMIT - 1)
    response = password_step(client, "priya", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, settings):
    user = UserFactory(username="priya")
    password_step(client, "priya")
    assert client.get(DASHBOARD).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert AuditEvent.objects.filter(action=Action.SESSION_ENDED, actor=user).get().details == {
        "reason": "absolute_limit"
    }


def test_a_session_just_inside_twelve_hours_continues(client, settings):
    UserFactory(username="priya")
    password_step(client, "priya")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(DASHBOARD).status_code == 200


def test_a_session_idle_for_thirty_minutes_ends(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(UserFactory())
    assert client.get(DASHBOARD).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(DASHBOARD).status_code == 302


def test_each_request_pushes_the_idle_limit_back(client, settings):
    client.force_login(UserFactory())
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(DASHBOARD)
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


def test_disabling_an_account_ends_its_sessions_at_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(DASHBOARD).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(DASHBOARD).status_code == 302


def test_signing_out_ends_the_session(client):
    UserFactory(username="priya")
    password_step(client, "priya")
    key = client.session.session_key
    client.post(reverse("accounts:sign-out"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(DASHBOARD).status_code == 302
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT).count() == 1


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "839201746251",  # no composition rules: digits alone are long enough
        "x" * 40 + " long phrases are welcome " + "y" * 62,
        "ThisIsAPassphraseOf64Characters-ThisIsAPassphraseOf64Characters",
    ],
)
def test_long_passwords_of_any_composition_are_accepted(password):
    validate_password(password, user=UserFactory.build(username="priya"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("a" * 129, PASSWORD_TOO_LONG.format(max_length=128)),
    ],
)
def test_short_common_and_overlong_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=UserFactory.build(username="priya"))
    assert any(message in text for text in refused.value.messages)


def test_passwords_are_hashed_with_argon2_in_every_environment_but_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    "password",
    ["123456789012", "xxxxxxxxxxxx", "abcdefghijkl", "qwertyuiopas", "priyapriya12", "a" * 128],
)
def test_sequences_repeats_and_guessable_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=UserFactory.build(username="priya"))
    assert PASSWORD_GUESSABLE in refused.value.messages
