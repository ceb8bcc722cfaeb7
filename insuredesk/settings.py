"""InsureDesk settings: one file, driven by environment variables with safe defaults.

A fresh clone needs none of them: the database is a SQLite file and the secret key is generated
once and kept under INSUREDESK_DATA_DIR (default ./var).
"""

import os
import secrets
from decimal import Decimal
from pathlib import Path
from typing import NotRequired, TypedDict

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("INSUREDESK_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The SECRET_KEY variable, else a key generated once and kept in the data dir."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # First, so its templates (sign-in, password pages) take precedence over the admin's.
    "insuredesk.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Shared machinery: domain apps depend on these, never the reverse.
    "insuredesk.rules",
    "insuredesk.casework",
    "insuredesk.documents",
    "insuredesk.notifications",
    # Domains.
    "insuredesk.customers",
    "insuredesk.catalog",
    "insuredesk.policies",
    "insuredesk.sales",
    "insuredesk.planning",
    "insuredesk.consultation",
    "insuredesk.claims",
    "insuredesk.complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "insuredesk.web.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "insuredesk.urls"
WSGI_APPLICATION = "insuredesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "insuredesk.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'insuredesk.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["insuredesk.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before collectstatic
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "service@insuredesk.example")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}


class InsureDeskSettings(TypedDict):
    """settings.INSUREDESK: keys always set below, and optional ones tests or benchmarks set."""

    INSURER_NAME: str
    DEFAULT_JURISDICTION: str
    DUE_SOON_HOURS: int
    SMS_BACKEND: str
    API_TOKEN_TTL_DAYS: int
    AUTO_ANSWER_CONFIDENCE: float
    ANSWER_INDEX_DIR: Path
    ANSWER_MODEL_DIR: Path
    # Optional: the code reading each one has a default.
    COMPLAINT_CHANNELS: NotRequired[dict[str, str]]  # any of phone, email, post, web
    OUTBOX_MAX_ATTEMPTS: NotRequired[int]
    OUTBOX_LEASE_SECONDS: NotRequired[float]
    OUTBOX_BACKOFF_SECONDS: NotRequired[float]
    CLAIMS_UPLOAD_MAX_BYTES: NotRequired[int]
    CLAIMS_GB_PROGRESS_UPDATE_DAYS: NotRequired[int]
    CLAIMS_CA_SUIT_LIMIT_MONTHS: NotRequired[int]
    CLAIMS_FAST_TRACK_LIMIT: NotRequired[Decimal | str]  # an amount: "5000" or Decimal("5000")
    CLAIMS_HANDLER_AUTHORITY: NotRequired[Decimal | str]
    CLAIMS_LETTER_TASK_BACKEND: NotRequired[str]  # a TASKS alias for the payment-advice letters


# The insurer's own settings.
INSUREDESK: InsureDeskSettings = {
    "INSURER_NAME": os.environ.get("INSURER_NAME", "Harbour Mutual Insurance"),
    "DEFAULT_JURISDICTION": os.environ.get("DEFAULT_JURISDICTION", "CN"),
    "DUE_SOON_HOURS": int(os.environ.get("DUE_SOON_HOURS", "48")),
    "SMS_BACKEND": os.environ.get("SMS_BACKEND", "insuredesk.notifications.sms.LogBackend"),
    "API_TOKEN_TTL_DAYS": int(os.environ.get("API_TOKEN_TTL_DAYS", "90")),
    # The answer engine shows its best answer at once above this confidence; below, an agent.
    "AUTO_ANSWER_CONFIDENCE": float(os.environ.get("AUTO_ANSWER_CONFIDENCE", "0.6")),
    "ANSWER_INDEX_DIR": Path(os.environ.get("ANSWER_INDEX_DIR", DATA_DIR / "answer-index")),
    "ANSWER_MODEL_DIR": Path(os.environ.get("ANSWER_MODEL_DIR", DATA_DIR / "answer-model")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
