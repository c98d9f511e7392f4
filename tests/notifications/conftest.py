"""The notifications' tests send to a real SMTP server on loopback (tests/mail_support.py)."""

from tests.browser_support import browser, page  # noqa: F401 - fixtures for the browser tests
from tests.mail_support import mail_server, retry_at_once  # noqa: F401 - a real SMTP server on loopback
from tests.plans.conftest import plan  # noqa: F401 - a family's plan with its assessment approved
