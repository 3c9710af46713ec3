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
