from tests.browser_support import browser, page  # noqa: F401 - fixtures
from tests.mail_support import mail_server  # noqa: F401 - a real SMTP server on loopback
