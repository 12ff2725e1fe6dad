"""GET /api/statistics/live and /api/statistics/attention: the dashboard's live cards and its
needs-attention list, each figure equal to a direct count over the same rows, another workspace's rows
invisible, and `statistics.updated` published after a counted event commits."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from automations.models import ChainRun
from billing.services import quota_consume
from conversations import services as conversations
from conversations.models import Conversation, Message
from integrations.kommo.models import KommoIntegration, KommoWebhookDelivery
from knowledge.models import Article, IndexState
from tests.automations.factories import ChainFactory
from tests.billing.factories import plan_make, put_on_plan
from tests.conftest import client_for
from tests.conversations.factories import ConversationFactory
from tests.conversations.flow import ingest, process
from tests.integrations.kommo.factories import KommoIntegrationFactory
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIVE, ATTENTION = "/api/statistics/live", "/api/statistics/attention"


def _pending_reply(workspace, make_agent, chat="chat-1"):
    message, _ = ingest(workspace, "Do you deliver to Madrid?", chat=chat)
    reply = process(workspace, message.conversation_id)
    assert reply.status == Message.Status.PENDING_APPROVAL
    return reply


def _failed(workspace, conversation, text="x") -> Message:
    """A reply whose sending failed (the state a dead channel leaves behind)."""
    with workspace_scope(workspace.pk):
        return Message.objects.create(
            workspace=workspace,
            conversation=conversation,
            channel="api",
            direction="out",
            author="ai",
            text=text,
            status=Message.Status.FAILED,
            source_timestamp=timezone.now(),
        )


def _items(client) -> dict[str, dict]:
    response = client.get(ATTENTION)
    assert response.status_code == 200
    return {item["kind"] + item["extra"].get("metric", ""): item for item in response.json()["items"]}


class LiveCountersTests:
    def test_counts_equal_direct_counts_and_follow_each_event(self, workspace, member, owner, make_agent):
        make_agent(approval_required=True)
        client = client_for(member)
        before = client.get(LIVE).json()
        assert before == {**before, "conversations_today": 0, "ai_replies_today": 0, "pending_approvals": 0}
        reply = _pending_reply(workspace, make_agent)
        _pending_reply(workspace, make_agent, chat="chat-2")
        live = client.get(LIVE).json()
        with workspace_scope(workspace.pk):
            pending = Message.objects.filter(status=Message.Status.PENDING_APPROVAL).count()
            started = Conversation.objects.filter(created_at__date=timezone.localdate()).count()
        assert live["pending_approvals"] == pending == 2
        assert live["conversations_today"] == started == 2
        assert live["date"] == str(timezone.localdate())
        with workspace_scope(workspace.pk):
            conversations.reply_approve(message=reply, user=owner)
            second = Conversation.objects.get(external_chat_id="chat-2")
            conversations.conversation_handoff(conversation=second, user=owner)
        live = client.get(LIVE).json()
        with workspace_scope(workspace.pk):
            humans = Conversation.objects.filter(status=Conversation.Status.HUMAN).count()
        assert live["pending_approvals"] == 1 and live["open_handoffs"] == humans == 1
        assert live["handoffs_today"] == 1

    def test_another_workspaces_rows_are_invisible_and_a_stranger_gets_404(
        self, workspace, other_workspace, member, stranger, make_agent
    ):
        ConversationFactory(workspace=other_workspace, status=Conversation.Status.HUMAN)
        assert client_for(member).get(LIVE).json()["open_handoffs"] == 0
        assert client_for(stranger, workspace).get(LIVE).status_code == 404
        assert client_for(stranger, workspace).get(ATTENTION).status_code == 404
        assert client_for(None).get(LIVE).status_code == 401

    def test_a_counted_event_publishes_statistics_updated_after_commit(
        self, workspace, django_capture_on_commit_callbacks
    ):
        patched = mock.patch("agent_platform.realtime.publish_now")
        with patched as sent, django_capture_on_commit_callbacks(execute=True):
            ingest(workspace, "Hello there", chat="chat-live")
        events = [(call.args[0], call.args[1], call.args[2]) for call in sent.call_args_list]
        assert (f"ws.{workspace.pk}", "statistics.updated", {"counters": ["conversations_started"]}) in events


class AttentionTests:
    def test_all_well_is_an_empty_list(self, member):
        assert client_for(member).get(ATTENTION).json() == {"items": []}

    def test_each_problem_is_an_item_with_its_count_severity_and_link(
        self, workspace, owner, member, make_agent, settings
    ):
        make_agent(approval_required=True)
        _pending_reply(workspace, make_agent)
        failed = ConversationFactory(workspace=workspace)
        _failed(workspace, failed), _failed(workspace, failed)
        old = _failed(workspace, failed, "old")
        with workspace_scope(workspace.pk):
            Message.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=8))  # long settled
        article = ArticleFactory(workspace=workspace, actor=owner, title="Broken", body="<p>x</p>")
        with workspace_scope(workspace.pk):
            Article.objects.filter(pk=article.pk).update(index_state=IndexState.FAILED, index_error="boom")
        integration = KommoIntegrationFactory(workspace=workspace, status=KommoIntegration.Status.ERROR)
        with workspace_scope(workspace.pk):
            KommoWebhookDelivery.objects.create(
                workspace=workspace, digest="d1", body="{}", status=KommoWebhookDelivery.Status.FAILED
            )
            run = ChainRun.objects.create(
                workspace=workspace, chain=ChainFactory(workspace=workspace), conversation=failed, started_by="manual",
                status=ChainRun.Status.FAILED, finished_at=timezone.now(), stop_reason="quota_exceeded: …",
            )  # fmt: skip
        put_on_plan(workspace, plan_make(replies=10, agents=5, channels=2))
        for _ in range(7):  # and the held reply took one
            quota_consume(workspace=workspace)
        items = _items(client_for(member))
        assert {kind: (i["count"], i["severity"], i["link"]) for kind, i in items.items()} == {
            "pending_approvals": (1, "warning", "/conversations?needs_approval=true"),
            "failed_messages": (2, "critical", "/conversations?has_failed=true"),
            "kb_index_failed": (1, "warning", "/knowledge"),
            "kommo_error": (1, "critical", "/integrations"),
            "kommo_webhooks_failed": (1, "warning", "/integrations"),
            "chain_runs_failed": (1, "warning", "/chains"),
            "quotaai_replies_per_month": (1, "warning", "/billing"),
        }
        assert items["quotaai_replies_per_month"]["extra"] == {
            "metric": "ai_replies_per_month", "used": 8, "limit": 10, "percent": 80.0,
        }  # fmt: skip
        # The links' filters pick those conversations in the inbox.
        inbox = client_for(member).get("/api/conversations?has_failed=true").json()["results"]
        assert [row["id"] for row in inbox] == [failed.pk]
        held = client_for(member).get("/api/conversations?needs_approval=true").json()["results"]
        assert len(held) == 1 and held[0]["id"] != failed.pk
        order = [item["severity"] for item in client_for(member).get(ATTENTION).json()["items"]]
        assert order == sorted(order, key=["critical", "warning", "info"].index)  # worst first
        # Fixed problems leave the list.
        with workspace_scope(workspace.pk):
            Article.objects.filter(pk=article.pk).update(index_state=IndexState.READY)
            integration.status = KommoIntegration.Status.CONNECTED
            integration.save()
            run.delete()
        assert {"kb_index_failed", "kommo_error", "chain_runs_failed"}.isdisjoint(_items(client_for(member)))

    def test_a_used_up_limit_is_critical(self, workspace, member):
        put_on_plan(workspace, plan_make(replies=2))
        quota_consume(workspace=workspace)
        quota_consume(workspace=workspace)
        item = _items(client_for(member))["quotaai_replies_per_month"]
        assert item["severity"] == "critical" and item["extra"]["percent"] == 100.0

    def test_another_workspaces_problems_are_invisible(self, workspace, other_workspace, member):
        conversation = ConversationFactory(workspace=other_workspace, status=Conversation.Status.HUMAN)
        _failed(other_workspace, conversation)
        KommoIntegrationFactory(workspace=other_workspace, status=KommoIntegration.Status.REVOKED)
        put_on_plan(other_workspace, plan_make(replies=1))
        quota_consume(workspace=other_workspace)
        assert client_for(member).get(ATTENTION).json() == {"items": []}


def test_a_failed_payment_is_a_warning_until_replies_pause_then_critical(workspace, owner):
    from billing.models import BillingAccount

    client = client_for(owner, workspace)
    assert not [i for i in client.get(ATTENTION).json()["items"] if i["kind"].startswith(("payment", "replies"))]
    now = timezone.now()
    with workspace_scope(workspace.pk):
        account = BillingAccount.objects.create(
            workspace=workspace, payment_failed_at=now, grace_until=now + timedelta(days=7)
        )
    items = {i["kind"]: i for i in client.get(ATTENTION).json()["items"]}
    assert items["payment_failed"]["severity"] == "warning" and items["payment_failed"]["link"] == "/billing"
    with workspace_scope(workspace.pk):
        BillingAccount.objects.filter(pk=account.pk).update(replies_paused_at=now)
    items = {i["kind"]: i for i in client.get(ATTENTION).json()["items"]}
    assert "payment_failed" not in items and items["replies_paused"]["severity"] == "critical"
