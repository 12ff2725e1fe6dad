"""The platform's own Prometheus metrics, next to django-prometheus's request metrics on /metrics.

A custom collector computes them at scrape time from aggregates of shared state — PostgreSQL rows
and the broker's Redis lists — so every web process answers the same figures and the workers need
no metrics endpoint of their own. Every query is an aggregate over an index (in-flight messages,
the last `WINDOW` of AI calls and webhooks, pending due rows), has a statement timeout, and the
result is kept for `CACHE_SECONDS` per process: a scrape every 15 s costs a few milliseconds.

Models are named by string (`apps.get_model`), as the kernel imports no app; the figures are summed
across workspaces (no workspace label: bounded cardinality, and no tenant's data leaves).
docs/ops/grafana-dashboard.json and docs/ops/alerts.yml use exactly these names (a test checks it).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from functools import cache

import redis
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from agent_platform.celery import HEARTBEAT_KEY, QUEUES

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=5)
CACHE_SECONDS = 10
QUERY_TIMEOUT_MS = 2000
# kombu's Redis transport keeps a queue's priorities 0, 3, 6, 9 in lists `name`, `name\x06\x163`, …
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)
# The statuses of conversations_msg_in_flight, the partial index the age query reads.
IN_FLIGHT = ("received", "processing", "queued", "sending")
LATENCY_QUANTILES = (0.5, 0.95, 0.99)

# name → (help, labels): the whole set, also what `describe` announces.
METRICS = {
    "ap_messages": ("Messages by status (all time)", ["status"]),
    "ap_messages_in_flight_oldest_seconds": ("Age of the oldest message in each in-flight status", ["status"]),
    "ap_ai_calls_recent": ("AI calls finished in the last 5 minutes, by provider and outcome", ["provider", "status"]),
    "ap_ai_call_latency_seconds": ("AI call latency over the last 5 minutes (quantiles)", ["quantile"]),
    "ap_celery_queue_length": ("Tasks waiting in each Celery queue (broker list lengths)", ["queue"]),
    "ap_celery_unacked": ("Tasks delivered to a worker and not yet acknowledged", []),
    "ap_celery_worker_heartbeat_age_seconds": ("Seconds since a worker last ran the heartbeat task", []),
    "ap_kommo_webhooks_recent": ("Kommo webhook deliveries received in the last 5 minutes, by status", ["status"]),
    "ap_kommo_webhooks_unprocessed_oldest_seconds": ("Age of the oldest Kommo delivery not processed yet", []),
    "ap_due_work_overdue": ("Due rows past their time and not yet claimed, by kind", ["kind"]),
    "ap_due_work_lateness_seconds": ("How late the most overdue pending row of each kind is", ["kind"]),
}

# (kind label, "app.Model"): the rows beat claims when they fall due.
DUE_WORK = (
    ("chain_step", "automations.ChainRunStep"),
    ("silence_timer", "automations.TriggerTimer"),
    ("scheduled_action", "conversations.ScheduledAction"),
)


def _rows(model: str):
    return apps.get_model(model).objects.unscoped_across_workspaces()


def _age(now, since) -> float:
    return (now - since).total_seconds() if since else 0.0


def _families() -> dict[str, GaugeMetricFamily]:
    return {name: GaugeMetricFamily(name, doc, labels=labels) for name, (doc, labels) in METRICS.items()}


def _database(families: dict[str, GaugeMetricFamily]) -> None:
    now = timezone.now()
    messages = _rows("conversations.Message")
    for row in messages.values("status").annotate(n=Count("id")).order_by("status"):
        families["ap_messages"].add_metric([row["status"]], row["n"])
    oldest = messages.filter(status__in=IN_FLIGHT).values("status").annotate(at=Min("updated_at")).order_by()
    for row in oldest:
        families["ap_messages_in_flight_oldest_seconds"].add_metric([row["status"]], (now - row["at"]).total_seconds())

    calls = _rows("billing.UsageEvent").filter(created_at__gte=now - WINDOW)
    for row in calls.values("provider", "status").annotate(n=Count("id")).order_by():
        families["ap_ai_calls_recent"].add_metric([row["provider"], row["status"]], row["n"])
    table = apps.get_model("billing.UsageEvent")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY latency_ms) FROM {table} "  # noqa: S608 (a model's table)
            "WHERE created_at >= %s AND purpose <> 'embedding'",
            [list(LATENCY_QUANTILES), now - WINDOW],
        )
        quantiles = cursor.fetchone()[0]
    for quantile, value in zip(LATENCY_QUANTILES, quantiles or [], strict=False):
        if value is not None:
            families["ap_ai_call_latency_seconds"].add_metric([str(quantile)], value / 1000)

    deliveries = _rows("integrations.KommoWebhookDelivery")
    recent = deliveries.filter(received_at__gte=now - WINDOW).values("status").annotate(n=Count("id")).order_by()
    for row in recent:
        families["ap_kommo_webhooks_recent"].add_metric([row["status"]], row["n"])
    waiting = deliveries.filter(status="received").aggregate(at=Min("received_at"))["at"]
    families["ap_kommo_webhooks_unprocessed_oldest_seconds"].add_metric(
        [], (now - waiting).total_seconds() if waiting else 0
    )

    for kind, model in DUE_WORK:
        late = _rows(model).filter(status="pending", due_at__lt=now).aggregate(n=Count("id"), at=Min("due_at"))
        families["ap_due_work_overdue"].add_metric([kind], late["n"])
        families["ap_due_work_lateness_seconds"].add_metric(
            [kind], (now - late["at"]).total_seconds() if late["at"] else 0
        )


@cache
def _broker(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _broker_state(families: dict[str, GaugeMetricFamily]) -> None:
    client = _broker(settings.CELERY_BROKER_URL)
    with client.pipeline(transaction=False) as pipe:
        for queue in QUEUES:
            for step in _PRIORITY_STEPS:
                pipe.llen(queue if step == 0 else f"{queue}{_PRIORITY_SEP}{step}")
        pipe.hlen("unacked")
        lengths = pipe.execute()
    steps = len(_PRIORITY_STEPS)
    for index, queue in enumerate(QUEUES):
        families["ap_celery_queue_length"].add_metric([queue], sum(lengths[index * steps : (index + 1) * steps]))
    families["ap_celery_unacked"].add_metric([], lengths[-1])
    beat = _broker(settings.REDIS_URL).get(HEARTBEAT_KEY)
    if beat is not None:
        families["ap_celery_worker_heartbeat_age_seconds"].add_metric([], max(0.0, time.time() - float(beat)))


class PlatformCollector:
    """Collected on each scrape of /metrics; a failing source leaves its metrics without samples
    (and logs why) instead of failing the scrape."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[float, list[GaugeMetricFamily]] | None = None

    def describe(self):
        return list(_families().values())  # names only: registering runs no query

    def collect(self):
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > CACHE_SECONDS:
                self._cached = (time.monotonic(), self.measure())
            return list(self._cached[1])

    def measure(self) -> list[GaugeMetricFamily]:
        families = _families()
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {QUERY_TIMEOUT_MS}")
                _database(families)
        except Exception:
            logger.warning("platform metrics: database figures unavailable", exc_info=True)
        try:
            _broker_state(families)
        except redis.RedisError:
            logger.warning("platform metrics: broker figures unavailable", exc_info=True)
        return list(families.values())

    def clear(self) -> None:
        with self._lock:
            self._cached = None


collector = PlatformCollector()


def register() -> None:
    """Called once from AgentPlatformConfig.ready()."""
    if collector not in REGISTRY._collector_to_names:  # registering twice raises
        REGISTRY.register(collector)
