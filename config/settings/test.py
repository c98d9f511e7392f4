"""Settings for the test suite: fast hashing, the database from DATABASE_URL or SQLite."""

import atexit
import shutil
import tempfile

from config.env import BASE_DIR, database_from_env

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - test settings only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": database_from_env(BASE_DIR / "var" / "test.sqlite3")}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Documents attached in tests go to a folder of this process's own, removed when it ends.
_DOCUMENTS_ROOT = tempfile.mkdtemp(prefix="earlyhelp-test-documents-")
atexit.register(shutil.rmtree, _DOCUMENTS_ROOT, ignore_errors=True)
STORAGES = STORAGES | {
    "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": _DOCUMENTS_ROOT}}
}

# Other areas' tests sign in with force_login; the sign-in tests turn the second factor back on.
EARLY_HELP_MFA_REQUIRED = False

# Test databases are thrown away after the run, so a commit need not wait for the disk: a crash loses
# nothing of value, and what one connection commits is still seen by the next at once.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

# A replica alias that is the test database itself (Django's TEST MIRROR), so the router can be shown
# sending reporting reads to it; reporting stays on `default` unless a test says otherwise, since a
# mirror is another connection and does not see a test's uncommitted rows.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTING_DATABASE = "default"
