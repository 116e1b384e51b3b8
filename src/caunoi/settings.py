"""Settings for Cầu Nối: one module, driven by environment variables.

SQLite in ./var is the embedded default so a fresh checkout runs; set DATABASE_URL
(postgres://...) for production. Nothing here imports local override files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CAUNOI_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use DJANGO_SECRET_KEY, else a random key kept in var/ for the embedded setup."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Our apps, foundation first (docs/architecture.md, Layers).
    "caunoi.core",
    "caunoi.jobs",
    "caunoi.search",
    "caunoi.accounts",
    "caunoi.taxonomy",
    "caunoi.registry",
    "caunoi.market",
    "caunoi.reporting",
    "caunoi.kb",
    "caunoi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response gets the header, also error pages and static files.
    "caunoi.core.middleware.ContentSecurityPolicyMiddleware",
    "caunoi.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "caunoi.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Searches per minute per client (CAUNOI_SEARCH_RATE), before any search runs.
    "caunoi.search.throttle.SearchRateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a refused sign-in (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caunoi.urls"
WSGI_APPLICATION = "caunoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caunoi.core.context_processors.site",
                "caunoi.accounts.context_processors.notifications",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "caunoi.sqlite3",
        "OPTIONS": {
            # WAL lets readers proceed while a writer commits; IMMEDIATE avoids
            # "database is locked" upgrades from read to write inside a transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The login limiter first (it refuses locked-out names and addresses), then the user table.
AUTHENTICATION_BACKENDS = [
    "caunoi.accounts.signin.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("CAUNOI_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CAUNOI_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True
# WhiteNoise warns about a missing root; collectstatic fills it in production.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded source documents: checked for type and size before they are stored.
CAUNOI_UPLOAD_MAX_BYTES = int(os.environ.get("CAUNOI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
CAUNOI_IMPORT_MAX_BYTES = int(os.environ.get("CAUNOI_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
# Knowledge-base documents (caunoi.kb.extract.limits): a file's size, a PDF's pages, a
# DOCX's uncompressed size and compression ratio (checked on the zip directory, against zip
# bombs) and the characters of text kept from one document.
CAUNOI_KB_MAX_BYTES = int(os.environ.get("CAUNOI_KB_MAX_BYTES", 50 * 1024 * 1024))
CAUNOI_KB_MAX_PAGES = int(os.environ.get("CAUNOI_KB_MAX_PAGES", 2000))
CAUNOI_KB_MAX_UNZIPPED = int(os.environ.get("CAUNOI_KB_MAX_UNZIPPED", 200 * 1024 * 1024))
CAUNOI_KB_MAX_RATIO = int(os.environ.get("CAUNOI_KB_MAX_RATIO", 100))
CAUNOI_KB_MAX_CHARS = int(os.environ.get("CAUNOI_KB_MAX_CHARS", 5_000_000))
# Import limits: data rows per file; an XLSX's total uncompressed size and its compression
# ratio (checked on the zip directory before parsing, against zip bombs); files with more
# rows than CAUNOI_IMPORT_BACKGROUND_ROWS are imported by a background job.
CAUNOI_IMPORT_MAX_ROWS = int(os.environ.get("CAUNOI_IMPORT_MAX_ROWS", 5000))
CAUNOI_IMPORT_MAX_UNZIPPED_BYTES = int(
    os.environ.get("CAUNOI_IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024)
)
CAUNOI_IMPORT_MAX_ZIP_RATIO = int(os.environ.get("CAUNOI_IMPORT_MAX_ZIP_RATIO", 100))
CAUNOI_IMPORT_BACKGROUND_ROWS = int(os.environ.get("CAUNOI_IMPORT_BACKGROUND_ROWS", 500))
# The marketplace's imports of offers and requests have their own, higher limits: a partner
# exchange's whole database (the national one holds about 22,000 offers) in one file,
# imported as a background job.
CAUNOI_MARKET_IMPORT_MAX_ROWS = int(os.environ.get("CAUNOI_MARKET_IMPORT_MAX_ROWS", 25_000))
CAUNOI_MARKET_IMPORT_MAX_BYTES = int(
    os.environ.get("CAUNOI_MARKET_IMPORT_MAX_BYTES", 64 * 1024 * 1024)
)
# Processes analysing a large import's search texts beside the importing one (1: none).
CAUNOI_IMPORT_WORKERS = int(os.environ.get("CAUNOI_IMPORT_WORKERS", os.cpu_count() or 1))
# Agreements whose expiry falls within this many days are flagged as expiring.
CAUNOI_EXPIRY_WINDOW_DAYS = int(os.environ.get("CAUNOI_EXPIRY_WINDOW_DAYS", 180))
CAUNOI_PAGE_SIZE = 25
# Rows of one table answer in a reporting form (the form posts its row count).
CAUNOI_TABLE_MAX_ROWS = int(os.environ.get("CAUNOI_TABLE_MAX_ROWS", 500))
# Expressions of interest in the marketplace: days the owner has to answer once an officer
# forwarded one, open expressions per user and record, expressions per user per day.
CAUNOI_INTEREST_ANSWER_DAYS = int(os.environ.get("CAUNOI_INTEREST_ANSWER_DAYS", 14))
CAUNOI_INTEREST_OPEN_PER_RECORD = int(os.environ.get("CAUNOI_INTEREST_OPEN_PER_RECORD", 1))
CAUNOI_INTEREST_OPEN_PER_USER = int(os.environ.get("CAUNOI_INTEREST_OPEN_PER_USER", 10))
CAUNOI_INTEREST_PER_DAY = int(os.environ.get("CAUNOI_INTEREST_PER_DAY", 5))
# Default reply deadline, in days, of each open stage of an expression of interest (an
# officer may set another date): an officer forwards a submitted one, the owner answers a
# forwarded one, the parties start negotiating once accepted and conclude a negotiation.
CAUNOI_INTEREST_STAGE_DAYS = {
    "submitted": int(os.environ.get("CAUNOI_INTEREST_SUBMITTED_DAYS", 5)),
    "forwarded": CAUNOI_INTEREST_ANSWER_DAYS,
    "accepted": int(os.environ.get("CAUNOI_INTEREST_ACCEPTED_DAYS", 30)),
    "negotiating": int(os.environ.get("CAUNOI_INTEREST_NEGOTIATING_DAYS", 90)),
}
# Offers and requests whose validity ends within this many days remind their owner.
CAUNOI_MARKET_REMINDER_DAYS = int(os.environ.get("CAUNOI_MARKET_REMINDER_DAYS", 14))
# Processes a long task may spread its computation over (the match recompute's ranking, the
# analysis of many candidates): 0 = one per core, 1 = none forked (caunoi.jobs.parallel).
# One by default: on 2 cores beside the database server, forking was measured to give no
# shorter recompute for twice the CPU (docs/matching.md).
CAUNOI_TASK_PROCESSES = int(os.environ.get("CAUNOI_TASK_PROCESSES", 1))
# A new match at or above this score notifies the request's owner.
CAUNOI_MATCH_NOTIFY_SCORE = float(os.environ.get("CAUNOI_MATCH_NOTIFY_SCORE", 0.3))
# Matches below this score are neither stored nor shown; those below this fraction of the
# best match of the same kind for the same request are not shown (docs/matching.md).
CAUNOI_MATCH_MIN_SCORE = float(os.environ.get("CAUNOI_MATCH_MIN_SCORE", 0.15))
CAUNOI_MATCH_MIN_RELATIVE = float(os.environ.get("CAUNOI_MATCH_MIN_RELATIVE", 0.5))
# The address links in notification e-mails start with (e-mails sent by tasks have no request).
CAUNOI_SITE_URL = os.environ.get("CAUNOI_SITE_URL", "http://localhost:8000")

# The assistant's optional composer (caunoi.kb.compose): an OpenAI-compatible endpoint the
# operator runs or subscribes to. Off while the URL is empty.
CAUNOI_ASSISTANT_LLM_URL = os.environ.get("CAUNOI_ASSISTANT_LLM_URL", "")
CAUNOI_ASSISTANT_LLM_MODEL = os.environ.get("CAUNOI_ASSISTANT_LLM_MODEL", "")
CAUNOI_ASSISTANT_LLM_KEY = os.environ.get("CAUNOI_ASSISTANT_LLM_KEY", "")
CAUNOI_ASSISTANT_LLM_TIMEOUT = float(os.environ.get("CAUNOI_ASSISTANT_LLM_TIMEOUT", 10))
# Embeddings for semantic search: "inline" queues an embedding task after each commit that
# changes a record's text (the default); "off" queues nothing (run `caunoi embed`).
CAUNOI_SEARCH_EMBED = os.environ.get("CAUNOI_SEARCH_EMBED", "inline")
# Background tasks (docs/tasks.md): Django's tasks API from django-tasks. "database" queues them
# in the database for a worker; "immediate" runs each in the caller (the tests).
CAUNOI_TASKS_BACKEND = os.environ.get("CAUNOI_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if CAUNOI_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"CAUNOI_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[CAUNOI_TASKS_BACKEND], "QUEUES": ["default"]}}
# Who runs queued tasks: "thread", a worker thread in the web process (the embedded default,
# without DATABASE_URL); "off", a separate `caunoi worker` (the default with DATABASE_URL).
CAUNOI_TASKS_WORKER = os.environ.get(
    "CAUNOI_TASKS_WORKER", "off" if os.environ.get("DATABASE_URL") else "thread"
)
# A task left running by a worker silent this long is queued again, at most this many attempts.
CAUNOI_WORKER_STALE_SECONDS = int(os.environ.get("CAUNOI_WORKER_STALE_SECONDS", 60))
CAUNOI_TASKS_MAX_ATTEMPTS = int(os.environ.get("CAUNOI_TASKS_MAX_ATTEMPTS", 3))
# Finished jobs and task results are deleted after this many days (the daily jobs.prune).
CAUNOI_JOBS_KEEP_DAYS = int(os.environ.get("CAUNOI_JOBS_KEEP_DAYS", 30))
# The lexical index (derived from the database, rebuilt when missing): local disk per machine.
# Searches per minute per client, "anonymous,signed-in", or "off" (docs/search.md, Rate limit).
CAUNOI_SEARCH_RATE = os.environ.get("CAUNOI_SEARCH_RATE", "60,240")
# The cache holds the rate-limit counters ("default") and drawn charts ("charts", apart so that
# many charts never push the counters out). "locmem" (default): per process, right for one app
# process (the embedded demo); with several app processes use "database" (`migrate` creates
# the tables) or a Redis URL, so they count and share drawings together.
_cache = os.environ.get("CAUNOI_CACHE", "locmem")
_CHART_ENTRIES = {"MAX_ENTRIES": 2000}
if _cache == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "caunoi_cache",
        },
        "charts": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "caunoi_cache_charts",
            "OPTIONS": _CHART_ENTRIES,
        },
    }
elif _cache.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache},
        "charts": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache,
            "KEY_PREFIX": "charts",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "charts": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "charts",
            "OPTIONS": _CHART_ENTRIES,
        },
    }
CAUNOI_SEARCH_INDEX_DIR = Path(os.environ.get("CAUNOI_SEARCH_INDEX_DIR", VAR_DIR / "search"))

# API bearer tokens expire this many days after they are made (`caunoi token --days N`).
CAUNOI_API_TOKEN_DAYS = int(os.environ.get("CAUNOI_API_TOKEN_DAYS", 90))

# Content-Security-Policy on every response (core.middleware.ContentSecurityPolicyMiddleware).
# The pages have no inline scripts, styles or handlers; htmx and caunoi.js are static files.
CAUNOI_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Path prefix -> a policy of its own, for pages that cannot work under the strict one.
CAUNOI_CSP_PATHS: dict[str, str | dict[str, list[str]]] = {}

# Failed sign-ins (django-axes, attempts kept in the database): after CAUNOI_LOGIN_FAILURE_LIMIT
# failures for one user name, or from one address, further attempts are refused until
# CAUNOI_LOGIN_COOLOFF_MINUTES have passed since the last failure.
AXES_FAILURE_LIMIT = int(os.environ.get("CAUNOI_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CAUNOI_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "caunoi.accounts.signin.lockout_username"
AXES_CLIENT_IP_CALLABLE = "caunoi.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "caunoi.accounts.views.login_locked_out"
# The request header (as in request.META) that carries the client's address when a reverse
# proxy sets it, e.g. HTTP_X_REAL_IP; unset: the connection's address (REMOTE_ADDR).
CAUNOI_CLIENT_IP_HEADER = os.environ.get("CAUNOI_CLIENT_IP_HEADER", "")

# E-mail (sign-up confirmation, password reset). DJANGO_EMAIL_BACKEND: console (default:
# printed), file (one file per message in DJANGO_EMAIL_FILE_PATH), smtp, locmem, or a dotted path.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "console")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = Path(os.environ.get("DJANGO_EMAIL_FILE_PATH", VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Cầu Nối <no-reply@localhost>")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
# How long the link in a sign-up confirmation e-mail works (password reset links:
# PASSWORD_RESET_TIMEOUT, Django's default of three days).
CAUNOI_EMAIL_VERIFY_DAYS = int(os.environ.get("CAUNOI_EMAIL_VERIFY_DAYS", 3))

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("CAUNOI_SECURE", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAUNOI_LOG_LEVEL", "WARNING")},
}
