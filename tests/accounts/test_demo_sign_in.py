"""The local demo prints each demo account's authenticator secret and can give the current code."""

from base64 import b32encode
from io import StringIO

import pytest
from django.core.management import call_command

from earlyhelp.accounts.models import Role
from earlyhelp.demo.borough import DEMO_USERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_users_prints_a_working_secret_and_current_code_for_each_demo_account():
    username = DEMO_USERS[0][0]
    user = UserFactory(username=username, role=Role.PRACTITIONER)
    out = StringIO()
    call_command("demo_users", stdout=out)
    device = user.totpdevice_set.get(confirmed=True)
    assert b32encode(device.bin_key).decode().rstrip("=") in out.getvalue()
    assert "otpauth://totp/" in out.getvalue()
    code = StringIO()
    call_command("demo_users", code=username, stdout=code)
    assert device.verify_token(code.getvalue().strip())
