"""Test settings: real PostgreSQL and Redis, as `make test` provides them."""

from sendadmin.env import VAR_DIR, env

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests read mail from django.core.mail.outbox; a test that runs a real worker subprocess sets
# EMAIL_BACKEND (and EMAIL_FILE_PATH) in the worker's environment to read what it sent.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "test-mail"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = str(VAR_DIR / "test-media")
# Tests never silently fall back to SQLite: the suite's database is PostgreSQL unless a test says otherwise.
if not env.str("DATABASE_URL", default=""):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "sendadmin",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": "5432",
        }
    }

# Nothing a test writes needs to survive a crash of the machine: commits return before the WAL
# reaches the disk (migrations at the start of a run, transactional and browser tests commit).
# Visibility is unchanged: a worker subprocess still sees what the test committed.
_default = DATABASES["default"]
if "postgresql" in str(_default.get("ENGINE", "")):
    _options: dict[str, object] = dict(_default.get("OPTIONS") or {})  # type: ignore[call-overload]
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
    _default["OPTIONS"] = _options

# Figures are counted on every visit: a test that adds a record and reloads a page sees it (a
# cached figure would also outlive the test database, whose ids repeat from one run to the next).
FIGURES_CACHE_SECONDS = 0

# Under pytest-xdist the workers share one Redis: each keeps its cache keys, the clock sweep's
# lock among them, under its own prefix. A worker subprocess a test starts inherits
# PYTEST_XDIST_WORKER and so the prefix. The broker stays shared: run xdist with --dist loadfile,
# so tests/clocks/test_worker.py (the only tests that start a Celery worker) run on one of them.
_xdist_worker = env.str("PYTEST_XDIST_WORKER", default="")
if _xdist_worker:
    CACHES["default"]["KEY_PREFIX"] = _xdist_worker  # noqa: F405
