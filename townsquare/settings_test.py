"""Fast test settings: the production module plus the few overrides a test run needs."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("TOWNSQUARE_VAR", os.path.join(os.getcwd(), "var", "test"))
os.environ.setdefault("HTTPS", "0")

from townsquare.settings import *  # noqa: E402,F403
from townsquare.settings import CACHES, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
DEBUG = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Each test run gets its own cache namespace so parallel runs on one Redis do not collide.
CACHES["default"]["KEY_PREFIX"] = f"townsquare-test-{os.getpid()}"
# Tasks run as soon as they are enqueued (after commit); worker tests use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
