"""The Celery app: queues, reliability defaults and the whole beat schedule.

Reliability: tasks are acknowledged after they finish (acks_late) and re-queued when a worker dies
mid-task (reject_on_worker_lost). A task that kills its worker every time would then be redelivered
forever, so `PlatformTask` counts deliveries in Redis and drops a task after CELERY_MAX_DELIVERIES
abnormal ends. Redis redelivers unacknowledged tasks after the visibility timeout, which is longer
than the hard time limit of any task so that a slow task is never run twice at once.
"""

from __future__ import annotations

import logging
import os
import time
from functools import cache

import redis
from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections, transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agent_platform.settings.base")

logger = logging.getLogger(__name__)

QUEUES = ("default", "messages", "ai", "chains", "indexing", "notifications")
HEARTBEAT_KEY = "ap:celery:heartbeat"


class PlatformTask(Task):
    """Base task with a redelivery guard against poison messages."""

    def __call__(self, *args, **kwargs):
        request = self.request
        if request.called_directly or request.is_eager or not request.id:
            return super().__call__(*args, **kwargs)
        key = f"ap:celery:deliveries:{request.id}"
        client = _redis()
        try:
            deliveries, _ = client.pipeline().incr(key).expire(key, 2 * settings.CELERY_VISIBILITY_TIMEOUT).execute()
        except redis.RedisError:
            # The broker's Redis went away after the delivery: the guard is a safety net, the work
            # itself may not need Redis (a reply is generated and sent without it). Run it uncounted.
            logger.warning("task delivery not counted: Redis unavailable", extra={"task": self.name})
            return super().__call__(*args, **kwargs)
        if deliveries > settings.CELERY_MAX_DELIVERIES:
            logger.error(
                "task dropped after %s abnormal deliveries",
                deliveries - 1,
                extra={"task": self.name, "task_id": request.id},
            )
            client.delete(key)
            return None
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # Reached on success, failure and retry alike; only a dead worker skips it.
            try:
                client.delete(key)
            except redis.RedisError:  # the counter expires by itself; the task's outcome stands
                logger.warning("task delivery counter not cleared: Redis unavailable", extra={"task": self.name})


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(sender: Task | None = None, **kwargs: object) -> None:
    """Around every task, Django's rules for a request: a connection past CONN_MAX_AGE or left
    unusable by an error is closed; a healthy one is reused (checked first, CONN_HEALTH_CHECKS).
    Celery's own fixup would close every connection every time (CELERY_DB_REUSE_MAX)."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()


@cache
def _redis():
    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5, socket_connect_timeout=2)


app = Celery("agent_platform", task_cls=PlatformTask)
# Read lazily, when the configuration is first needed (Django's settings are ready by then).
app.config_from_object("agent_platform.celery_config")


# The whole beat schedule, `expires` about 1.5× the interval so a backlog never piles up.
BEAT_SCHEDULE = {
    # Delayed replies and approval timeouts are rows with due_at (DESIGN §4): claim the due ones.
    # Seconds, not crontab: a reply delay of a few seconds must not wait for the next minute.
    # Interrupted AI replies are generated again (their lease is free), or fail visibly (with a retry
    # action) after two tries or 16 minutes; lost scheduled actions are released.
    "conversations-stuck-work": {
        "task": "conversations.tasks.stuck_work_recover_task",
        "schedule": crontab(minute="*"),
        "options": {"expires": 90},
    },
    "conversations-scheduled-actions": {
        "task": "conversations.tasks.scheduled_actions_claim_task",
        "schedule": 2.0,
        "options": {"expires": 3},
    },
    # Chains (SPEC §4.3): due follow-up steps are rows with due_at; claim them every two seconds, and
    # release the ones claimed by a worker that died (each step is still sent once).
    "automations-chain-steps": {
        "task": "automations.tasks.chain_steps_claim_task",
        "schedule": 2.0,
        "options": {"expires": 3},
    },
    "automations-chain-steps-recover": {
        "task": "automations.tasks.chain_steps_recover_task",
        "schedule": crontab(minute="*"),
        "options": {"expires": 90},
    },
    # Triggers: "customer silent for N minutes" timers are rows with due_at: claim the due ones.
    "automations-trigger-timers": {
        "task": "automations.tasks.trigger_timers_claim_task",
        "schedule": crontab(minute="*"),
        "options": {"expires": 90},
    },
    # Notification emails whose send task was lost (broker down at the time) are queued again.
    "accounts-notification-emails": {
        "task": "accounts.tasks.notification_emails_recover_task",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 540},
    },
    # Billing: a failed subscription payment's grace period ended → that workspace's AI replies pause.
    "billing-grace-expire": {
        "task": "billing.tasks.billing_grace_expire_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 450},
    },
    # Lets /readyz and operators see that beat and a worker are both alive.
    "platform-heartbeat": {
        "task": "agent_platform.celery.heartbeat",
        "schedule": crontab(minute="*"),
        "options": {"expires": 90},
    },
    # Kommo: sync pipelines, fields and users of every connected account not synced for six hours.
    "integrations-kommo-sync": {
        "task": "integrations.tasks.kommo_sync_due_task",
        "schedule": crontab(minute=23),
        "options": {"expires": 5400},
    },
    # Kommo: the stored webhook deliveries are the queue; a new one wakes the drain at once, and this
    # runs it whatever happens (a wake lost while Redis or the broker was down; Kommo never resends a
    # Chats API hook).
    "integrations-kommo-deliveries-drain": {
        "task": "integrations.tasks.kommo_deliveries_drain_task",
        "schedule": 5.0,
        "options": {"expires": 5},
    },
    # Kommo: forget processed webhook bodies after a week.
    "integrations-kommo-deliveries-prune": {
        "task": "integrations.tasks.kommo_deliveries_prune_task",
        "schedule": crontab(minute=41, hour=3),
        "options": {"expires": 3600 * 12},
    },
    # Knowledge base: re-queue (or fail after the last attempt) indexing items idle too long.
    "knowledge-index-sweep": {
        "task": "knowledge.tasks.index_sweep_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 450},
    },
    # Knowledge base: fetch imported web pages with re-sync on again; update changed ones.
    "knowledge-url-resync": {
        "task": "knowledge.tasks.url_resync_task",
        "schedule": crontab(minute=17),
        "options": {"expires": 5400},
    },
}


@app.task(name="agent_platform.celery.heartbeat", ignore_result=True)
def heartbeat() -> float:
    now = time.time()
    _redis().set(HEARTBEAT_KEY, now, ex=3600)
    return now


@app.task(name="agent_platform.celery.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and a worker (tests, `manage.py` diagnostics)."""
    return value


app.autodiscover_tasks()


def enqueue_on_commit(task_name: str, *args: object, countdown: float | None = None) -> None:
    """Send a task by its name once the current transaction commits (at once when there is none).

    Services call this instead of importing their app's `tasks` (tasks sit above services), and the
    worker never sees rows that were rolled back. Routing by name applies as usual. Nobody waits for
    these results: `ignore_result` spares the result backend's subscription to each task (a Redis
    SUBSCRIBE per enqueue, found by profiling bench/ingest) and the stored result.

    An unreachable broker is logged, not raised: the work is already committed, so raising would
    only fail the caller's request (a delivery answered 500, then retried as a duplicate). The
    sweepers pick such work up again (indexing, processing, sending)."""

    def send() -> None:
        try:
            app.send_task(task_name, args=args, countdown=countdown, ignore_result=True)
        except (OperationalError, OSError):
            logger.error("task not enqueued: the broker is unreachable", extra={"task": task_name}, exc_info=True)

    transaction.on_commit(send)
