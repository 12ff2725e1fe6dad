"""Test settings: the real PostgreSQL and Redis of the machine, with fast hashing and no network."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from .base import *  # noqa: F403
from .base import channel_layer_host, env

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
REFRESH_COOKIE_SECURE = False  # the e2e server is plain http
SECURE_HSTS_SECONDS = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A server process started by a test (the e2e Daphne) writes its mail where the test can read it.
if TEST_EMAIL_FILE_PATH := env.str("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = TEST_EMAIL_FILE_PATH
# Manifest storage needs collectstatic and breaks live-server tests.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405

# A separate Redis database keeps the tests away from a running development instance.
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "ap-test"  # noqa: F405
CHANNEL_LAYERS["default"]["CONFIG"].update(hosts=[channel_layer_host(REDIS_URL)], prefix="ap-test:channels")  # noqa: F405
# The broker gets a database of its own: tests flush the cache database between tests.
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "10000/min", "user": "10000/min", "auth_email": "10000/min"}  # noqa: F405

# No platform AI keys in tests (tests point the SDKs at the local fakes explicitly); short waits.
OPENAI_API_KEY = GEMINI_API_KEY = ANTHROPIC_API_KEY = ""
AI_DEFAULT_PROVIDER = AI_DEFAULT_MODEL = ""
AI_RETRY_BASE_DELAY = 0.01
AI_RETRY_MAX_DELAY = 2.0
AI_REQUEST_TIMEOUT = 5.0

# The local Kommo (integrations.kommo.fakes) listens on 127.0.0.1 over plain HTTP.
KOMMO_INSECURE_HOSTS = ["127.0.0.1"]
KOMMO_CLIENT_ID = "test-kommo-client"
KOMMO_CLIENT_SECRET = "test-kommo-secret-0123456789abcdef"  # noqa: S105 (the tests' own)
KOMMO_RETRY_BASE_DELAY = 0.01
KOMMO_RETRY_MAX_DELAY = 0.5

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample"]  # noqa: F405
ROOT_URLCONF = "tests.sample.urls"
# Serve static files straight from the apps (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests are not about plans: their workspaces get room (tests/billing put theirs on a plan).
BILLING_DEFAULT_PLAN = "business"
# Stripe is configured in tests; the tests that use it point the library at the local Stripe
# (tests/billing/stripe_fixtures.py). Anything else that calls Stripe fails fast on a closed port.
STRIPE_SECRET_KEY = "sk_test_LocalFakeStripe0123456789abc"  # noqa: S105 (the tests' own)
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="http://127.0.0.1:9")  # the e2e server: the local Stripe
