"""Settings shared by every environment."""

from sendadmin.env import (
    BASE_DIR,
    REPLICA,
    VAR_DIR,
    database_config,
    env,
    redis_url,
    replica_config,
)
from sendadmin.schedule import BEAT_SCHEDULE

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "sendadmin.core.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "guardian",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "sendadmin.core",
    "sendadmin.accounts",
    "sendadmin.clocks",
    "pupils",
    "pupils.support",
    "pupils.provision",
    "ehcp",
    "reviews",
    "offer",
    "sendadmin.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sendadmin.accounts.middleware.ActiveMembershipMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sendadmin.urls"
WSGI_APPLICATION = "sendadmin.wsgi.application"

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
                "sendadmin.accounts.context_processors.membership",
                "sendadmin.clocks.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {"default": database_config(VAR_DIR / "db.sqlite3")}
if (_replica := replica_config()) is not None:
    DATABASES[REPLICA] = _replica
DATABASE_ROUTERS = ["sendadmin.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "guardian.backends.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-gb"
# Statutory clocks are whole dates in Europe/London (domain.md section 0A); storage stays UTC.
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# A CDN in front of the app (docs/scaling.md): STATIC_URL=https://cdn.example/static/ and the CDN
# pulls from this server's /static/, which WhiteNoise serves with far-future cache headers.
STATIC_URL = env.str("STATIC_URL", default="/static/")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_FAILURE_VIEW = "sendadmin.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Static files from a CDN origin are allowed by the CSP; nothing else from it.
_static_origin = ["/".join(STATIC_URL.split("/")[:3])] if "://" in STATIC_URL else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_static_origin],
        "style-src": ["'self'", *_static_origin],
        "img-src": ["'self'", "data:", *_static_origin],
        "font-src": ["'self'", *_static_origin],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

_redis = redis_url()
if _redis:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
    }
    CELERY_BROKER_URL = _redis
else:
    # The embedded default: a cache and a broker on the file system, shared by web, worker and beat.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }

# How long an LA's aggregate figures (the LA dashboard, the LA deadlines' status counts) are kept
# in the cache before they are counted again; each page says when they were counted
# (sendadmin/core/figure_cache.py). 0 counts on every visit.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=300)

# Queues per kind of work (docs/scaling.md): a worker started without -Q consumes all of them, as
# `make run`, the tests and the single worker of docker-compose do; a larger deployment starts
# workers per queue (`celery -A sendadmin worker -Q reminders`) and adds them where the work is.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES: dict[str, dict[str, str]] = {
    "default": {},
    # One message per reminder: many, small, and time-bound (the statutory reminder stages).
    "reminders": {},
    # The periodic sweeps over every clock: few, long, and single-flight.
    "sweeps": {},
}
CELERY_TASK_ROUTES = {
    "clocks.deliver_reminder": {"queue": "reminders"},
    "clocks.sweep": {"queue": "sweeps"},
    "reviews.open_phase_transfer_clocks": {"queue": "sweeps"},
    "accounts.expire_access_grants": {"queue": "sweeps"},
}
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Clock reminders (sendadmin/clocks/reminders.py): the days before a due date on which a reminder
# stage starts (0 = the due day itself), and how often an overdue clock is reminded again, with
# escalation to the line manager role, for as long as it stays open. Only the latest stage whose
# day has come is sent, so changing these never floods anyone with a backlog.
CLOCK_REMINDER_LEAD_DAYS = (14, 7, 0)
CLOCK_OVERDUE_EVERY_DAYS = 7

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sendadmin <no-reply@sendadmin.invalid>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print every line a second time through the root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every stylesheet it parses at INFO, its own ones at import included.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
