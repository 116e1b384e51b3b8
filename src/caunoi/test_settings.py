"""Test settings: the same settings module, with the database chosen by CAUNOI_TEST_DB."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("CAUNOI_VAR_DIR", tempfile.mkdtemp(prefix="caunoi-test-var-"))

from caunoi import settings as _base

globals().update({name: value for name, value in vars(_base).items() if name.isupper()})
VAR_DIR = _base.VAR_DIR

DATABASES: dict[str, dict[str, object]]
if os.environ.get("CAUNOI_TEST_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("CAUNOI_PG_NAME", "caunoi"),
            "USER": os.environ.get("CAUNOI_PG_USER", "postgres"),
            "HOST": os.environ.get("CAUNOI_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("CAUNOI_PG_PORT", "5432"),
            "PASSWORD": os.environ.get("CAUNOI_PG_PASSWORD", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "test.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # As in production (WAL) but without waiting for the disk: a test database.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
            },
            # A file, not Django's default in-memory test database: tests with real threads
            # (concurrent writes, the in-process worker, the live server) then use their own
            # connections and see SQLite's real locking, as production does.
            "TEST": {"NAME": VAR_DIR / "test-db.sqlite3"},
        }
    }

# Tasks run in the caller through the real runner (the immediate backend: the task functions and
# the job bookkeeping run as in production); tests of the worker switch to the database backend.
CAUNOI_TASKS_BACKEND = "immediate"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
CAUNOI_TASKS_WORKER = "off"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = VAR_DIR / "media"
# Far above what a test sends; tests of the limit override it (tests/search/test_rate_limit.py).
CAUNOI_SEARCH_RATE = "100000,100000"
