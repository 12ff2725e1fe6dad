"""The message processor, driven through its services (tasks are plain function calls here): ingest,
replies, routing, delays, takeover."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from agents import services as agent_services
from billing.models import ActivityDaily
from conversations import services
from conversations.models import Conversation, Message, ScheduledAction
from integrations.ai.fakes.server import FakeAIServer  # noqa: F401 (fixture type)
from tests.conversations.flow import ingest, process, run_due

pytestmark = pytest.mark.django_db


class IngestTests:
    def test_duplicate_delivery_changes_nothing(self, workspace, make_agent):
        make_agent()
        first, created = ingest(workspace, "hello", mid="kommo-1")
        again, created_again = ingest(workspace, "hello (redelivered)", mid="kommo-1")
        assert created and not created_again
        assert again.pk == first.pk
        with workspace_scope(workspace.pk):
            assert Message.objects.count() == 1
            assert Conversation.objects.get().unread_count == 1

    def test_out_of_order_arrivals_are_ordered_by_source_time(self, workspace, make_agent):
        make_agent()
        now = timezone.now()
        _later, _ = ingest(workspace, "second", sent_at=now)
        _earlier, _ = ingest(workspace, "first", sent_at=now - timedelta(minutes=1))
        with workspace_scope(workspace.pk):
            conversation = Conversation.objects.get()
            ordered = list(Message.objects.filter(conversation=conversation).order_by("source_timestamp", "id"))
        assert [m.text for m in ordered] == ["first", "second"]
        assert conversation.last_message_at == now


class ReplyTests:
    def test_grounded_reply_with_citations_in_the_trace(self, workspace, make_agent, kb_article):
        article = kb_article()
        make_agent()
        message, _ = ingest(workspace, "How long does delivery take?")
        reply = process(workspace, message.conversation_id)
        assert reply.status == Message.Status.SENDING  # claimed for the send that follows the commit
        assert "3 business days" in reply.text
        steps = {step["step"]: step for step in reply.trace}
        assert list(steps) == [
            "agent",
            "triggers",
            "quota",
            "knowledge",
            "prompt",
            "generate",
            "update_rules",
            "decision",
        ]
        assert steps["knowledge"]["chunks"][0]["article_id"] == article.pk
        assert steps["generate"]["provider"] == "offline"
        assert all("ms" in step for step in reply.trace)
        with workspace_scope(workspace.pk):
            services.message_send(message_id=reply.pk)
            reply.refresh_from_db()
            message.refresh_from_db()
        assert reply.status == Message.Status.SENT
        assert message.status == Message.Status.ANSWERED

    def test_no_agent_means_a_visible_skip(self, workspace):
        message, _ = ingest(workspace, "anyone there?")
        assert process(workspace, message.conversation_id) is None
        message.refresh_from_db()
        assert message.status == Message.Status.SKIPPED
        assert "no active agent" in message.status_reason

    def test_model_failure_is_a_failed_reply_and_retry_works(self, workspace, make_agent, fake_ai, kb_article):
        kb_article()
        make_agent(model_provider="openai", model_id="gpt-4.1-mini")
        fake_ai.fail("500", times=None)
        message, _ = ingest(workspace, "How long does delivery take?")
        reply = process(workspace, message.conversation_id)
        assert reply.status == Message.Status.FAILED
        assert reply.failure_stage == "processing" and reply.status_reason
        assert reply.trace[-1]["decision"] == "failed"
        message.refresh_from_db()
        assert message.status == Message.Status.RECEIVED  # waits for the retry

        fake_ai.reset()
        fake_ai.reply_text = "Delivery takes 3 business days."
        with workspace_scope(workspace.pk):
            services.message_retry(message=reply, user=None)
            reply = services.reply_generate(reply_id=reply.pk)
        assert reply.status == Message.Status.SENDING
        assert reply.text == "Delivery takes 3 business days."


class RoutingTests:
    def test_a_deactivated_agent_stops_answering_at_once(
        self, workspace, owner, make_agent, django_capture_on_commit_callbacks
    ):
        agent = make_agent()
        first, _ = ingest(workspace, "hello", chat="a")
        assert process(workspace, first.conversation_id) is not None  # the routing is now cached
        with workspace_scope(workspace.pk), django_capture_on_commit_callbacks(execute=True):
            agent_services.agent_toggle(agent=agent, actor=owner, is_active=False)
        second, _ = ingest(workspace, "hello again", chat="b")
        assert process(workspace, second.conversation_id) is None
        second.refresh_from_db()
        assert "no active agent" in second.status_reason

    def test_a_changed_channel_list_reroutes(self, workspace, owner, make_agent, django_capture_on_commit_callbacks):
        support = make_agent()
        first, _ = ingest(workspace, "hello", chat="a")
        process(workspace, first.conversation_id)
        with workspace_scope(workspace.pk), django_capture_on_commit_callbacks(execute=True):
            sales = make_agent(name="Sales")
            agent_services.agent_config_replace(agent=support, actor=owner, section="channels", items=["telegram"])
        second, _ = ingest(workspace, "hello again", chat="b")
        reply = process(workspace, second.conversation_id)
        assert reply.trace[0]["agent"] == sales.pk


class DelayTests:
    def test_a_burst_within_the_delay_gets_one_reply(self, workspace, make_agent, kb_article):
        kb_article()
        make_agent(response_delay_seconds=30)
        for text in ("Hi!", "How long does delivery take?", "To Valencia"):
            _message, _ = ingest(workspace, text)
        with workspace_scope(workspace.pk):
            assert ScheduledAction.objects.filter(status="pending").count() == 1
            assert not Message.objects.filter(author=Message.Author.AI).exists()
        assert run_due(workspace, at=timezone.now() + timedelta(seconds=10)) == []
        assert len(run_due(workspace, at=timezone.now() + timedelta(seconds=31))) == 1
        with workspace_scope(workspace.pk):
            replies = list(Message.objects.filter(author=Message.Author.AI))
            incoming = list(Message.objects.filter(direction="in").order_by("id").values_list("pk", flat=True))
        assert len(replies) == 1
        assert replies[0].answers == incoming


class TakeoverTests:
    def test_a_human_reply_pauses_the_ai_until_the_pause_expires(self, workspace, owner, make_agent):
        make_agent(human_reply_pause_minutes=30)
        message, _ = ingest(workspace, "hello")
        process(workspace, message.conversation_id)
        with workspace_scope(workspace.pk):
            conversation = Conversation.objects.get()
            services.human_message_send(conversation=conversation, user=owner, text="Hi, Maria here.")
            conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.HUMAN
        assert conversation.ai_paused_until > timezone.now() + timedelta(minutes=29)

        paused, _ = ingest(workspace, "thanks Maria")
        assert process(workspace, conversation.pk) is None
        paused.refresh_from_db()
        assert paused.status == Message.Status.SKIPPED and "paused" in paused.status_reason

        Conversation.all_workspaces.filter(pk=conversation.pk).update(
            ai_paused_until=timezone.now() - timedelta(seconds=1)
        )
        _later, _ = ingest(workspace, "one more question")
        reply = process(workspace, conversation.pk)
        assert reply is not None and reply.status == Message.Status.SENDING
        prompt_roles = [step for step in reply.trace if step["step"] == "prompt"]
        assert prompt_roles[0]["messages"] >= 4  # the human's message is in the AI's context

    def test_handoff_keyword(self, workspace, make_agent):
        make_agent(handoff_keywords=["operator"])
        message, _ = ingest(workspace, "I want an OPERATOR please")
        assert process(workspace, message.conversation_id) is None
        message.refresh_from_db()
        assert message.status == Message.Status.SKIPPED
        with workspace_scope(workspace.pk):
            assert Conversation.objects.get().status == Conversation.Status.HUMAN

    def test_a_handoff_on_the_first_message_is_the_routed_agents(self, workspace, make_agent):
        """The keyword in a conversation's very first message: the handoff counts for the agent the
        conversation was routed to (the per-agent handoff rate), not for no agent."""
        agent = make_agent(handoff_keywords=["operator"])
        message, _ = ingest(workspace, "operator, now")
        assert process(workspace, message.conversation_id) is None
        with workspace_scope(workspace.pk):
            assert Conversation.objects.get().agent_id == agent.pk
            assert list(ActivityDaily.objects.values_list("agent_id", "handoffs")) == [(agent.pk, 1)]

    def test_reply_limit(self, workspace, make_agent):
        make_agent(max_ai_replies_per_conversation=0)
        message, _ = ingest(workspace, "hello")
        assert process(workspace, message.conversation_id) is None
        message.refresh_from_db()
        assert "limit" in message.status_reason
