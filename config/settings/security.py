"""Security settings shared by every environment: sign-in, sessions, lockout, content policy,
uploads and single sign-on. base.py imports these; production.py adds transport hardening.
See docs/security.md for what each one answers."""

from datetime import timedelta

from config.env import env_bool, env_int, env_list, env_str

# Sign-in: a password, then a TOTP code from an authenticator app (or a recovery code).
# Off only in config.settings.test, so other tests can use force_login; production forces it on.
EARLY_HELP_MFA_REQUIRED = True
OTP_TOTP_ISSUER = "Early Help System"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
EARLY_HELP_RECOVERY_CODES = 10
# Wrong second-factor codes in one sign-in before the password is asked for again.
EARLY_HELP_SECOND_FACTOR_ATTEMPTS = 5

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failures, counted per username whether or not the account exists, so
# the answer is the same for both. The cool-off bounds how long someone can lock a colleague out.
AXES_FAILURE_LIMIT = env_int("EARLY_HELP_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("EARLY_HELP_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP address too. Not here: a council's staff share one office address,
# so locking by address would lock everyone out at one person's typos; per username cannot be
# sidestepped by changing address, browser or cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "earlyhelp.accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "code"]

# Sessions: 30 minutes idle (SESSION_COOKIE_AGE, renewed on every request) and 12 hours at most
# from sign-in (earlyhelp.accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Response headers. Production adds HSTS, secure cookies and the HTTPS redirect.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SELF = "'self'"
NONE = "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the QR code shown when setting up two-factor sign-in.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Uploads: small in memory, refused above the limit; earlyhelp.security.uploads validates type.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
EARLY_HELP_UPLOAD_MAX_BYTES = env_int("EARLY_HELP_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# Optional single sign-on through OpenID Connect (Microsoft Entra ID and others). Off unless
# EARLY_HELP_OIDC_ENABLED is set; the second factor is still asked for after it.
EARLY_HELP_OIDC_ENABLED = env_bool("EARLY_HELP_OIDC_ENABLED", False)
if EARLY_HELP_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("earlyhelp.accounts.oidc.PartnershipOIDCBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_USE_PKCE = True
    # Only people the partnership has already given an account and role may sign in.
    OIDC_CREATE_USER = False
    OIDC_CALLBACK_CLASS = "earlyhelp.accounts.oidc.SignInCallbackView"
    OIDC_REDIRECT_ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in/"
