"""certprep settings.

Everything that differs between a laptop and a production install comes from environment variables
(documented in .env.example). The defaults make a fresh clone run on SQLite with no set-up.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CERTPREP_VAR_DIR", BASE_DIR / "var"))
# The machine's own folder (the SQLite database by default, logs, static files, a local file store): made here so a
# fresh machine given its secret key in the environment starts as one that makes its key in it.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A per-installation key kept in var/ so sessions survive restarts without any set-up."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("CERTPREP_DEBUG", False)
if os.environ.get("CERTPREP_S3_BUCKET") and not os.environ.get("CERTPREP_SECRET_KEY"):
    # Files in an object store mean several machines; a key made per machine in var/ would make each refuse the
    # others' sessions, forms and personal links. Every app server and worker must be given the same key.
    raise ImproperlyConfigured(
        "CERTPREP_S3_BUCKET is set, so certprep runs on several machines: give every app server and worker the "
        "same CERTPREP_SECRET_KEY (docs/deploy.md)."
    )
SECRET_KEY = os.environ.get("CERTPREP_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("CERTPREP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CERTPREP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",
    "certprep.core",
    "certprep.accounts",
    "certprep.engagements",
    "certprep.catalogue",
    "certprep.people",
    "certprep.survey",
    "certprep.responsibilities",
    "certprep.gaps",
    "certprep.planning",
    "certprep.vendors",
    "certprep.budget",
    "certprep.organization",
    "certprep.feasibility",
    "certprep.reports",
    # Background jobs (report builds) kept in the database: no broker to run; `manage.py db_worker` works them.
    "django_tasks_db",
]

# The parts an engagement is made of, each declared by its app's `parts` module (certprep/core/parts.py): the
# order of the engagement file's checks and imports (the survey section carries the people the later sections
# refer to), of the dashboard's cards, of the demo and of the API's routers. docs/architecture.md: adding an app.
CERTPREP_ENGAGEMENT_PARTS = [
    "certprep.people.parts",
    "certprep.survey.parts",
    "certprep.responsibilities.parts",
    "certprep.gaps.parts",
    "certprep.planning.parts",
    "certprep.vendors.parts",
    "certprep.budget.parts",
    "certprep.organization.parts",
    "certprep.feasibility.parts",
    "certprep.reports.parts",
]

# Django's Tasks framework on the database backend (django-tasks-db): report builds are queued in a table and run
# by `manage.py db_worker`, which `make run` starts next to the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Processes a report build draws its files on (certprep/reports/services/drawing.py): one per core (at most four)
# when unset; 0 draws in the worker's own process.
CERTPREP_REPORT_PROCESSES = (
    int(os.environ["CERTPREP_REPORT_PROCESSES"]) if os.environ.get("CERTPREP_REPORT_PROCESSES") else None
)
# A running report build whose worker has not written its heartbeat for this long was abandoned (the worker was
# killed or its machine lost): it is queued again once, then marked failed (certprep/reports/services/recovery.py).
CERTPREP_TASK_STALE_SECONDS = float(os.environ.get("CERTPREP_TASK_STALE_SECONDS") or 120)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Engagement pages activate the engagement's time zone; each request starts from TIME_ZONE again.
    "certprep.core.timezones.TimeZoneResetMiddleware",
    # Every answer under /api/ is JSON (a 404 no route matched, a lock-out, a server error): wraps axes.
    "certprep.core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: the token check reads the body, and a body too large for its route is refused unread.
    "certprep.core.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "certprep.core.middleware.OutOfRangeIdMiddleware",
    "certprep.core.busy.DatabaseBusyMiddleware",
    # Axes must come last: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "certprep" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'certprep.sqlite3'}",
        conn_max_age=int(os.environ.get("CERTPREP_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at the start of a
    # transaction so concurrent writers queue (up to the timeout) instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Connections are kept between requests (CONN_MAX_AGE above), as for PostgreSQL: opening one costs more CPU
    # than a whole autosave (the PRAGMAs, reading the schema, and the WAL checkpoint when the last one closes).
    # A local file needs no health check.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "engagements:list"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed sign-ins are rate limited (django-axes, see certprep/accounts/throttling.py): per user name and
# address (another address still signs in), and per address across all user names with a larger limit
# (password spraying; 0 turns it off). Both pause sign-in for the cool-off time.
AXES_FAILURE_LIMIT = int(os.environ.get("CERTPREP_LOGIN_FAILURE_LIMIT", "5"))
CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CERTPREP_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "certprep.accounts.throttling.AddressAwareHandler"
# Behind a reverse proxy all requests come from the proxy: the client address is then read from the header the
# proxies write, trusting only the last CERTPREP_PROXY_COUNT entries (one per proxy).
CERTPREP_BEHIND_PROXY = env_bool("CERTPREP_BEHIND_PROXY", False)
CERTPREP_PROXY_HEADER = os.environ.get("CERTPREP_PROXY_HEADER", "X-Forwarded-For")
CERTPREP_PROXY_COUNT = max(1, int(os.environ.get("CERTPREP_PROXY_COUNT", "1")))
if CERTPREP_BEHIND_PROXY:
    AXES_CLIENT_IP_CALLABLE = "certprep.accounts.throttling.client_ip_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write dates and times per language, whatever format name a template asks for.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("CERTPREP_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "certprep" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded and generated files (evidence, survey attachments, built reports, plan imports waiting for their
# confirmation): the local folder MEDIA_ROOT by default; any S3-compatible object store when
# CERTPREP_S3_BUCKET is set, so several app servers and workers share them. The bucket stays private: objects
# are written without an ACL (the bucket's own, private, applies) and certprep never hands out their URLs;
# every download streams through core.downloads after the engagement's access check.
CERTPREP_S3_BUCKET = os.environ.get("CERTPREP_S3_BUCKET", "")


def s3_storage(environ: Mapping[str, str] = os.environ) -> dict:
    """The default storage on the object store the CERTPREP_S3_* variables of `environ` name (django-storages'
    S3 backend; the tests build theirs with it too)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["CERTPREP_S3_BUCKET"],
            "endpoint_url": environ.get("CERTPREP_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("CERTPREP_S3_REGION") or None,
            "access_key": environ.get("CERTPREP_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("CERTPREP_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("CERTPREP_S3_PREFIX", "").strip("/"),
            "addressing_style": environ.get("CERTPREP_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # no ACL sent: never public-read
            "querystring_auth": True,  # should a URL ever be made, it is signed and expires
            "querystring_expire": 300,
            "file_overwrite": False,  # a name taken gets a new one, as in the local folder
            "max_memory_size": 4 * 1024 * 1024,  # a large download spills to a temporary file, not memory
        },
    }


STORAGES = {
    "default": s3_storage() if CERTPREP_S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail (Django 6.1 MAILERS): the console in development, SMTP when CERTPREP_EMAIL_HOST is set, files in a folder
# when CERTPREP_EMAIL_FILE_PATH is. Messages are sent by the background worker (certprep.core.outbox).
_email_options: dict = {}
_email_backend = os.environ.get("CERTPREP_EMAIL_BACKEND", "")
if os.environ.get("CERTPREP_EMAIL_HOST"):
    _email_backend = _email_backend or "django.core.mail.backends.smtp.EmailBackend"
    _email_options = {
        "host": os.environ["CERTPREP_EMAIL_HOST"],
        "port": int(os.environ.get("CERTPREP_EMAIL_PORT", "587")),
        "username": os.environ.get("CERTPREP_EMAIL_HOST_USER", ""),
        "password": os.environ.get("CERTPREP_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("CERTPREP_EMAIL_USE_TLS", True),
    }
elif os.environ.get("CERTPREP_EMAIL_FILE_PATH"):
    # Each message written as a file in this folder instead of sent (a staging machine; the multi-process test).
    _email_backend = _email_backend or "django.core.mail.backends.filebased.EmailBackend"
    _email_options = {"file_path": os.environ["CERTPREP_EMAIL_FILE_PATH"]}
MAILERS = {
    "default": {
        "BACKEND": _email_backend or "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": _email_options,
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("CERTPREP_FROM_EMAIL", "certprep <certprep@localhost>")
CERTPREP_BASE_URL = os.environ.get("CERTPREP_BASE_URL", "http://127.0.0.1:8000")

# Behind HTTPS in production: secure cookies, HSTS and redirects. Off by default so the local
# http://127.0.0.1 demo can sign in.
HTTPS = env_bool("CERTPREP_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# A load balancer probes the app servers over plain HTTP on its own network: the health checks answer there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("CERTPREP_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if CERTPREP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Django's built-in Content Security Policy: only our own scripts and styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Uploads: catalogue files are small; anything larger is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CERTPREP_MAX_FRAMEWORK_FILE_BYTES = 8 * 1024 * 1024
# The largest request body any route takes unless it declares its own bound (one evidence file of 10 MB
# and its form); see certprep/core/request_limits.py.
CERTPREP_MAX_REQUEST_BYTES = int(os.environ.get("CERTPREP_MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
CERTPREP_INVITATION_DAYS = int(os.environ.get("CERTPREP_INVITATION_DAYS", "14"))
# Invitations sent in the last hour: by one person (across engagements), and to one engagement (all owners).
CERTPREP_INVITATIONS_PER_HOUR = int(os.environ.get("CERTPREP_INVITATIONS_PER_HOUR", "20"))
CERTPREP_ENGAGEMENT_INVITATIONS_PER_HOUR = int(os.environ.get("CERTPREP_ENGAGEMENT_INVITATIONS_PER_HOUR", "40"))
CERTPREP_API_TOKEN_DAYS = int(os.environ.get("CERTPREP_API_TOKEN_DAYS", "30"))

NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

_LOG_LEVEL = os.environ.get("CERTPREP_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 400, ...) is one line on the log; server errors keep their traceback.
    "filters": {"one_line_client_errors": {"()": "certprep.core.logs.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}},
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # Only through the console above: Django's own handlers on "django" would print the traceback again.
    "loggers": {
        name: {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False}
        for name in ("django.request", "django.security")
    },
}
