"""Settings read from the environment, with embedded defaults for a fresh machine.

Embedded default: SQLite and kombu's filesystem broker under ``var/``. Production and CI
set ``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` (Redis). Every variable is read
through ``config.env``, which refuses a malformed value by name. Importing this module
changes nothing on disk: ``python -m config.var_dir`` (run by make) makes the folders.
"""

import os
from pathlib import Path

import dj_database_url

from config.env import (EnvironmentInvalid, env_bool, env_choice, env_float, env_int, env_list,
                        env_request_header, env_str)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise EnvironmentInvalid("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    SECRET_KEY = "insecure-embedded-default-key-for-local-runs-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# HTTPS, on by default once debug is off (`check --deploy` is clean). Behind a TLS proxy, name the
# header it sets (e.g. "X-Forwarded-Proto: https") so Django knows a request came in over HTTPS;
# a proxy that redirects and sends HSTS itself lets these be turned off.
SECURE_PROXY_SSL_HEADER = env_request_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# /healthz answers over plain HTTP: load balancers probe the web server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# Joining the browsers' HSTS preload list is the operator's decision (DJANGO_SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

INSTALLED_APPS = [
    "config.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "anymail",
    "articles",
    "compliance",
    "imagerights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.hostile_input.RefuseNulBytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

# The web server and the worker share the SQLite file in the embedded default: WAL, a busy
# timeout and IMMEDIATE transactions, or concurrent writers fail with "database is locked".
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except (ValueError, KeyError) as exc:
    raise EnvironmentInvalid(f"DATABASE_URL is not a database URL dj-database-url reads: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so live servers and worker processes can share it; one per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("OPERATOR_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # datetimes the admin shows carry their zone

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "outbox-mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "takedown@worldtimetodays.example")

# --- The 24-hour SLA ------------------------------------------------------------------
SLA_HOURS = 24
# Counter-notices (DMCA 512(g)): back to staff after this many business days on the operator's
# holiday calendar (the `holidays` library's country and subdivision codes); restoring by the
# timer alone is a policy option, off by default (DESIGN "Position in law").
COUNTER_NOTICE_BUSINESS_DAYS = env_int("COUNTER_NOTICE_BUSINESS_DAYS", 10)
COUNTER_NOTICE_TIMED_RESTORE = env_bool("COUNTER_NOTICE_TIMED_RESTORE", False)
COMPLAINT_WINDOW_DAYS = 183  # DSA Art. 20: at least six months after the decision
BUSINESS_CALENDAR_COUNTRY = env_str("BUSINESS_CALENDAR_COUNTRY", "US")
BUSINESS_CALENDAR_SUBDIVISION = env_str("BUSINESS_CALENDAR_SUBDIVISION", "")
# DSA Art. 23: senders warned, then suspended after this many manifestly unfounded notices.
SENDER_UNFOUNDED_WINDOW_DAYS = 365
SENDER_SUSPEND_AFTER_UNFOUNDED = env_int("SENDER_SUSPEND_AFTER_UNFOUNDED", 3)
SENDER_MAX_SUSPENSION_DAYS = 180
# DMCA 512(i): a source with this many notices upheld by staff within the window is a repeat
# infringer; its new articles are held for review until a compliance lead clears it.
REPEAT_INFRINGER_THRESHOLD = env_int("REPEAT_INFRINGER_THRESHOLD", 3)
REPEAT_INFRINGER_WINDOW_DAYS = 365
SLA_SWEEP_INTERVAL_SECONDS = env_int("SLA_SWEEP_INTERVAL_SECONDS", 30, minimum=1)
SLA_LEASE_SECONDS = env_int("SLA_LEASE_SECONDS", 120, minimum=1)
SLA_SWEEP_LIMIT = env_int("SLA_SWEEP_LIMIT", 500, minimum=1)
SLA_ENQUEUE_BATCH = env_int("SLA_ENQUEUE_BATCH", 50, minimum=1)
SLA_MAX_ATTEMPTS = env_int("SLA_MAX_ATTEMPTS", 5, minimum=1)
# Kill switch: off means the deadline escalates and records a breach instead of withdrawing.
SLA_AUTOMATED_WITHDRAWALS = env_bool("SLA_AUTOMATED_WITHDRAWALS", True)
# After an outage the sweeper must not withdraw the world: at most this many per sweep interval.
SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP = env_int("SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP", 50)
# The margin before the 24 hours is sized so this many deadlines due together pass the cap in time
# (compliance/services/deadlines.py safety_margin; docs/operations.md). Beyond it, each late one is a breach.
SLA_BURST_DUE_TOGETHER = env_int("SLA_BURST_DUE_TOGETHER", 300, minimum=1)
# /healthz fails when the inbound mail, outbox or webhook queue's oldest pending row is older than this.
QUEUE_STALE_MINUTES = env_int("QUEUE_STALE_MINUTES", 15, minimum=1)

def _cache_from(url: str) -> dict:
    if url.startswith(("redis://", "rediss://")):
        # Short socket timeouts: a rate limit fails open quickly when Redis is away (compliance/ratelimit.py).
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    # Shared by every process on one machine, unlike process memory: rate limits hold across workers.
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}


CACHES = {"default": _cache_from(env_str("CACHE_URL", "") or env_str("CELERY_BROKER_URL", ""))}
# How many proxies of ours stand in front of the web server (X-Forwarded-For is trusted that far).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
TAKEDOWN_RATE_PER_ADDRESS = env_int("TAKEDOWN_RATE_PER_ADDRESS", 20)
TAKEDOWN_RATE_PER_EMAIL = env_int("TAKEDOWN_RATE_PER_EMAIL", 10)
TAKEDOWN_RATE_WINDOW_SECONDS = 3600
# Staff sign-in: failed attempts (password and code checked together) per account and per address.
STAFF_LOGIN_FAILURES_PER_ACCOUNT = env_int("STAFF_LOGIN_FAILURES_PER_ACCOUNT", 10, minimum=1)
STAFF_LOGIN_FAILURES_PER_ADDRESS = env_int("STAFF_LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
STAFF_LOGIN_FAILURE_WINDOW_SECONDS = 900

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Time limits below stay under the visibility timeout, so a task is never redelivered
    # while it is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_DEFAULT_QUEUE = "default"
# Deadline enforcement has its own queue, so a backlog of other work never delays it.
# Import chunks have their own queue (and worker line), so a backfill never queues mail or webhooks
# behind it, and it scales by adding import workers on more machines.
CELERY_TASK_ROUTES = {
    "compliance.tasks.enforce_deadlines": {"queue": "sla"},
    "articles.tasks.import_chunk": {"queue": "import"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "compliance.tasks.sla_sweep", "schedule": float(SLA_SWEEP_INTERVAL_SECONDS),
                  "options": {"expires": max(5, SLA_SWEEP_INTERVAL_SECONDS - 5)}},
    "deliver-webhooks": {"task": "compliance.tasks.deliver_webhooks", "schedule": 15.0, "options": {"expires": 15}},
    "send-outbox": {"task": "compliance.tasks.send_outbox", "schedule": 10.0, "options": {"expires": 10}},
    "poll-imap": {"task": "compliance.tasks.poll_imap", "schedule": 60.0, "options": {"expires": 60}},
    "check-dkim": {"task": "compliance.tasks.check_dkim", "schedule": 30.0, "options": {"expires": 30}},
    "process-inbound-mail": {"task": "compliance.tasks.process_inbound_mail", "schedule": 15.0,
                             "options": {"expires": 15}},
    "verify-audit-log-hourly": {
        "task": "compliance.tasks.verify_audit_log",
        "schedule": 3600.0,
    },
}

# --- Provenance and compliance --------------------------------------------------------
# articles asks this callable before publishing; compliance plugs its stay-down gate in here.
ARTICLES_PUBLISH_GATE = env_str("ARTICLES_PUBLISH_GATE", "compliance.staydown.gate.stay_down")
# Stay-down: resemblance to withdrawn text (the larger of Jaccard and containment) at which a new
# article is held, and at which it goes to review as a suggestion; rows read per LSH key (a cap
# against boilerplate) and candidates verified per article.
STAYDOWN_HOLD_AT = 0.8
STAYDOWN_REVIEW_AT = 0.5
STAYDOWN_ROWS_PER_KEY = 200
STAYDOWN_MAX_CANDIDATES = 20
STAYDOWN_MIN_SHINGLES = 15

# /metrics asks for "Authorization: Bearer <token>" when this is set.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# --- REST framework -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "compliance.staff.api_auth.TwoFactorSessionAuthentication",
        "compliance.staff.api_auth.SenderTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF reserves ?format=; exports choose their format by renderer and their own parameter.
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "config.api_errors.handle",
    "DEFAULT_PARSER_CLASSES": ["compliance.api.parsers.JSONBodyParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
}
MAIL_MAX_ATTACHMENT_BYTES = env_int("MAIL_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
MAIL_ACK_PER_ADDRESS = env_int("MAIL_ACK_PER_ADDRESS", 5)
MAIL_ACK_PER_DOMAIN = env_int("MAIL_ACK_PER_DOMAIN", 50)
MAIL_ACK_WINDOW_SECONDS = 3600
# imaps://user:password@host/INBOX: the takedown mailbox polled every minute; empty turns polling off.
IMAP_URL = env_str("IMAP_URL", "")
# Basic-auth "user:password" that the mail provider's inbound webhook must send to /anymail/<provider>/inbound/.
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET", "")}
DKIM_DNS_TIMEOUT_SECONDS = env_int("DKIM_DNS_TIMEOUT_SECONDS", 3)
NOTICE_API_RATE = env_str("NOTICE_API_RATE", "120/hour")
NOTICE_API_MAX_BYTES = env_int("NOTICE_API_MAX_BYTES", 8 * 1024 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Provenance & Takedown Compliance API",
    "DESCRIPTION": "Where every republished item came from, and what was done about removal requests.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Four models have a choice set named Kind; each gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RightsHolderKindEnum": "articles.models.RightsHolder.Kind",
        "AssetKindEnum": "articles.models.Asset.Kind",
        "ProvenanceEventKindEnum": "articles.models.ProvenanceEvent.Kind",
        "NoticeKindEnum": "compliance.models.Notice.Kind",
    },
}

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

TAKEDOWN_EMAIL = env_str("TAKEDOWN_EMAIL", "takedown@worldtimetodays.example")
SITE_NAME = env_str("SITE_NAME", "World Time Todays")
# Hosts our own pages are published under: a notice naming one of them names our article.
PUBLIC_HOSTS = sorted(
    {host.lower() for host in env_list("PUBLIC_HOSTS", "worldtimetodays.example,www.worldtimetodays.example")}
    | {SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()}
)
# Where published notices live (a notice linking to one is citing it, not reporting it): host/path prefixes.
NOTICE_ARCHIVE_PREFIXES = env_list("NOTICE_ARCHIVE_PREFIXES", "lumendatabase.org/notices")
MAIL_DOMAIN = env_str("MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1])

# --- Image files and their rights (imagerights) --------------------------------------------
# PEM file of C2PA trust anchors: a manifest is proof only when its signer chains to one of them.
IMAGERIGHTS_C2PA_TRUST_ANCHORS = env_str("IMAGERIGHTS_C2PA_TRUST_ANCHORS", "")
# Parsers of untrusted files run in a subprocess with these limits; a file is given up after so many tries.
IMAGERIGHTS_PARSE_SECONDS = env_int("IMAGERIGHTS_PARSE_SECONDS", 20)
IMAGERIGHTS_PARSE_MEMORY_BYTES = env_int("IMAGERIGHTS_PARSE_MEMORY_BYTES", 1024 * 1024 * 1024)
IMAGERIGHTS_PARSE_MAX_ATTEMPTS = 3
IMAGERIGHTS_MAX_PIXELS = 60_000_000
# Stay-down for photos: pHash Hamming distance at or under which a copy is the same photo (see bench/README.md).
IMAGERIGHTS_PHASH_THRESHOLD = env_int("IMAGERIGHTS_PHASH_THRESHOLD", 8)
IMAGERIGHTS_MAX_WARC_RECORD_BYTES = 50 * 1024 * 1024
# Called as handler(article=, matches=[(asset id, PhotoMatch)], actor=) when an ingested picture copies a
# withdrawn photo; compliance plugs its hold in here. Empty: nothing is held on photos yet.
IMAGERIGHTS_PHOTO_MATCH_HANDLER = env_str("IMAGERIGHTS_PHOTO_MATCH_HANDLER",
                                                 "compliance.staydown.photos.hold_for_withdrawn_photos")
# Callables adding facts to each asset's JSON-LD (articles never imports the apps that know them).
ARTICLES_ASSET_JSONLD_EXTRAS = ["imagerights.selectors.picture_jsonld"]
# How the article page shows each asset: imagerights' figure (re-hosted copy, Content Credentials mark,
# AI label); "articles/_asset.html" is the plain one articles has without it.
ARTICLES_ASSET_TEMPLATE = "imagerights/_asset.html"
# Downloads of assets (ingest_article --fetch-assets): limits, and the SSRF guard's explicit exceptions.
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 25 * 1024 * 1024)
FETCH_TIMEOUT_SECONDS = env_float("FETCH_TIMEOUT_SECONDS", 10.0)
FETCH_MAX_REDIRECTS = 5
FETCH_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff", "image/avif", "image/heic"]
FETCH_ALLOWED_ADDRESSES = env_list("FETCH_ALLOWED_ADDRESSES", "")  # e.g. "127.0.0.1" in tests only
FETCH_USER_AGENT = "WorldTimeTodays-Provenance/1.0 (+takedown compliance)"
