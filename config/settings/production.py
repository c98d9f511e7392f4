"""Production: PostgreSQL, secrets and hosts from the environment, hardened transport."""

import os
import warnings

from django.core.exceptions import ImproperlyConfigured

from config.env import NO_SHARED_CACHE, env_bool, env_int

from .base import *  # noqa: F403

for required in ("DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"{required} must be set in the environment for production.")

# A single process runs without Redis, so this warns on every start rather than refusing one.
if not os.environ.get("REDIS_URL"):
    warnings.warn(NO_SHARED_CACHE, stacklevel=1)

DEBUG = False
# Every production sign-in asks for the second factor; no environment variable turns it off.
EARLY_HELP_MFA_REQUIRED = True
STATIC_ROOT = BASE_DIR / "var" / "static"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers and orchestrators probe the health addresses over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# WhiteNoise (in MIDDLEWARE) serves the static files compressed, gzip and Brotli; the names carry a
# hash of the content, so it lets browsers keep them for ten years (WHITENOISE_MAX_AGE, 60 seconds
# by default, is only for the few files without a hash).
STORAGES = STORAGES | {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# Keep each connection for a minute rather than opening one per request, and test it before reuse
# so a connection the database or a proxy closed is replaced instead of failing a request.
for alias in DATABASES:
    DATABASES[alias]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES[alias]["CONN_HEALTH_CHECKS"] = True
