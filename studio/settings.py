"""Settings for the creative studio: one file, every value from the environment.

Defaults run with nothing installed: SQLite and a filesystem Celery broker under var/.
Point DATABASE_URL at PostgreSQL and CELERY_BROKER_URL at Redis for production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STUDIO_VAR_DIR", BASE_DIR / "var"))
# The embedded defaults (SQLite file, filesystem broker) live here; create it up front.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY: the dev default is refused when DEBUG is off."
    )

# Users' ids are hashed (HMAC-SHA256) with this salt on arrival; the raw id is never stored.
DEV_USER_ID_SALT = "dev-only-user-id-salt-change-me"
STUDIO_USER_ID_SALT = os.environ.get("STUDIO_USER_ID_SALT", DEV_USER_ID_SALT)
if not DEBUG and STUDIO_USER_ID_SALT == DEV_USER_ID_SALT:
    raise ImproperlyConfigured(
        "Set STUDIO_USER_ID_SALT: the dev default is refused when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "django_countries",
    "campaigns",
]

MIDDLEWARE = [
    # First: turns any non-JSON error under /api/ (an uncaught exception included) into
    # the API's JSON error shape.
    "campaigns.api_errors.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, as WhiteNoise asks: serves /static/ under gunicorn.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'studio.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the web process and the worker write the same file. A WAL
    # checkpoint runs on the committing request and costs two fsyncs (~4 ms each on a
    # small VM) whatever its size: every 4,000 pages (16 MB) instead of SQLite's 1,000,
    # one decision in ~400 pays it instead of one in ~100 (README, "Serving benchmarks").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA wal_autocheckpoint={env_int('STUDIO_SQLITE_WAL_AUTOCHECKPOINT', 4000)};"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not :memory:, so a Celery worker process in the tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "campaigns:campaign_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("STUDIO_MEDIA_ROOT", VAR_DIR / "media"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

# --- Deployment hardening: static files, CSP, HTTPS, login throttling ------------------
# One block so merges stay easy; README "Production: static files, HTTPS, CSP, logins".

# Static files are served by WhiteNoise from STATIC_ROOT (`manage.py collectstatic`),
# with content-hashed names cached for a year. Tests and `runserver` in DEBUG use the
# finders (WHITENOISE_USE_FINDERS) and the plain storage, so no collectstatic is needed
# there; STUDIO_STATIC_MANIFEST=true forces the hashed storage (the gunicorn test does).
STATIC_ROOT = Path(os.environ.get("STUDIO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STUDIO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from the
# studio itself; no inline script or style (htmx's indicator style is turned off in
# base.html and lives in studio.css), no eval, no framing, forms post only here.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# HTTPS: on by default when DEBUG is off; turn off only behind a proxy that does it.
# Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true (the proxy
# must set X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Login throttling (django-axes): after STUDIO_LOGIN_FAILURE_LIMIT wrong passwords for
# one username from one address, that pair is locked out for STUDIO_LOGIN_COOLOFF_MINUTES
# (the login page says so); a successful login resets the count. `manage.py axes_reset`
# lifts every lock-out. Behind a proxy set STUDIO_TRUSTED_PROXY_COUNT so the client's
# address is read from X-Forwarded-For.
AUTHENTICATION_BACKENDS = [
    "campaigns.auth_backends.ThrottledLoginBackend",  # axes' backend; first, as it asks
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("STUDIO_LOGIN_THROTTLING", True)
AXES_FAILURE_LIMIT = env_int("STUDIO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STUDIO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [
    [part.strip() for part in alternative.split("+")]
    for alternative in env_list("STUDIO_LOGIN_LOCKOUT_BY", "username+ip_address")
]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_CALLABLE = "campaigns.views.auth.login_locked_out"
if env_int("STUDIO_TRUSTED_PROXY_COUNT", 0):
    AXES_IPWARE_PROXY_COUNT = env_int("STUDIO_TRUSTED_PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# --- end of deployment hardening -------------------------------------------------------

# Uploads: checked again by campaigns.validators (type, bytes, pixels).
STUDIO_MAX_UPLOAD_BYTES = env_int("STUDIO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
STUDIO_MAX_UPLOAD_PIXELS = env_int("STUDIO_MAX_UPLOAD_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = STUDIO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Celery. The default broker is kombu's filesystem transport: no server to install.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("out", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    # kombu's filesystem transport with whole-message writes (see studio/broker.py).
    CELERY_BROKER_TRANSPORT = "studio.broker:FilesystemTransport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The filesystem transport polls; the default 1 s would add a second per hop.
        # 10 ms keeps a job's seven hops under ~0.1 s for ~1.5 % of a core when idle.
        "polling_interval": env_float("CELERY_BROKER_POLLING_INTERVAL", 0.01),
    }
else:
    # Must stay above the hard time limit, or Redis re-delivers a task still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 1500)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "campaigns.tasks.paint_segment": {"queue": "images"},
    "campaigns.tasks.finish_segment": {"queue": "render"},
    "campaigns.tasks.refresh_edited_variant": {"queue": "render"},
    "campaigns.tasks.render_clip": {"queue": "render"},
}
# A 15 s 1080x1920 clip encodes in well under a minute on two cores; the limits stop a
# stuck one long before the broker's visibility timeout re-delivers it.
CELERY_TASK_ANNOTATIONS = {
    "campaigns.tasks.render_clip": {
        "soft_time_limit": env_int("STUDIO_CLIP_SOFT_TIME_LIMIT", 300),
        "time_limit": env_int("STUDIO_CLIP_TIME_LIMIT", 360),
    }
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Generation engine. Empty model settings mean the offline backends.
STUDIO_ENGINE = {
    "copywriter": os.environ.get(
        "STUDIO_COPYWRITER", "transformers" if os.environ.get("STUDIO_TEXT_MODEL") else "template"
    ),
    "text_model": os.environ.get("STUDIO_TEXT_MODEL", ""),
    "painter": os.environ.get(
        "STUDIO_PAINTER", "diffusers" if os.environ.get("STUDIO_IMAGE_MODEL") else "backdrop"
    ),
    "image_model": os.environ.get("STUDIO_IMAGE_MODEL", ""),
    "image_preset": os.environ.get("STUDIO_IMAGE_PRESET", ""),
    "scorer": os.environ.get(
        "STUDIO_SCORER", "clip" if os.environ.get("STUDIO_CLIP_MODEL") else "text"
    ),
    "clip_model": os.environ.get("STUDIO_CLIP_MODEL", ""),
    "clip_pretrained": os.environ.get("STUDIO_CLIP_PRETRAINED", ""),
    "device": os.environ.get("STUDIO_DEVICE", "auto"),
    "embedder_path": os.environ.get("STUDIO_EMBEDDER_PATH", ""),
    "options": {
        "attention_slicing": env_bool("STUDIO_ATTENTION_SLICING", False),
        "vae_tiling": env_bool("STUDIO_VAE_TILING", False),
    },
}
STUDIO_MAX_VARIANTS_PER_SEGMENT = env_int("STUDIO_MAX_VARIANTS_PER_SEGMENT", 12)
STUDIO_BASE_IMAGE_SIZE = env_int("STUDIO_BASE_IMAGE_SIZE", 768)
# Product cut-out: a transformers semantic-segmentation model (hub id or directory);
# empty = OpenCV GrabCut, no weights needed.
STUDIO_MATTING_MODEL = os.environ.get("STUDIO_MATTING_MODEL", "")

# Brand safety (studio.engine.safety): terms banned for every brand, a CLIP zero-shot
# probability above which an unsafe concept opens a case, and the lowest acceptable
# CLIPScore alignment (100 * cosine; matching image/copy pairs score about 25-35).
STUDIO_GLOBAL_BANNED_TERMS = env_list("STUDIO_GLOBAL_BANNED_TERMS")
STUDIO_UNSAFE_THRESHOLD = env_float("STUDIO_UNSAFE_THRESHOLD", 0.5)
STUDIO_MIN_ALIGNMENT = env_float("STUDIO_MIN_ALIGNMENT", 15.0)
# Export ZIPs live outside MEDIA_ROOT so they are only reachable through the
# permission-checked download view (DEBUG serves MEDIA_ROOT to anyone).
STUDIO_EXPORT_ROOT = Path(os.environ.get("STUDIO_EXPORT_ROOT", VAR_DIR / "exports"))


# Cache: decision state, per-user caps, rate limits. Per process by default; point
# REDIS_CACHE_URL (or CACHE_URL) at Redis so every web process shares them.
_CACHE_URL = os.environ.get("REDIS_CACHE_URL") or os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "studio",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# Real-time personalization (decision API, tracking, bandit). See README "Serving".
STUDIO_SERVING = {
    "cap_per_variant": env_int("STUDIO_CAP_PER_VARIANT", 3),
    "cap_per_campaign": env_int("STUDIO_CAP_PER_CAMPAIGN", 20),
    "cap_window_seconds": env_int("STUDIO_CAP_WINDOW_SECONDS", 24 * 3600),
    "no_repeat": env_int("STUDIO_NO_REPEAT", 2),
    "near_duplicate_similarity": float(os.environ.get("STUDIO_NEAR_DUPLICATE_SIMILARITY", 0.95)),
    "prior_ctr": float(os.environ.get("STUDIO_PRIOR_CTR", 0.02)),
    "prior_strength": float(os.environ.get("STUDIO_PRIOR_STRENGTH", 10)),
    "posterior_refresh_seconds": float(os.environ.get("STUDIO_POSTERIOR_REFRESH_SECONDS", 2)),
    "state_max_age_seconds": env_int("STUDIO_DECISION_STATE_TTL", 60),
    "token_max_age_seconds": env_int("STUDIO_TRACKING_TOKEN_MAX_AGE", 7 * 24 * 3600),
    # Signed rendition links in decisions (loadable without a session) expire after this.
    "rendition_url_max_age_seconds": env_int("STUDIO_RENDITION_URL_MAX_AGE", 24 * 3600),
    "default_rate_limit": env_int("STUDIO_DEFAULT_RATE_LIMIT", 6000),
    # Reward priors for conversion and sales objectives (clicks use prior_ctr).
    "prior_cvr": float(os.environ.get("STUDIO_PRIOR_CVR", 0.005)),
    "prior_value": float(os.environ.get("STUDIO_PRIOR_VALUE", 50)),
    # Wear-out: a day's evidence counts 0.5 ** (age / half-life); 0 = all history equal.
    "half_life_days": float(os.environ.get("STUDIO_HALF_LIFE_DAYS", 14)),
    # Share of each placement's decisions served by uniform rotation (the control).
    "holdout_share": float(os.environ.get("STUDIO_HOLDOUT_SHARE", 0.05)),
    # A conversion counts for the decision whose token it carries up to this long after.
    "conversion_window_seconds": env_int("STUDIO_CONVERSION_WINDOW_SECONDS", 30 * 24 * 3600),
    "strategy": os.environ.get("STUDIO_SERVING_STRATEGY", "thompson"),
    # Evidence multiplier of the posteriors (tempered Thompson sampling); 1 = plain.
    "posterior_sharpen": float(os.environ.get("STUDIO_POSTERIOR_SHARPEN", 3)),
    # The policy of campaigns that do not choose one: thompson | contextual (see README
    # "Serving benchmarks" for why). The contextual one is trained by Celery beat every
    # contextual_train_seconds from the events since its last version.
    "policy": os.environ.get("STUDIO_SERVING_POLICY", "contextual"),
    "contextual_train_seconds": env_float("STUDIO_CONTEXTUAL_TRAIN_SECONDS", 300.0),
}
# k-anonymity: segments estimated smaller than this (or of unknown size) are never targeted.
STUDIO_MIN_SEGMENT_SIZE = env_int("STUDIO_MIN_SEGMENT_SIZE", 100)
STUDIO_EVENT_RETENTION_DAYS = env_int("STUDIO_EVENT_RETENTION_DAYS", 90)
CELERY_BEAT_SCHEDULE = {
    "purge-old-events": {
        "task": "campaigns.tasks.purge_events",
        "schedule": env_int("STUDIO_PURGE_INTERVAL_SECONDS", 24 * 3600),
    },
}

# Worker health and the stalled-job reaper (README "Worker health"). Each worker's main
# process writes a WorkerHeartbeat row every STUDIO_WORKER_HEARTBEAT_SECONDS; a row older
# than 3 beats is a worker gone. A job waiting longer than STUDIO_QUEUED_WARNING_SECONDS
# with no live worker (or only stuck ones: a task held STUDIO_WORKER_STUCK_SECONDS with a
# free pool process that never starts it) says "no worker is taking jobs". The reaper
# (Celery beat) re-sends a job nothing has moved for STUDIO_JOB_STALL_SECONDS whose pool
# process is gone (a killed worker loses the message it held), at most
# STUDIO_JOB_MAX_REDISPATCHES times; then the job fails with a message.
STUDIO_WORKER_HEARTBEAT_SECONDS = env_float("STUDIO_WORKER_HEARTBEAT_SECONDS", 10.0)
STUDIO_WORKER_STUCK_SECONDS = env_float("STUDIO_WORKER_STUCK_SECONDS", 60.0)
STUDIO_QUEUED_WARNING_SECONDS = env_float("STUDIO_QUEUED_WARNING_SECONDS", 60.0)
STUDIO_JOB_STALL_SECONDS = env_float("STUDIO_JOB_STALL_SECONDS", 300.0)
STUDIO_JOB_MAX_REDISPATCHES = env_int("STUDIO_JOB_MAX_REDISPATCHES", 3)
# A new pool process must report itself up within this time or Celery's async pool (Redis)
# kills it and starts another. The 4 s default is shorter than importing torch in the
# child on a busy machine (11 s measured at load 15 on the 2-core box): a killed child's
# replacement was then killed in an endless loop and the worker took no job again.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env_float("CELERY_WORKER_PROC_ALIVE_TIMEOUT", 120.0)
CELERY_BEAT_SCHEDULE["train-contextual-policies"] = {
    "task": "campaigns.tasks.train_contextual_policies",
    "schedule": STUDIO_SERVING["contextual_train_seconds"],
}
CELERY_BEAT_SCHEDULE["reap-stalled-jobs"] = {
    "task": "campaigns.tasks.reap_stalled_jobs",
    "schedule": env_float("STUDIO_REAPER_INTERVAL_SECONDS", 60.0),
}
# Fatigue actions (pause a worn-out creative, or queue a winners round) over daily stats;
# each fatigue episode is acted on once, so running more often only reacts sooner.
CELERY_BEAT_SCHEDULE["apply-fatigue-actions"] = {
    "task": "campaigns.tasks.apply_fatigue_actions",
    "schedule": env_float("STUDIO_FATIGUE_INTERVAL_SECONDS", 6 * 3600.0),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "studio.log_filters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STUDIO_LOG_LEVEL", "INFO")},
    "loggers": {
        # No handlers of its own: Django's default console handler (in DEBUG) printed
        # every record a second time on top of the root's. Records go up to the root.
        "django": {"handlers": [], "level": os.environ.get("STUDIO_LOG_LEVEL", "INFO")},
        # A 4xx is one line, not a traceback.
        "django.request": {"filters": ["one_line_4xx"]},
        # django-axes logs every login at INFO; lock-outs and failures come at WARNING.
        "axes": {"level": os.environ.get("STUDIO_AXES_LOG_LEVEL", "WARNING")},
    },
}

# --- Integrations (issue 15): health, metrics, webhooks, REST API -------------------------
# One block on purpose: the lists above stay as they are and this block adds to them.
INSTALLED_APPS += ["django_prometheus", "ninja"]
# django-prometheus times every request between its Before (first) and After (last).
MIDDLEWARE = [
    # Before the metrics middleware, which reads Content-Length as a number.
    "campaigns.api_errors.ContentLengthGuardMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "studio.observability.middleware.DecisionMetricsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# A scrape of /metrics must send "Authorization: Bearer <token>" when this is set.
STUDIO_METRICS_TOKEN = os.environ.get("STUDIO_METRICS_TOKEN", "")
# Webhooks: endpoints resolving to private, loopback or link-local addresses are refused
# unless this is on (tests and single-machine set-ups).
STUDIO_WEBHOOKS_ALLOW_PRIVATE = env_bool("STUDIO_WEBHOOKS_ALLOW_PRIVATE", False)
STUDIO_WEBHOOK_TIMEOUT_SECONDS = env_float("STUDIO_WEBHOOK_TIMEOUT_SECONDS", 5.0)
STUDIO_WEBHOOK_MAX_ATTEMPTS = env_int("STUDIO_WEBHOOK_MAX_ATTEMPTS", 6)
# Consecutive failed deliveries after which an endpoint is disabled.
STUDIO_WEBHOOK_DISABLE_AFTER = env_int("STUDIO_WEBHOOK_DISABLE_AFTER", 10)
# C2PA content credentials on exported images: the operator's certificate chain and key
# (PEM files). Empty: exports carry the XMP/IPTC disclosure only. `manage.py
# c2pa_dev_cert` writes a development pair and prints these settings.
STUDIO_C2PA_CERT = os.environ.get("STUDIO_C2PA_CERT", "")
STUDIO_C2PA_KEY = os.environ.get("STUDIO_C2PA_KEY", "")
STUDIO_C2PA_ALG = os.environ.get("STUDIO_C2PA_ALG", "es256")
STUDIO_C2PA_TSA_URL = os.environ.get("STUDIO_C2PA_TSA_URL", "")
