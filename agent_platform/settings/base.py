"""Settings for every environment, read from environment variables with safe defaults.

Production differs from development only by environment: `.env.example` lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local `.env` is a convenience for development; real deployments set the environment.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)


def env_secret(name: str, default: str | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    if path := env.str(f"{name}_FILE", default=""):
        return Path(path).read_text().strip()
    value = env.str(name, default="")
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable (or {name}_FILE).")
    return default


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY", default="dev-only-insecure-secret-key-do-not-deploy" if DEBUG else None)
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a real secret when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
# Also the origins the SPA's session calls may come from (accounts.api.session_cookie); with DEBUG,
# the Vite dev server's, which proxies /api with its own Origin.
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=["http://127.0.0.1:5173", "http://localhost:5173"] if DEBUG else []
)
CSRF_FAILURE_VIEW = "agent_platform.api.problems.csrf_failure"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# The public address of this deployment, used in emails and OAuth redirects.
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "corsheaders",
    "channels",
    "django_celery_beat",
    "djstripe",
    "agent_platform",
    "accounts",
    "agents",
    "automations",
    "knowledge",
    "conversations",
    "billing",
    "integrations",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "agent_platform.middleware.RequestIdMiddleware",
    "agent_platform.middleware.RequestOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agent_platform.middleware.ContentSecurityPolicyMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "agent_platform.urls"
WSGI_APPLICATION = "agent_platform.wsgi.application"
ASGI_APPLICATION = "agent_platform.asgi.application"

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

# --- Data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgresql://postgres@127.0.0.1:5432/agent_platform"),
}
# A connection pool per process (psycopg_pool). Needed by the ASGI server: it runs each request's
# sync code in a fresh thread, and persistent per-thread connections (CONN_MAX_AGE) leaked one
# connection per request until PostgreSQL refused clients (found by bench/ingest). A request waits
# up to DATABASE_POOL_TIMEOUT seconds for a free connection. DATABASE_POOL_MAX_SIZE=0 turns the
# pool off (then DATABASE_CONN_MAX_AGE applies, e.g. behind PgBouncer).
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=10)
if DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        # Idle connections beyond min_size close after a minute: after a burst the pool shrinks
        # back, so a PostgreSQL restart leaves few dead connections to find (the pool's check at
        # checkout discards each with a 1, 2, 4 s backoff).
        "max_idle": 60,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # connections go back to the pool after each request
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A connection broken while idle (PostgreSQL restarted) is replaced before use instead of failing
# the request; with the pool, Django turns this into the pool's check at checkout.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("DATABASE_TEST_NAME", default="test_agent_platform")
# A streaming replica of the primary for lag-tolerant heavy reads (statistics, search), chosen per
# query with `.using(agent_platform.replica.read_replica())`; unset: everything reads the primary.
if DATABASE_REPLICA_URL := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),  # its own pool, the same size
        "TEST": {"MIRROR": "default"},  # tests read the test database through it
    }
    DATABASE_ROUTERS = ["agent_platform.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        # Optional while Redis is out of reach: reads miss, writes are skipped (agent_platform.cache).
        "BACKEND": "agent_platform.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="ap"),
        "TIMEOUT": 300,
        "OPTIONS": {
            "pool_class": "agent_platform.redis_pool.SharedConnectionPool",
            # A partitioned Redis must cost a request about a second, not the OS's connect timeout.
            "socket_connect_timeout": 1,
            "socket_timeout": 2,
        },
    }
}


def channel_layer_host(url: str) -> dict:
    """channels_redis waits for a socket's messages with a blocking read of up to 5 s; redis-py 8
    times reads out after 5 s by default, which crashed every idle websocket (close 1011, ~5 s
    cadence). No read timeout, as before redis-py 8 (the blocking read itself ends within 5 s): any
    finite one made the cancellation of a closing consumer hang now and then (measured: 15 s and
    6 s both hung 2–3 runs in 6 of tests/agent_platform/test_websocket.py; none with no timeout).
    TCP keepalive notices a dead server."""
    return {"address": url, "socket_timeout": None, "socket_connect_timeout": 5, "socket_keepalive": True}


CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [channel_layer_host(REDIS_URL)],
            "prefix": env.str("CHANNELS_PREFIX", default="ap:channels"),
            # Events a socket may have waiting before the layer drops new ones (channels_redis: 100). A
            # burst of 50 replies in a conversation 200 teammates watch queues 150 per socket while the
            # web processes drain them: at 100, 1,880 of 10,000 were dropped (bench/websocket_fanout).
            "capacity": env.int("CHANNELS_CAPACITY", default=1000),
        },
    }
}

# --- Auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Resolves the request's workspace membership for the workspace base viewset (tenancy, DESIGN §2).
WORKSPACE_MEMBERSHIP_RESOLVER = "accounts.selectors.membership_resolve"
API_KEY_AUTHENTICATION = "accounts.api.authentication.ApiKeyAuthentication"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# No composition rules (OWASP ASVS 2.1.9): length and the common-password list only.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Brute-force protection (accounts.lockout): failures per account and per client IP within a window.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_IP_LIMIT = env.int("LOGIN_FAILURE_IP_LIMIT", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
# Single-use token lifetimes.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
EMAIL_VERIFICATION_TIMEOUT = env.int("EMAIL_VERIFICATION_TIMEOUT", default=172800)
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=604800)
# Avatars: the largest accepted upload, and the side of the square thumbnail that is stored.
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_SIZE = env.int("AVATAR_SIZE", default=256)

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("es", "Español"), ("pt", "Português")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env.str("STATIC_ROOT", default="staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env.str("MEDIA_ROOT", default=".data/media")
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []

# Local filesystem by default; S3 or MinIO when STORAGE_BACKEND=s3.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "access_key": env_secret("AWS_ACCESS_KEY_ID"),
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'local' or 's3', not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- Email -------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AI Agent Platform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["agent_platform.api.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "agent_platform.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "agent_platform.api.filters.StableOrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Fairness, not security: brute-force protection lives in the auth services.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        # Anonymous endpoints that send an email (verification resend), per client address.
        "auth_email": env.str("THROTTLE_AUTH_EMAIL", default="10/hour"),
    },
    "EXCEPTION_HANDLER": "agent_platform.api.problems.problem_handler",
    "DEFAULT_METADATA_CLASS": "agent_platform.api.metadata.EndpointMetadata",
    "DEFAULT_SCHEMA_CLASS": "agent_platform.api.schema.ProblemAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env_secret("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "LEEWAY": 5,
}
# The SPA's refresh token: an HttpOnly cookie sent only to /api/auth/session/… (refresh, logout),
# never readable by script. Secure unless DEBUG (plain http in development).
REFRESH_COOKIE_SECURE = env.bool("REFRESH_COOKIE_SECURE", default=not DEBUG)
REFRESH_COOKIE_SAMESITE = env.str("REFRESH_COOKIE_SAMESITE", default="Strict")
if REFRESH_COOKIE_SAMESITE not in ("Strict", "Lax"):
    raise ImproperlyConfigured("REFRESH_COOKIE_SAMESITE must be Strict or Lax.")
# The tabs of one browser share that cookie: a refresh that arrives with the token another tab has
# just rotated (within these seconds) gets the session's current one instead of ending the session.
REFRESH_REUSE_GRACE_SECONDS = env.int("REFRESH_REUSE_GRACE_SECONDS", default=30)

SPECTACULAR_SETTINGS = {
    "TITLE": "AI Agent Platform API",
    "DESCRIPTION": (
        "REST API of the AI Agent Platform. Every error is an RFC 9457 problem "
        "(`application/problem+json`) with a stable `code`. Send `X-Workspace: <id>` when the user "
        "belongs to more than one workspace."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Several models have a "status" field with different choices: each gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ConversationStatusEnum": "conversations.models.Conversation.Status",
        "MessageStatusEnum": "conversations.models.Message.Status",
        "ArticleStatusEnum": "knowledge.models.Article.Status",
        "ApiKeyScopeEnum": "agent_platform.api.keys.ApiKeyScope",
        "KindEnum": "knowledge.models.ArticleRelation.Kind",
        "AIModelKindEnum": "integrations.models.AIModelKind",
        "ChannelEnum": "integrations.channels.Channel",
        "AgentChannelEnum": "agents.models.AGENT_CHANNELS",
        "ChainStepKindEnum": "automations.models.ChainStep.Kind",
        "ActionKindEnum": "automations.models.ActionKind",
        "ChainStartOnEnum": "automations.models.Chain.StartOn",
        "ChainStopOnEnum": "automations.models.Chain.StopOn",
        "ChainRunStatusEnum": "automations.models.ChainRun.Status",
        "TriggerLimitScopeEnum": "automations.models.Trigger.LimitScope",
        "TriggerLimitPeriodEnum": "automations.models.Trigger.LimitPeriod",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
# Longer than the longest task: Redis redelivers an unacknowledged (acks_late) task after this.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_MAX_DELIVERIES = env.int("CELERY_MAX_DELIVERIES", default=3)
# An AI reply `processing` for this long whose worker is gone (its lease is free) is generated again
# by the stuck-work sweep (every minute): conversations.services.leases.
REPLY_RECOVERY_SECONDS = env.int("REPLY_RECOVERY_SECONDS", default=120)

# --- AI providers (integrations.ai) --------------------------------------------------------------
# Platform keys; a workspace may bring its own (AICredential). No key for a provider: the offline one.
OPENAI_API_KEY = env_secret("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
GEMINI_API_KEY = env_secret("GEMINI_API_KEY", default="")
GEMINI_BASE_URL = env.str("GEMINI_BASE_URL", default="")
ANTHROPIC_API_KEY = env_secret("ANTHROPIC_API_KEY", default="")
ANTHROPIC_BASE_URL = env.str("ANTHROPIC_BASE_URL", default="")
# Empty: the first provider with a platform key (openai, anthropic, gemini), else "offline".
AI_DEFAULT_PROVIDER = env.str("AI_DEFAULT_PROVIDER", default="")
AI_DEFAULT_MODEL = env.str("AI_DEFAULT_MODEL", default="")
AI_REQUEST_TIMEOUT = env.float("AI_REQUEST_TIMEOUT", default=60.0)  # seconds per attempt
AI_MAX_ATTEMPTS = min(5, env.int("AI_MAX_ATTEMPTS", default=5))  # retries on 429/5xx/timeouts included
AI_RETRY_BASE_DELAY = env.float("AI_RETRY_BASE_DELAY", default=0.5)  # seconds; doubled per attempt, jittered
AI_RETRY_MAX_DELAY = env.float("AI_RETRY_MAX_DELAY", default=30.0)  # a longer Retry-After ends the retries

# --- Kommo (integrations.kommo) -------------------------------------------------------------------
# The platform's public Kommo integration (Settings → Integrations in Kommo's developer account):
# its id and secret, and the redirect URI registered there. A workspace may instead connect a private
# integration of its own with a long-lived token (its client id and secret are then stored with it).
KOMMO_CLIENT_ID = env.str("KOMMO_CLIENT_ID", default="")
KOMMO_CLIENT_SECRET = env_secret("KOMMO_CLIENT_SECRET", default="")
KOMMO_REDIRECT_URI = env.str("KOMMO_REDIRECT_URI", default=f"{PUBLIC_URL}/api/integrations/kommo/callback")
KOMMO_OAUTH_URL = env.str("KOMMO_OAUTH_URL", default="https://www.kommo.com/oauth")
KOMMO_AMOJO_URL = env.str("KOMMO_AMOJO_URL", default="https://amojo.kommo.com")
# Account domains a connection may point at (the OAuth `referer` is a query parameter: anything
# else would make our server call an address of the caller's choosing).
KOMMO_ACCOUNT_DOMAINS = env.list("KOMMO_ACCOUNT_DOMAINS", default=["kommo.com", "amocrm.ru", "amocrm.com"])
# Hosts reached over plain HTTP and allowed as account domains: only the local Kommo of the tests
# and the demo (`make run` sets it). Never a real deployment's.
KOMMO_INSECURE_HOSTS = env.list("KOMMO_INSECURE_HOSTS", default=[])
KOMMO_RATE_LIMIT_RPS = env.int("KOMMO_RATE_LIMIT_RPS", default=7)  # per account, across all processes
KOMMO_RATE_LIMIT_WINDOW_MS = env.int("KOMMO_RATE_LIMIT_WINDOW_MS", default=1100)
KOMMO_MAX_ATTEMPTS = env.int("KOMMO_MAX_ATTEMPTS", default=4)  # per call: retries on 429/5xx/timeouts included
KOMMO_RETRY_BASE_DELAY = env.float("KOMMO_RETRY_BASE_DELAY", default=0.5)
KOMMO_RETRY_MAX_DELAY = env.float("KOMMO_RETRY_MAX_DELAY", default=8.0)
KOMMO_CONNECT_TIMEOUT = env.float("KOMMO_CONNECT_TIMEOUT", default=5.0)
KOMMO_READ_TIMEOUT = env.float("KOMMO_READ_TIMEOUT", default=20.0)
KOMMO_WEBHOOK_MAX_BYTES = env.int("KOMMO_WEBHOOK_MAX_BYTES", default=256 * 1024)
# The account webhooks' ASGI application (agent_platform.asgi) and its threads per web process
# (each holds a pooled connection while it stores; by default one per connection of the pool).
ENTRY_POINT_APPLICATION = "integrations.api.webhook_asgi.WebhookApplication"
KOMMO_WEBHOOK_THREADS = env.int("KOMMO_WEBHOOK_THREADS", default=max(DATABASE_POOL_MAX_SIZE, 4))
# The Chats API channel the platform registered with Kommo's support (KOMMO.md A4); empty: none.
KOMMO_CHATS_CHANNEL_ID = env.str("KOMMO_CHATS_CHANNEL_ID", default="")
KOMMO_CHATS_CHANNEL_SECRET = env_secret("KOMMO_CHATS_CHANNEL_SECRET", default="")
# Its code (the `origin` of its chats in Kommo's webhooks) and the bot id our replies are sent as
# (`sender.ref_id`; empty: the channel id) [M].
KOMMO_CHATS_CHANNEL_CODE = env.str("KOMMO_CHATS_CHANNEL_CODE", default="")
KOMMO_CHATS_BOT_ID = env.str("KOMMO_CHATS_BOT_ID", default="")
KOMMO_CHATS_TITLE = env.str("KOMMO_CHATS_TITLE", default="AI Agent Platform")  # the channel's name in Kommo

# --- Knowledge base ----------------------------------------------------------------------------
# The embedding provider new workspaces search with (a key of integrations.ai.embeddings).
KNOWLEDGE_EMBEDDING_PROVIDER = env.str("KNOWLEDGE_EMBEDDING_PROVIDER", default="local:use-multilingual")
KNOWLEDGE_EMBEDDING_THREADS = env.int("KNOWLEDGE_EMBEDDING_THREADS", default=2)
KNOWLEDGE_MAX_FILE_MB = env.int("KNOWLEDGE_MAX_FILE_MB", default=20)
# An item queued/extracting/embedding longer than this is re-queued by the sweeper, up to
# KNOWLEDGE_INDEX_MAX_ATTEMPTS attempts, then marked failed.
KNOWLEDGE_INDEX_STUCK_MINUTES = env.int("KNOWLEDGE_INDEX_STUCK_MINUTES", default=15)
KNOWLEDGE_INDEX_MAX_ATTEMPTS = env.int("KNOWLEDGE_INDEX_MAX_ATTEMPTS", default=3)
# Web-page import: limits, and networks allowed despite being private (e.g. an intranet wiki).
KNOWLEDGE_URL_MAX_BYTES = env.int("KNOWLEDGE_URL_MAX_BYTES", default=5 * 1024 * 1024)
KNOWLEDGE_URL_TIMEOUT_SECONDS = env.float("KNOWLEDGE_URL_TIMEOUT_SECONDS", default=10.0)
KNOWLEDGE_URL_ALLOWED_NETWORKS = env.list("KNOWLEDGE_URL_ALLOWED_NETWORKS", default=[])
KNOWLEDGE_URL_RESYNC_HOURS = env.int("KNOWLEDGE_URL_RESYNC_HOURS", default=24)
# Relevance floors of search (knowledge/relevance.py): a hit is kept when its cosine distance is at
# most the ceiling (empty: each embedding model's tuned ceiling) or its full-text rank at least the floor.
_max_distance = env.str("KNOWLEDGE_SEARCH_MAX_DISTANCE", default="")
KNOWLEDGE_SEARCH_MAX_DISTANCE = float(_max_distance) if _max_distance else None
KNOWLEDGE_SEARCH_MIN_TEXT_RANK = env.float("KNOWLEDGE_SEARCH_MIN_TEXT_RANK", default=0.5)
# Unanswered-question mining: a question joins an open cluster whose centroid is at most this cosine
# distance away (conversations/services/unanswered.py has the measured distances).
UNANSWERED_CLUSTER_MAX_DISTANCE = env.float("UNANSWERED_CLUSTER_MAX_DISTANCE", default=0.5)

# --- Security ----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours append to X-Forwarded-For (0: the header is not trusted and the
# client address is REMOTE_ADDR). Login lockout per IP and the audit log depend on it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# A bearer token Prometheus presents to scrape /metrics; empty: /metrics answers whoever reaches it
# (then block the path at the load balancer).
METRICS_TOKEN = env_secret("METRICS_TOKEN", default="")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Turning preload off is a deliberate choice, so its deploy-check warning is silenced with it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or DEBUG else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, "same-origin", cuts a popup off from the page that opened it as soon as it visits
# another origin: the Kommo consent popup could then never tell the Integrations page how it went.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popups"
X_FRAME_OPTIONS = "DENY"
# Sent on every answer by agent_platform.middleware.ContentSecurityPolicyMiddleware; empty: none.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY", default="frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# Encrypts secrets at rest (OAuth tokens, API keys). Comma-separated Fernet keys, newest first;
# without it a key is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Billing (dj-stripe) -----------------------------------------------------------------------
# Without a secret key the billing write endpoints answer 503 `billing_not_configured`.
STRIPE_SECRET_KEY = env_secret("STRIPE_SECRET_KEY", default="")
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
# Another API server (the local Stripe, `python -m billing.fakes`); empty: api.stripe.com.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Not read by dj-stripe 2.11: it keeps each endpoint's signing secret in its WebhookEndpoint row, which
# `manage.py billing_stripe_setup --webhook-url …` makes by registering the endpoint through the API.
DJSTRIPE_WEBHOOK_SECRET = env_secret("DJSTRIPE_WEBHOOK_SECRET", default="")
# Seconds a webhook's signature timestamp may be old (Stripe's default).
BILLING_WEBHOOK_TOLERANCE = env.int("BILLING_WEBHOOK_TOLERANCE", default=300)
# Days AI replies keep going after a subscription payment failed; then they pause until it is paid.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
DJSTRIPE_SUBSCRIBER_MODEL = "accounts.Workspace"
# The plan (billing.Plan.code) of a workspace that has none of its own; empty: the plan marked default (Free).
BILLING_DEFAULT_PLAN = env.str("BILLING_DEFAULT_PLAN", default="")

# --- Logging -----------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")  # json | text
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "agent_platform.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "agent_platform.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
    },
}

# Optional error tracking: set SENTRY_DSN and install sentry-sdk.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as exc:
        raise ImproperlyConfigured("SENTRY_DSN is set: install sentry-sdk (pip install sentry-sdk).") from exc
    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# --- Conversations -------------------------------------------------------------------------------
# How long POST /api/playground/:agent/chat waits for the reply before answering 202 (the reply then
# arrives over the websocket).
PLAYGROUND_WAIT_SECONDS = env.float("PLAYGROUND_WAIT_SECONDS", default=30.0)
