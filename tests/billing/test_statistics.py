"""The dashboard's statistics: every figure equals a direct count over the same data, built through
the real services (ingest, the processor with the offline model, approvals, a handoff, a person's
reply, a trigger, a chain); the previous period; the workspace's days; one agent; the CSV."""

import csv
import io
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from accounts.models import AuditLog
from agent_platform.tenancy import workspace_scope
from agents.services import agent_update
from automations.models import Chain, ChainRun, FieldWrite, TriggerLog
from billing.models import ActivityDaily, UsageEvent
from billing.services import activity_record
from billing.statistics import bucket_of, bucket_upper
from conversations import services
from conversations.models import Conversation, Message
from tests.automations.factories import ChainFactory, ChainStepFactory, TriggerFactory
from tests.conversations.flow import ingest, process

pytestmark = pytest.mark.django_db


def _wait(workspace, message, seconds):
    """The customer has been waiting `seconds` for the first reply (their message came in earlier)."""
    with workspace_scope(workspace.pk):
        Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def _send(workspace, reply):
    with workspace_scope(workspace.pk):
        services.message_send(message_id=reply.pk)
        reply.refresh_from_db()
    assert reply.status == Message.Status.SENT
    return reply


@pytest.fixture
def dataset(workspace, owner, member, make_agent, kb_article, django_capture_on_commit_callbacks):
    """Six conversations: answered at once, answered twice (a trigger fired on the second message,
    which also stopped the chain the first reply started), approved, rejected, handed off, and
    answered by a person."""
    kb_article()
    agent = make_agent()
    TriggerFactory(workspace=workspace, name="Discount")  # message.text contains "discount"
    chain = ChainFactory(workspace=workspace, start_on=Chain.StartOn.AI_REPLY, stop_on=[Chain.StopOn.CUSTOMER_REPLIED])
    ChainStepFactory(chain=chain, workspace=workspace)

    first, _ = ingest(workspace, "How long does delivery take?", chat="c1")
    _wait(workspace, first, 4)
    _send(workspace, process(workspace, first.conversation_id))
    again, _ = ingest(workspace, "Is there a discount on delivery?", chat="c1")
    _send(workspace, process(workspace, again.conversation_id))

    second, _ = ingest(workspace, "How long does delivery take to Madrid?", chat="c2")
    _wait(workspace, second, 45)
    _send(workspace, process(workspace, second.conversation_id))

    with workspace_scope(workspace.pk), django_capture_on_commit_callbacks(execute=True):  # drops its cache
        agent_update(agent=agent, actor=owner, data={"approval_required": True})
    held, _ = ingest(workspace, "Do you deliver to Madrid?", chat="c3")
    _wait(workspace, held, 200)
    pending = process(workspace, held.conversation_id)
    with workspace_scope(workspace.pk):
        services.reply_approve(message=pending, user=member)
    _send(workspace, pending)
    rejected, _ = ingest(workspace, "Do you deliver to Lisbon?", chat="c4")
    with workspace_scope(workspace.pk):
        services.reply_reject(message=process(workspace, rejected.conversation_id), user=owner, reason="tone")

    handed, _ = ingest(workspace, "I want a person", chat="c5")
    person, _ = ingest(workspace, "Hello?", chat="c6")
    _wait(workspace, person, 700)
    with workspace_scope(workspace.pk):
        services.conversation_handoff(conversation=handed.conversation, user=owner, reason="asked")
        human = services.human_message_send(conversation=person.conversation, user=owner, text="Hi, Ana here")
    _send(workspace, human)
    return agent


def _direct(workspace, agent=None):
    """The figures counted straight from the rows they summarise."""
    with workspace_scope(workspace.pk):
        conversations = Conversation.objects.all()
        messages = Message.objects.all()
        if agent is not None:
            conversations = conversations.filter(agent=agent)
            messages = messages.filter(conversation__agent=agent)
        replies = messages.filter(author__in=["ai", "human"], status="sent").exclude(metadata__has_key="automation")
        waits = []
        for conversation in conversations:
            first_in = messages.filter(conversation=conversation, author="customer").order_by("created_at").first()
            first_out = replies.filter(conversation=conversation).order_by("sent_at").first()
            if first_in and first_out:
                waits.append((first_out.sent_at - first_in.created_at).total_seconds())
        audit = AuditLog.objects.filter(workspace=workspace)
        usage = UsageEvent.objects.filter(agent_id=agent.pk) if agent else UsageEvent.objects.all()
        tokens = usage.aggregate(i=Sum("input_tokens"), o=Sum("output_tokens"), c=Sum("cost"))
        runs = ChainRun.objects.all()
        return {
            "conversations": conversations.count(),
            "ai_replies": replies.filter(author="ai").count(),
            "approvals_approved": audit.filter(action="reply.approved").count(),
            "approvals_rejected": audit.filter(action="reply.rejected").count(),
            "handoffs": audit.filter(action="conversation.handed_off").count(),
            "waits": sorted(waits),
            "input_tokens": tokens["i"] or 0,
            "output_tokens": tokens["o"] or 0,
            "cost": tokens["c"] or Decimal(0),
            "trigger_fires": TriggerLog.objects.filter(outcome="fired").count(),
            "chain_runs_started": runs.count(),
            "chain_runs_finished": runs.exclude(status="active").count(),
            "chain_runs_converted": runs.filter(status="completed").count()
            + runs.filter(status="stopped", stop_reason__startswith="The customer replied").count(),
            "field_writes": FieldWrite.objects.filter(status="written").count(),
        }


def _nearest_rank(values, share):
    return values[max(1, math.ceil(share * len(values))) - 1]


def test_every_dashboard_figure_equals_a_direct_count(dataset, workspace, member_client):
    direct = _direct(workspace)
    body = member_client.get("/api/statistics/dashboard?period=7d").json()
    figures = body["current"]
    # The dataset exercised every event (a figure that stayed 0 would prove nothing).
    assert direct["conversations"] == 6 and direct["ai_replies"] == 4 and direct["handoffs"] == 1
    assert direct["approvals_approved"] == direct["approvals_rejected"] == 1
    assert direct["trigger_fires"] == 1 and direct["chain_runs_converted"] >= 1
    assert len(direct["waits"]) == 4
    for name in (
        "conversations",
        "ai_replies",
        "approvals_approved",
        "approvals_rejected",
        "handoffs",
        "input_tokens",
        "output_tokens",
        "trigger_fires",
        "chain_runs_started",
        "chain_runs_finished",
        "chain_runs_converted",
        "field_writes",
    ):
        assert figures[name] == direct[name], name
    assert Decimal(figures["cost"]) == direct["cost"]
    assert figures["total_tokens"] == direct["input_tokens"] + direct["output_tokens"]
    assert figures["approval_rate"] == 0.5
    assert figures["handoff_rate"] == round(1 / 6, 4)
    waits = direct["waits"]
    assert figures["first_responses"] == len(waits)
    assert figures["first_response_mean_seconds"] == pytest.approx(sum(waits) / len(waits), abs=0.1)
    for key, share in (("first_response_median_seconds", 0.5), ("first_response_p90_seconds", 0.9)):
        exact = _nearest_rank(waits, share)
        assert figures[key] == bucket_upper(bucket_of(exact)), key
        assert figures[key] - 30 <= exact < figures[key]  # its bucket: 30 s wide at most under 10 min
    # The previous week is empty, and today's row of the series carries the period's figures.
    assert body["previous"]["conversations"] == 0 and body["previous"]["approval_rate"] is None
    assert len(body["series"]) == 7 and body["series"][-1]["date"] == str(timezone.localdate())
    assert body["series"][-1]["ai_replies"] == direct["ai_replies"]


def test_one_agent_and_the_outsider(dataset, workspace, member_client, stranger_client):
    direct = _direct(workspace, agent=dataset)
    figures = member_client.get(f"/api/statistics/agents/{dataset.pk}?period=30d").json()["current"]
    assert figures["ai_replies"] == direct["ai_replies"] == 4
    assert figures["input_tokens"] == direct["input_tokens"]
    assert figures["approvals_approved"] == 1
    assert stranger_client.get(f"/api/statistics/agents/{dataset.pk}").status_code == 404
    assert member_client.get(f"/api/statistics/agents/{dataset.pk + 1000}").status_code == 404
    stranger_body = stranger_client.get("/api/statistics/dashboard").json()
    assert stranger_body["current"]["conversations"] == 0  # the stranger sees their own workspace only


def test_csv_has_one_row_per_day(dataset, workspace, member_client):
    response = member_client.get("/api/statistics/export.csv?period=7d")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 7 and rows[-1]["date"] == str(timezone.localdate())
    assert int(rows[-1]["conversations"]) == 6 and int(rows[-1]["ai_replies"]) == 4
    assert sum(int(row["conversations"]) for row in rows) == 6


def _at(text):
    return timezone.datetime.fromisoformat(text)


def test_days_are_the_workspaces_days(workspace, member_client):
    """23:30 UTC on 1 December is already 2 December in Tokyo (UTC+9) but still 1 December in UTC."""
    workspace.time_zone = "Asia/Tokyo"
    workspace.save()
    activity_record(workspace_id=workspace.pk, at=_at("2026-12-01T14:59:00+00:00"), conversations_started=1)
    activity_record(workspace_id=workspace.pk, at=_at("2026-12-01T15:00:00+00:00"), conversations_started=1)
    activity_record(workspace_id=workspace.pk, at=_at("2026-12-01T23:30:00+00:00"), conversations_started=1)
    body = member_client.get("/api/statistics/dashboard?date_from=2026-12-01&date_to=2026-12-02").json()
    assert [(day["date"], day["conversations"]) for day in body["series"]] == [("2026-12-01", 1), ("2026-12-02", 2)]


def test_the_previous_period_is_as_long_and_just_before(workspace, member_client):
    for day, replies in (("2026-11-24", 5), ("2026-11-30", 2), ("2026-12-01", 3), ("2026-12-07", 4), ("2026-12-08", 9)):
        activity_record(workspace_id=workspace.pk, at=_at(f"{day}T12:00:00+00:00"), ai_replies=replies)
    body = member_client.get("/api/statistics/dashboard?date_from=2026-12-01&date_to=2026-12-07").json()
    assert (body["previous_from"], body["previous_to"]) == ("2026-11-24", "2026-11-30")
    assert body["current"]["ai_replies"] == 7 and body["previous"]["ai_replies"] == 7
    assert [day["ai_replies"] for day in body["series"]] == [3, 0, 0, 0, 0, 0, 4]


def test_first_response_percentiles_from_the_histogram(workspace, member_client):
    for seconds in (0.4, 2.5, 3.2, 7, 12, 61, 3 * 3600, 2 * 86400):
        activity_record(workspace_id=workspace.pk, first_response_seconds=seconds)
    figures = member_client.get("/api/statistics/dashboard?period=7d").json()["current"]
    # Nearest rank: the 4th of 8 (7 s, in [7, 8)) and the 8th (two days: the open last bucket, "a day").
    assert figures["first_responses"] == 8
    assert figures["first_response_median_seconds"] == 8
    assert figures["first_response_p90_seconds"] == 86400
    mean = sum((0.4, 2.5, 3.2, 7, 12, 61, 10800, 172800)) / 8
    assert figures["first_response_mean_seconds"] == pytest.approx(mean, abs=0.1)


def test_bad_periods_are_problems(member_client):
    missing = member_client.get("/api/statistics/dashboard?date_from=2026-12-01")
    assert missing.status_code == 400 and "date_to" in missing.json()["errors"]
    assert member_client.get("/api/statistics/dashboard?period=1y").status_code == 400
    backwards = member_client.get("/api/statistics/dashboard?date_from=2026-12-02&date_to=2026-12-01")
    assert backwards.status_code == 400 and "date_from" in backwards.json()["errors"]


def test_an_unknown_counter_is_refused(workspace):
    with pytest.raises(ValueError, match="messages"):
        activity_record(workspace_id=workspace.pk, messages=1)


def test_anonymous_is_refused(client):
    assert client.get("/api/statistics/dashboard").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_add_up_without_a_lost_update(workspace):
    """Ten threads record 20 events each into the same day's row: one upsert each, none lost."""

    def record(_):
        try:
            for _ in range(20):
                activity_record(workspace_id=workspace.pk, ai_replies=1, first_response_seconds=3)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(record, range(10)))
    with workspace_scope(workspace.pk):
        row = ActivityDaily.objects.get()
    assert row.ai_replies == 200 and row.first_response_count == 200
    assert row.first_response_histogram[bucket_of(3)] == 200 and sum(row.first_response_histogram) == 200
