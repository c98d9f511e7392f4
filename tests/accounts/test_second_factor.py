"""Signing in takes a password and then a code from an authenticator app (or a recovery code)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from earlyhelp.accounts.forms import CODE_WRONG, SET_UP_CODE_WRONG, TOO_MANY_CODES
from earlyhelp.accounts.services import mfa_recovery_codes_renew
from earlyhelp.audit.models import Action, AuditEvent
from tests.factories import UserFactory

from .support import current_code, password_step, totp_device

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]
VERIFY = "/accounts/sign-in/security-code/"
SET_UP = "/accounts/two-factor/set-up/"


def test_a_correct_password_leads_to_the_security_code_step_not_the_service(client):
    user = UserFactory(username="priya")
    totp_device(user)
    response = password_step(client, "priya")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    dashboard = client.get(reverse("home:dashboard"))
    assert dashboard.status_code == 302
    assert dashboard["Location"] == VERIFY


def test_a_password_only_session_is_refused_by_the_api(client):
    user = UserFactory(username="priya")
    totp_device(user)
    password_step(client, "priya")
    response = client.get("/api/schema/")
    assert response.status_code == 403


def test_the_right_code_finishes_signing_in_and_goes_to_the_page_first_asked_for(client):
    user = UserFactory(username="priya")
    device = totp_device(user)
    password_step(client, "priya", next="/families/search/")
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/families/search/"
    assert client.get(reverse("home:dashboard")).status_code == 200
    event = AuditEvent.objects.filter(action=Action.SECOND_FACTOR).get()
    assert event.actor == user
    assert event.details["method"] == "authenticator"


def test_a_code_cannot_be_used_twice(client):
    user = UserFactory(username="priya")
    device = totp_device(user)
    code = current_code(device)
    password_step(client, "priya")
    client.post(VERIFY, {"code": code})
    client.post(reverse("accounts:sign-out"))
    password_step(client, "priya")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert CODE_WRONG in response.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message_and_recorded(client):
    user = UserFactory(username="priya")
    totp_device(user)
    password_step(client, "priya")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    assert CODE_WRONG in response.content.decode()
    assert client.get(reverse("home:dashboard"))["Location"] == VERIFY
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, details__step="second_factor").count() == 1


def test_too_many_wrong_codes_end_the_session_and_ask_for_the_password_again(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(username="priya")
    totp_device(user)
    password_step(client, "priya")
    for _ in range(settings.EARLY_HELP_SECOND_FACTOR_ATTEMPTS):
        response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in")
    sign_in_page = client.get(response["Location"])
    assert TOO_MANY_CODES in sign_in_page.content.decode()
    assert client.get(reverse("home:dashboard"))["Location"].startswith(reverse("accounts:sign-in"))


def test_a_recovery_code_signs_in_once_only(client):
    user = UserFactory(username="priya")
    totp_device(user)
    codes = mfa_recovery_codes_renew(actor=user)
    password_step(client, "priya")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR).get().details == {
        "method": "recovery_code",
        "recovery_codes_left": len(codes) - 1,
    }
    client.post(reverse("accounts:sign-out"))
    password_step(client, "priya")
    assert CODE_WRONG in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_an_account_without_an_authenticator_is_sent_to_set_one_up(client):
    UserFactory(username="priya")
    password_step(client, "priya")
    response = client.get(VERIFY)
    assert response["Location"] == SET_UP
    page = client.get(SET_UP)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_setting_up_with_the_right_code_verifies_the_session_and_shows_recovery_codes_once(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the deliberate wrong code
    user = UserFactory(username="priya")
    password_step(client, "priya")
    client.get(SET_UP)
    device = user.totpdevice_set.get(confirmed=False)
    assert client.post(SET_UP, {"code": "123"}).content.decode().count(SET_UP_CODE_WRONG) >= 1
    response = client.post(SET_UP, {"code": current_code(device)})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == settings.EARLY_HELP_RECOVERY_CODES
    assert all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_ENROLLED, actor=user).count() == 1


def test_someone_with_only_the_password_cannot_replace_an_existing_authenticator(client):
    user = UserFactory(username="priya")
    totp_device(user)
    password_step(client, "priya")
    response = client.get(SET_UP)
    assert response["Location"] == VERIFY
    assert user.totpdevice_set.count() == 1


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory(username="priya")
    device = totp_device(user)
    old = mfa_recovery_codes_renew(actor=user)
    password_step(client, "priya")
    client.post(VERIFY, {"code": current_code(device)})
    response = client.post(reverse("accounts:recovery-codes"))
    new = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert not set(old) & set(new)
    assert all(code in response.content.decode() for code in new)
    assert AuditEvent.objects.filter(action=Action.RECOVERY_CODES).count() == 2


def test_the_admin_also_waits_for_the_second_factor(client):
    user = UserFactory(username="ada", is_staff=True, is_superuser=True)
    totp_device(user)
    password_step(client, "ada")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_passing_the_second_factor_gives_the_session_a_new_key(client):
    user = UserFactory(username="priya")
    device = totp_device(user)
    password_step(client, "priya")
    key_after_password = client.session.session_key
    client.post(VERIFY, {"code": current_code(device)})
    assert client.session.session_key != key_after_password
    assert client.get(reverse("home:dashboard")).status_code == 200
