"""Keyhouse settings: one module, everything read from the environment.

With DJANGO_DEBUG off (production), the secrets have no default: a deployment that forgets
one stops at start-up with a message naming the variable.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from codelocks.plans import PLANS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _required(name: str, dev_default: str) -> str:
    """Read a secret that production must set; development falls back to a local default."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set. Set it in the environment (see .env.example); "
        "it has no default when DJANGO_DEBUG is off."
    )


SECRET_KEY = _required("DJANGO_SECRET_KEY", "django-insecure-keyhouse-development-only")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "locks",
    "netcodes",
    "k3clients",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "locks.context_processors.current_site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers (web, worker, beat) wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://keyhouse")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# English only: without translation machinery every date, label and URL renders faster.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests and `make run` serve static files from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

FORM_RENDERER = "config.forms.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Keyhouse <keyhouse@localhost>")

# --- Secrets at rest ------------------------------------------------------------------------
# Fernet keys, newest first: the first encrypts, every one decrypts.
_dev_fernet_key = base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [
    _required("FIELD_ENCRYPTION_KEYS", _dev_fernet_key)
]

# --- Codelocks Connect API ------------------------------------------------------------------
CODELOCKS_API_URL = env.str("CODELOCKS_API_URL", default="http://127.0.0.1:8001")
CODELOCKS_API_KEY = _required("CODELOCKS_API_KEY", "sandbox-key")
CODELOCKS_PLAN = env.str("CODELOCKS_PLAN", default="business-1")
if CODELOCKS_PLAN not in PLANS:
    raise ImproperlyConfigured(f"CODELOCKS_PLAN must be one of {', '.join(PLANS)}.")
CODELOCKS_TIMEOUT = env.float("CODELOCKS_TIMEOUT", default=10.0)
# First pause before a failed GET is retried (it doubles each time, three retries at most).
CODELOCKS_RETRY_BACKOFF = env.float("CODELOCKS_RETRY_BACKOFF", default=0.5)
# Share of the monthly Utility quota kept back for people's own actions (not spent by sync).
CODELOCKS_UTILITY_RESERVE = env.float("CODELOCKS_UTILITY_RESERVE", default=0.3)

# --- Sync of smart locks (README "Sync") -----------------------------------------------------
# Utility calls a month the sync may spend; unset: the plan's quota less the reserve above.
KEYHOUSE_SYNC_MONTHLY_CALLS = env.int("KEYHOUSE_SYNC_MONTHLY_CALLS", default=None)
# Sync stops while less than this share of the month's Utility quota is left.
KEYHOUSE_SYNC_STOP_BELOW = env.float("KEYHOUSE_SYNC_STOP_BELOW", default=0.05)
KEYHOUSE_SYNC_MAX_CALLS_PER_RUN = env.int("KEYHOUSE_SYNC_MAX_CALLS_PER_RUN", default=20)
KEYHOUSE_SYNC_PLAN_EVERY = env.int("KEYHOUSE_SYNC_PLAN_EVERY", default=300)
# First pause before a sync task that met a transient API failure is retried (doubles each time).
KEYHOUSE_SYNC_RETRY_BACKOFF = env.float("KEYHOUSE_SYNC_RETRY_BACKOFF", default=30.0)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
CELERY_BEAT_SCHEDULE["netcodes-refresh-durations"] = {
    "task": "netcodes.refresh_durations",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["k3clients-sync-plan"] = {
    "task": "k3clients.sync_plan",
    "schedule": KEYHOUSE_SYNC_PLAN_EVERY,
}
# Closes sync runs whose worker was killed (they would show as running forever).
CELERY_BEAT_SCHEDULE["k3clients-sync-sweep"] = {"task": "k3clients.sync_sweep", "schedule": 60}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Production hardening -------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Sign-in protection and browser policy (README "Security") -------------------------------
# Scripts and styles only from our own origin: no inline script, no inline style, no eval.
# Bootstrap draws its icons (toggler, select arrow, close button) as data: SVGs, hence img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Failed sign-ins are counted per username *and* address in the database (shared by every web
# process, kept across restarts, listed in the admin); the sixth failure locks that pair out.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("KEYHOUSE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KEYHOUSE_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.ratelimit.client_ip"
AXES_VERBOSE = False
# How many proxies in front of the portal append to X-Forwarded-For (0: use REMOTE_ADDR).
KEYHOUSE_TRUSTED_PROXY_COUNT = env.int("KEYHOUSE_TRUSTED_PROXY_COUNT", default=0)
# Requests per minute, counted in the shared cache (CACHE_URL: Redis in production).
RATE_LIMITS = {
    "login": env.int("KEYHOUSE_LOGIN_RATE_LIMIT", default=10),
    "netcode": env.int("KEYHOUSE_NETCODE_RATE_LIMIT", default=20),
}
# Two-factor sign-in (TOTP): anyone may turn it on; this makes it mandatory for site Admins.
KEYHOUSE_REQUIRE_2FA_FOR_ADMINS = env.bool("KEYHOUSE_REQUIRE_2FA_FOR_ADMINS", default=False)
OTP_TOTP_ISSUER = "Keyhouse"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
