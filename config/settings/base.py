"""Settings shared by every environment. Secrets and hosts come from the environment."""

from config.early_help import early_help_from_environment
from config.env import (
    BASE_DIR,
    cache_from_env,
    database_from_env,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    replica_from_env,
)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "earlyhelp.accounts",
    "earlyhelp.notifications",
    "earlyhelp.audit",
    "earlyhelp.families",
    "earlyhelp.journey",
    "earlyhelp.assessments",
    "earlyhelp.plans",
    "earlyhelp.directory",
    "earlyhelp.home",
    "earlyhelp.demo",
    "earlyhelp.consent",
    "earlyhelp.dataprotection",
    "earlyhelp.notes",
    "earlyhelp.documents",
    "earlyhelp.oversight",
    "earlyhelp.partners",
    "earlyhelp.imports",
    "earlyhelp.insights",
    "earlyhelp.measures",
    "earlyhelp.outcomes",
    "earlyhelp.history",
    "earlyhelp.matching",
    "earlyhelp.datahub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "earlyhelp.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "earlyhelp.accounts.middleware.SessionLimitsMiddleware",
    "earlyhelp.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "earlyhelp.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "earlyhelp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.home.context_processors.navigation",
                "earlyhelp.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR / "var" / "earlyhelp.sqlite3")}
# The indicators and the dashboards' counts read from a replica when DATABASE_REPLICA_URL names one.
if (replica := replica_from_env()) is not None:
    DATABASES["replica"] = replica
REPORTING_DATABASE = "replica" if "replica" in DATABASES else "default"
DATABASE_ROUTERS = ["earlyhelp.measures.replica.ReportingReplicaRouter"]
# Rate limits, API throttles and the worker's heartbeat: shared through Redis when REDIS_URL is set.
CACHES = cache_from_env()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # NCSC and ASVS 2.1: long passphrases welcome, no composition rules, no forced rotation.
    {"NAME": "earlyhelp.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    # Offline strength estimate: refuses 123456789012, xxxxxxxxxxxx, qwertyuiopas and the like.
    {"NAME": "earlyhelp.accounts.passwords.GuessabilityValidator", "OPTIONS": {"min_score": 3}},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Documents attached to families' records (earlyhelp/documents) have their own storage, never served
# directly: local files under DOCUMENTS_ROOT by default; docs/deploy.md shows an S3-compatible store.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {
        "BACKEND": env_str("DOCUMENTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents"))},
    },
}
STATICFILES_DIRS = [
    BASE_DIR / "earlyhelp" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]

REST_FRAMEWORK = {
    # No default paginator: the one list that pages, the inbox, does so through ReadApi.page_size
    # (earlyhelp/web/api.py); every other list is bounded by the record it hangs from.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "earlyhelp.partners.authentication.PartnerTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["earlyhelp.partners.throttling.PartnerClientThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "earlyhelp.web.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early Help System API",
    "DESCRIPTION": (
        "Records and actions of the early help partnership. "
        "Every call applies the same access rules and audit as the pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from our own static files: the docs work with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # OpenAPI 3 asks every response for a description (earlyhelp.web.api.describe_responses).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "earlyhelp.web.api.describe_responses",
    ],
    # One name for each choice set used by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "LevelOfNeedEnum": "earlyhelp.journey.models.Level",
        "HarmReasonEnum": "earlyhelp.journey.models.HarmReason",
        "ActionStatusEnum": "earlyhelp.plans.models.ActionStatus",
        "AssessmentStatusEnum": "earlyhelp.assessments.models.AssessmentStatus",
        "DocumentKindEnum": "earlyhelp.documents.models.DocumentKind",
        "MeetingKindEnum": "earlyhelp.plans.models.MeetingKind",
    },
}

# Management oversight: an episode open longer than this many days is flagged as drift on the
# manager's team caseload.
OVERSIGHT_DRIFT_DAYS = env_int("OVERSIGHT_DRIFT_DAYS", 270)
# How many days before a plan's next review its lead professional is told it is due (plans.reviews_due_notify).
PLAN_REVIEW_NOTICE_DAYS = env_int("PLAN_REVIEW_NOTICE_DAYS", 7)
# ... and so is an episode whose last this many reviews (plan meetings) scored the same family and
# practitioners' scale (0 or 1: never on this ground).
OVERSIGHT_DRIFT_REVIEWS = env_int("OVERSIGHT_DRIFT_REVIEWS", 3)
# The dashboard counts the open episodes with supervision held in the last this many days.
OVERSIGHT_SUPERVISION_DAYS = env_int("OVERSIGHT_SUPERVISION_DAYS", 90)

# Audit events are sealed into the hash chain after they commit; each process tries at most once in
# this many seconds (0: after every commit). The worker also seals on each heartbeat.
AUDIT_SEAL_INTERVAL = env_float("AUDIT_SEAL_INTERVAL", 1.0)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The partnership data hub (docs/datasets.md): folders of a council's own layout documents, read
# beside the shipped ones; a file of this many bytes or more is loaded by the worker, not the page.
DATAHUB_LAYOUT_DIRS = env_list("DATAHUB_LAYOUT_DIRS")
DATAHUB_BACKGROUND_FROM_BYTES = env_int("DATAHUB_BACKGROUND_FROM_BYTES", 1_000_000)
# Earlier identification: the flag rules document (empty: the shipped earlyhelp/datahub/flag_rules.json),
# and the identification list's families, with needs in this many outcome areas among flags raised
# within this many months.
DATAHUB_FLAG_RULES_FILE = env_str("DATAHUB_FLAG_RULES_FILE")
DATAHUB_IDENTIFICATION_NEEDS = env_int("DATAHUB_IDENTIFICATION_NEEDS", 3)
DATAHUB_IDENTIFICATION_MONTHS = env_int("DATAHUB_IDENTIFICATION_MONTHS", 12)

# Email (docs/notifications.md): Django's mail framework over SMTP unless EARLY_HELP_EMAIL_VIA=notify.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Early Help System <no-reply@example.org>")
GOVUK_NOTIFY_API_KEY = env_str("GOVUK_NOTIFY_API_KEY")

# The product's own settings, typed and documented field by field in config/early_help.py.
EARLY_HELP = early_help_from_environment()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "earlyhelp.audit.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # The request line carries query strings (search terms are personal data): keep it out.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Lockout and single sign-on libraries log usernames and addresses; the audit trail has what matters.
        "axes": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "mozilla_django_oidc": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

from .security import *  # noqa: E402, F403 - sign-in, sessions, headers, uploads
