"""Koers settings, read from the environment.

Without any environment Koers runs in embedded mode: SQLite under ``var/``, DEBUG off unless asked for, and a
generated secret key kept in ``var/``. ``KOERS_PROFILE=production`` turns on every protection that
``manage.py check --deploy`` asks for and refuses to start without an explicit secret key and host list.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOERS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PROFILE = os.environ.get("KOERS_PROFILE", "embedded")
if PROFILE not in {"embedded", "production"}:
    raise ImproperlyConfigured("KOERS_PROFILE must be 'embedded' or 'production'.")
PRODUCTION = PROFILE == "production"


def _embedded_secret_key() -> str:
    """A per-installation key kept beside the SQLite database, so sessions survive restarts."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the production profile.")
    SECRET_KEY = _embedded_secret_key()

DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the production profile.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode seeds fictitious data and lets the seeded demo accounts skip the second factor.
DEMO_MODE = env_bool("KOERS_DEMO_MODE", default=False) and not PRODUCTION

INSTALLED_APPS = [
    "koers.admin_site.KoersAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "koers.accounts",
    "koers.access",
    "koers.audit",
    "koers.clients",
    "koers.trajectories",
    "koers.groupwork",
    "koers.measurement",
    "koers.principles",
    "koers.placement",
    "koers.caseload",
    "koers.imports",
    "koers.reporting",
    "koers.retention",
    "koers.demo",
    "koers.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "koers.audit.middleware.RequestIdMiddleware",
    "koers.audit.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "koers.request_limits.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koers.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koers.ratelimits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "koers.accounts.middleware.SessionLifetimeMiddleware",
    "koers.accounts.middleware.RequireVerifiedLoginMiddleware",
    "koers.clients.middleware.ProcessingRestrictedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "koers" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "koers.accounts.context_processors.koers",
            ],
        },
    },
]

FORM_RENDERER = "koers.forms.KoersFormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must be set in the production profile (PostgreSQL).")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "koers.sqlite3"),
            # IMMEDIATE: a transaction takes the write lock when it begins, so two writers (a page and a background
            # import or placement thread) wait for each other up to ``timeout`` seconds instead of failing with
            # "database is locked" when a reading transaction tries to start writing.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are short; PostgreSQL's JIT compiler spent ~0.6 s per caseload page compiling them (measured
    # with bench/caseload.py on the large demo data), so it is off. See docs/decisions/0007-postgresql-jit-off.md.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("KOERS_TEST_SQLITE_NAME") or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "koers.accounts.backends.RolePermissionBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Inactivity time-out (server side) and absolute session lifetime; the page warns before the first.
SESSION_IDLE_SECONDS = int(os.environ.get("KOERS_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_WARNING_SECONDS = int(os.environ.get("KOERS_SESSION_WARNING_SECONDS", 120))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("KOERS_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures, per username and address so an attacker elsewhere cannot lock a user out.
AXES_FAILURE_LIMIT = int(os.environ.get("KOERS_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("KOERS_LOGIN_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
KOERS_PROXY_COUNT = int(os.environ.get("KOERS_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "koers.audit.client_ip.client_ip"

KOERS_API_TOKEN_DAYS = int(os.environ.get("KOERS_API_TOKEN_DAYS", 30))
OTP_TOTP_ISSUER = os.environ.get("KOERS_OTP_ISSUER", "Koers")

# Background work (imports, placement proposals, report exports) runs as Django tasks (ADR 0012), queued in the
# database. KOERS_TASK_WORKER says who runs them: "embedded" (a worker thread inside the web process, the default
# outside production), "external" (`manage.py db_worker` as its own service, the production default) or
# "immediate" (inline in the request: tests).
KOERS_TASK_WORKER = os.environ.get("KOERS_TASK_WORKER", "external" if PRODUCTION else "embedded")
if KOERS_TASK_WORKER not in {"embedded", "external", "immediate"}:
    raise ImproperlyConfigured("KOERS_TASK_WORKER must be 'embedded', 'external' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if KOERS_TASK_WORKER == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
KOERS_IMPORT_MAX_BYTES = int(os.environ.get("KOERS_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
KOERS_IMPORT_MAX_ROWS = int(os.environ.get("KOERS_IMPORT_MAX_ROWS", 100_000))

# Group work: the address in links that leave Koers (evaluation e-mails and letters), and when reminders go out.
KOERS_SITE_URL = os.environ.get("KOERS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
KOERS_REMINDER_DAYS = int(os.environ.get("KOERS_REMINDER_DAYS", 2))

# Trust (issue 8): the municipality's register of processing activities (AVG art. 30), which every processing-log line
# points into, and the key that turns a client id into the pseudonym the processing log carries.
KOERS_PROCESSING_REGISTER = (
    os.environ.get("KOERS_PROCESSING_REGISTER", "https://verwerkingsregister.example.nl/koers/").rstrip("/") + "/"
)
KOERS_PSEUDONYM_KEY = os.environ.get("KOERS_PSEUDONYM_KEY", "") or f"pseudonym:{SECRET_KEY}"
# Seconds between sealing rounds of the audit and processing-log hash chains (ADR 0014).
KOERS_LOG_SEAL_SECONDS = float(os.environ.get("KOERS_LOG_SEAL_SECONDS", 10))
# AVG art. 15 access export: the names of the staff who consulted a dossier only if the privacy officer (FG) decides so.
KOERS_ACCESS_EXPORT_NAMES = env_bool("KOERS_ACCESS_EXPORT_NAMES", default=False)

LANGUAGE_CODE = "nl"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "koers" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "koers" / "static"]
STATIC_ROOT = Path(os.environ.get("KOERS_STATIC_ROOT", BASE_DIR / "staticfiles" if PRODUCTION else VAR_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "koers.api.authentication.VerifiedSessionAuthentication",
        "koers.api.authentication.AuditedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "koers.request_limits.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Koers API",
    "DESCRIPTION": "Koers REST API. Every endpoint applies the same role- and relation-based access rules as "
    "the web interface, and every read of client data is written to the audit trail.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "GoalStatusEnum": "koers.trajectories.models.GoalStatus",
        "InstrumentStatusEnum": "koers.trajectories.models.InstrumentStatus",
        "VariantEnum": "koers.groupwork.models.Variant",
    },
}

# Strict content security policy: only our own scripts and styles, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("KOERS_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_HSTS_SECONDS = int(os.environ.get("KOERS_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("KOERS_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Hardening (issue 8, SECURITY.md items 43 and 46) ------------------------------------------------------------------
# Rate-limit counters live in a cache that every web worker shares: a database table (made by migration accounts 0002).
CACHES = {"default": {"BACKEND": "koers.ratelimits.CountingDatabaseCache", "LOCATION": "koers_cache"}}
# Limits as "count/period" (s, m, h or d, optionally with a multiplier: "10/10m"). Login and personal links count per
# address, the second factor per user and address, search and reports per user; the API per user or address.
KOERS_RATELIMIT_ENABLE = env_bool("KOERS_RATELIMIT_ENABLE", default=True)
KOERS_RATELIMITS = {
    "login": os.environ.get("KOERS_RATE_LOGIN", "30/m"),
    "second_factor": os.environ.get("KOERS_RATE_SECOND_FACTOR", "10/10m"),
    "personal_link": os.environ.get("KOERS_RATE_PERSONAL_LINK", "60/10m"),
    "client_search": os.environ.get("KOERS_RATE_CLIENT_SEARCH", "60/m"),
    "report": os.environ.get("KOERS_RATE_REPORT", "60/h"),
}
REST_FRAMEWORK.update(
    {
        "DEFAULT_THROTTLE_CLASSES": (
            ["koers.ratelimits.UserThrottle", "koers.ratelimits.AnonThrottle"] if KOERS_RATELIMIT_ENABLE else []
        ),
        "DEFAULT_THROTTLE_RATES": {
            "user": os.environ.get("KOERS_RATE_API_USER", "2000/h"),
            "anon": os.environ.get("KOERS_RATE_API_ANON", "100/h"),
        },
        "EXCEPTION_HANDLER": "koers.errors.api_exception_handler",
    }
)
# Request sizes: form bodies, number of fields, file size kept in memory (larger goes to a temporary file). Bodies
# above the limit get 413 before they are read; the import upload allows KOERS_IMPORT_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("KOERS_MAX_BODY_BYTES", 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("KOERS_MAX_FIELDS", 2000))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
KOERS_API_MAX_PAGE_SIZE = int(os.environ.get("KOERS_API_MAX_PAGE_SIZE", 100))
# The contact for reporting a vulnerability (RFC 9116 /.well-known/security.txt; none published without one).
KOERS_SECURITY_CONTACT = os.environ.get("KOERS_SECURITY_CONTACT", "" if PRODUCTION else "mailto:security@localhost")
KOERS_SECURITY_POLICY = os.environ.get("KOERS_SECURITY_POLICY", "")
# -------------------------------------------------------------------------------------------------------------------

SILENCED_SYSTEM_CHECKS = [] if PRODUCTION else ["security.W004", "security.W008", "security.W012", "security.W016"]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "koers@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587 if PRODUCTION else 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=PRODUCTION)
EMAIL_TIMEOUT = 30

# Every log line names its request id, the reference that error pages show (SECURITY.md item 44).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "koers.errors.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOERS_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
