"""The platform's own Prometheus metrics on /metrics (agent_platform.metrics), and the Grafana
dashboard and alert rules in docs/ops that must name exactly metrics /metrics exposes."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from agent_platform.metrics import METRICS, collector
from agent_platform.tenancy import workspace_scope
from automations.models import ChainRun, ChainRunStep
from billing.models import UsageEvent
from conversations.models import Message, ScheduledAction
from integrations.kommo.models import KommoWebhookDelivery
from tests.automations.factories import ChainStepFactory
from tests.conversations.factories import AIReplyFactory, ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db
OPS = Path(__file__).resolve().parents[2] / "docs" / "ops"


def scrape() -> dict[str, dict[tuple, float]]:
    """/metrics as {sample name: {sorted labels: value}}."""
    collector.clear()
    response = Client().get("/metrics")
    assert response.status_code == 200
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def _empty_queues(client) -> None:
    """Every queue's list (and its priority lists) and the unacked set: tasks other tests left in
    the broker's test database must not count here."""
    from agent_platform.celery import QUEUES

    names = [key for queue in QUEUES for key in client.scan_iter(match=f"{queue}*")]
    client.delete("unacked", *names)


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    _empty_queues(client)
    yield client
    _empty_queues(client)


def test_the_figures_follow_the_database_and_the_broker(workspace, broker):
    now = timezone.now()
    conversation = ConversationFactory(workspace=workspace)
    MessageFactory.create_batch(2, conversation=conversation)  # received
    stuck = AIReplyFactory(conversation=conversation)  # processing
    Message.objects.unscoped_across_workspaces().filter(pk=stuck.pk).update(updated_at=now - timedelta(minutes=10))
    MessageFactory(conversation=conversation, status=Message.Status.FAILED)
    with workspace_scope(workspace.pk):
        for latency, status in [(100, "ok"), (200, "ok"), (300, "ok"), (4000, "failed")]:
            UsageEvent.objects.create(
                workspace=workspace,
                purpose="reply",
                provider="openai",
                model_id="gpt",
                latency_ms=latency,
                status=status,
            )
        KommoWebhookDelivery.objects.create(workspace=workspace, digest="a" * 64, body="{}", status="failed")
        waiting = KommoWebhookDelivery.objects.create(workspace=workspace, digest="b" * 64, body="{}")
        KommoWebhookDelivery.objects.filter(pk=waiting.pk).update(received_at=now - timedelta(seconds=90))
        step = ChainStepFactory(workspace=workspace)
        run = ChainRun.objects.create(
            workspace=workspace, chain=step.chain, conversation=conversation, started_by="manual"
        )
        ChainRunStep.objects.create(
            workspace=workspace, run=run, step=step, scheduled_for=now, due_at=now - timedelta(minutes=3)
        )
        ScheduledAction.objects.create(workspace=workspace, kind="process", conversation=conversation, due_at=now)
        ScheduledAction.objects.create(
            workspace=workspace, kind="process", conversation=conversation, due_at=now, status="done"
        )
    broker.rpush("ai", "t1", "t2")
    broker.rpush("ai\x06\x163", "t3")  # a priority sub-queue counts for its queue
    broker.hset("unacked", "tag", "task")

    samples = scrape()

    assert samples["ap_messages"][(("status", "received"),)] == 2
    assert samples["ap_messages"][(("status", "processing"),)] == 1
    assert samples["ap_messages"][(("status", "failed"),)] == 1
    assert 590 < samples["ap_messages_in_flight_oldest_seconds"][(("status", "processing"),)] < 700
    assert samples["ap_ai_calls_recent"][(("provider", "openai"), ("status", "ok"))] == 3
    assert samples["ap_ai_calls_recent"][(("provider", "openai"), ("status", "failed"))] == 1
    assert samples["ap_ai_call_latency_seconds"][(("quantile", "0.5"),)] == pytest.approx(0.25)
    assert samples["ap_ai_call_latency_seconds"][(("quantile", "0.99"),)] > 3
    assert samples["ap_celery_queue_length"][(("queue", "ai"),)] == 3
    assert samples["ap_celery_queue_length"][(("queue", "messages"),)] == 0
    assert samples["ap_celery_unacked"][()] == 1
    assert samples["ap_kommo_webhooks_recent"][(("status", "failed"),)] == 1
    assert 85 < samples["ap_kommo_webhooks_unprocessed_oldest_seconds"][()] < 200
    assert samples["ap_due_work_overdue"][(("kind", "chain_step"),)] == 1
    assert 175 < samples["ap_due_work_lateness_seconds"][(("kind", "chain_step"),)] < 300
    assert samples["ap_due_work_overdue"][(("kind", "scheduled_action"),)] == 1
    assert samples["ap_due_work_overdue"][(("kind", "silence_timer"),)] == 0


def test_an_empty_platform_still_exposes_every_metric_family():
    response = Client().get("/metrics")
    families = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert set(METRICS) <= families
    assert "django_http_requests_total_by_view_transport_method" in families  # django-prometheus's, beside ours


def test_a_broker_outage_leaves_the_database_figures(settings, workspace):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    MessageFactory(conversation=ConversationFactory(workspace=workspace))
    samples = scrape()
    assert samples["ap_messages"][(("status", "received"),)] == 1
    assert "ap_celery_queue_length" not in samples


def _names_in(text: str) -> set[str]:
    return set(re.findall(r"\b(?:ap|django)_[a-z0-9_]+", text))


def _exposed_names() -> set[str]:
    response = Client().get("/metrics")
    names = set()
    suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"], "summary": ["_sum", "_count"]}
    for family in text_string_to_metric_families(response.content.decode()):
        names.add(family.name)  # a family without samples yet still names what it will expose
        names.update(family.name + suffix for suffix in suffixes.get(family.type, []))
    return names


def test_the_dashboard_and_the_alerts_use_only_exposed_metrics():
    dashboard = json.loads((OPS / "grafana-dashboard.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    rules = yaml.safe_load((OPS / "alerts.yml").read_text())
    alerts = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    assert expressions and alerts
    exposed = _exposed_names()
    used = _names_in("\n".join(expressions + alerts))
    assert used, "no metric names found"
    assert used <= exposed, sorted(used - exposed)
    assert {name for name in used if name.startswith("ap_")} == set(METRICS)  # every metric of ours is watched


def test_with_a_metrics_token_only_the_scraper_gets_the_metrics(settings, client):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "scrape-token-0123456789"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "metrics_token_required"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"ap_messages" not in response.content
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert response.status_code == 200
    assert b"ap_messages" in response.content


def test_without_a_metrics_token_the_metrics_are_open(settings, client):
    settings.METRICS_TOKEN = ""
    assert b"ap_messages" in client.get("/metrics").content
