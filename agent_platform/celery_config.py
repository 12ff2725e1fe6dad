"""Celery's configuration, loaded lazily by `agent_platform.celery` when first needed.

Values come from Django's settings (env-driven); the queues and the beat schedule live in
`agent_platform.celery`. Redis redelivers an unacknowledged (acks_late) task after the visibility
timeout, so the hard time limit of every task stays below it: a slow task never runs twice at once.
"""

from datetime import timedelta

from django.conf import settings
from kombu import Queue

from agent_platform.celery import BEAT_SCHEDULE, QUEUES

_visibility = settings.CELERY_VISIBILITY_TIMEOUT

broker_url = settings.CELERY_BROKER_URL
result_backend = settings.CELERY_RESULT_BACKEND
broker_connection_retry_on_startup = True
broker_transport_options = {"visibility_timeout": _visibility}
result_backend_transport_options = {"visibility_timeout": _visibility}
result_expires = timedelta(days=1)
task_serializer = "json"
result_serializer = "json"
accept_content = ["json"]

task_acks_late = True
task_reject_on_worker_lost = True
task_acks_on_failure_or_timeout = True
worker_prefetch_multiplier = 1
worker_cancel_long_running_tasks_on_connection_loss = True
task_time_limit = min(900, _visibility - 60)
task_soft_time_limit = min(840, _visibility - 120)
task_track_started = True
task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER

task_default_queue = "default"
task_queues = [Queue(name) for name in QUEUES]
# Routing by module keeps each domain's work on its own queue (DESIGN.md §4).
task_routes = {
    "conversations.tasks.*": {"queue": "messages"},
    # A Kommo webhook carries customer messages, and Salesbot waits for our continue: both are replies' path.
    "integrations.tasks.kommo_deliveries_drain_task": {"queue": "messages"},
    "integrations.tasks.kommo_salesbot_*": {"queue": "messages"},
    "integrations.tasks.kommo_chats_*": {"queue": "messages"},
    "integrations.ai.tasks.*": {"queue": "ai"},
    "automations.tasks.chain_*": {"queue": "chains"},
    "automations.tasks.trigger_*": {"queue": "chains"},
    "knowledge.tasks.*": {"queue": "indexing"},
    "accounts.tasks.notification_*": {"queue": "notifications"},
}

timezone = "UTC"
beat_scheduler = "django_celery_beat.schedulers:DatabaseScheduler"
beat_schedule = BEAT_SCHEDULE
worker_hijack_root_logger = False

# Celery's Django fixup closes every database connection before and after every task unless this
# is set (then only every 2×N tasks): a new PostgreSQL backend per task cost more CPU than the
# task itself. Connections are recycled by Django's own rules instead (CONN_MAX_AGE, health
# checks), applied around every task by agent_platform.celery.
CELERY_DB_REUSE_MAX = 1_000_000
