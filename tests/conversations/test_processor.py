"""The message processor, driven through its services (tasks are plain function calls here)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from agents import services as agent_services
from conversations import services
from conversations.models import Conversation, Message, ScheduledAction
from integrations.ai.fakes.server import FakeAIServer  # noqa: F401 (fixture type)
from integrations.channels import ChannelSendError
from tests.conversations.factories import AIReplyFactory

pytestmark = pytest.mark.django_db


def ingest(workspace, text, *, chat="chat-1", mid=None, sent_at=None):
    with workspace_scope(workspace.pk):
        message, created = services.ingest_message(
            workspace=workspace,
            channel="api",
            external_chat_id=chat,
            external_message_id=mid or f"m-{text}-{chat}",
            text=text,
            sent_at=sent_at,
            customer_name="Ana",
        )
    return message, created


def process(workspace, conversation_id):
    with workspace_scope(workspace.pk):
        return services.conversation_process(conversation_id=conversation_id)


def run_due(workspace, *, at):
    with workspace_scope(workspace.pk):
        due = services.scheduled_actions_claim(now=at)
    for workspace_id, action_id in due:
        with workspace_scope(workspace_id):
            services.scheduled_action_run(action_id=action_id)
    return due


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
        assert list(steps) == ["agent", "triggers", "knowledge", "prompt", "generate", "update_rules", "decision"]
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


class SendingTests:
    """After the commit that settles a reply, the processor's own task sends it; the send task
    only takes over when the channel fails in a way a retry may fix."""

    @staticmethod
    def process_as_the_task(workspace, message, capture_on_commit):
        """Process as the task does (commit, then the on-commit send), recording what is enqueued."""
        with (
            mock.patch("agent_platform.celery.app.send_task") as send_task,
            workspace_scope(workspace.pk),
            capture_on_commit(execute=True),
        ):
            reply = services.conversation_process(conversation_id=message.conversation_id)
        return reply, send_task

    def test_the_reply_is_sent_by_the_processing_task(
        self, workspace, make_agent, kb_article, django_capture_on_commit_callbacks
    ):
        kb_article()
        make_agent()
        message, _ = ingest(workspace, "How long does delivery take?")
        reply, send_task = self.process_as_the_task(workspace, message, django_capture_on_commit_callbacks)
        reply.refresh_from_db()
        message.refresh_from_db()
        assert reply.status == Message.Status.SENT and reply.send_attempts == 1
        assert message.status == Message.Status.ANSWERED
        assert [c.args[0] for c in send_task.call_args_list] == []  # no second trip through the broker

    def test_a_retryable_channel_failure_goes_to_the_send_task(
        self, workspace, owner, make_agent, django_capture_on_commit_callbacks
    ):
        make_agent()
        with workspace_scope(workspace.pk):
            services.api_channel_configure(workspace=workspace, webhook_url="http://127.0.0.1:9/down", user=owner)
        message, _ = ingest(workspace, "hello")
        reply, send_task = self.process_as_the_task(workspace, message, django_capture_on_commit_callbacks)
        reply.refresh_from_db()
        assert reply.status == Message.Status.QUEUED and reply.send_attempts == 1
        send_task.assert_called_once_with(
            "conversations.tasks.message_send_task", args=(workspace.pk, reply.pk), countdown=2, ignore_result=True
        )


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
            agent_services.agent_config_replace(agent=support, actor=owner, section="channels", items=["playground"])
        second, _ = ingest(workspace, "hello again", chat="b")
        reply = process(workspace, second.conversation_id)
        assert reply.trace[0]["agent"] == sales.pk


class ApprovalTests:
    def make_pending(self, workspace, make_agent, **agent_fields):
        make_agent(approval_required=True, **agent_fields)
        message, _ = ingest(workspace, "Do you deliver to Madrid?")
        reply = process(workspace, message.conversation_id)
        assert reply.status == Message.Status.PENDING_APPROVAL
        return reply

    def test_hold_notifies_and_approve_sends(self, workspace, owner, member, make_agent):
        reply = self.make_pending(workspace, make_agent)
        with workspace_scope(workspace.pk):
            assert Notification.objects.filter(kind="approval_requested", user=member).exists()
            assert Conversation.objects.get().status == Conversation.Status.WAITING_APPROVAL
            services.reply_approve(message=reply, user=member)
            reply.refresh_from_db()
            assert reply.status == Message.Status.QUEUED and reply.reviewed_by == member
            assert Conversation.objects.get().status == Conversation.Status.OPEN

    def test_edit_and_approve_keeps_the_original(self, workspace, owner, make_agent):
        reply = self.make_pending(workspace, make_agent)
        original = reply.text
        with workspace_scope(workspace.pk):
            services.reply_approve(message=reply, user=owner, text="Yes, we deliver to Madrid in 3 days.")
            reply.refresh_from_db()
        assert reply.text == "Yes, we deliver to Madrid in 3 days." and reply.original_text == original

    def test_reject(self, workspace, owner, make_agent):
        reply = self.make_pending(workspace, make_agent)
        with workspace_scope(workspace.pk):
            services.reply_reject(message=reply, user=owner, reason="wrong tone")
            reply.refresh_from_db()
            assert reply.status == Message.Status.REJECTED and reply.status_reason == "wrong tone"
            with pytest.raises(Exception, match="not waiting for approval"):
                services.reply_approve(message=reply, user=owner)

    def test_timeout_sends_when_the_agent_says_so(self, workspace, make_agent):
        reply = self.make_pending(workspace, make_agent, approval_timeout_minutes=5, approval_timeout_action="send")
        assert run_due(workspace, at=timezone.now() + timedelta(minutes=4)) == []
        assert len(run_due(workspace, at=timezone.now() + timedelta(minutes=6))) == 1
        reply.refresh_from_db()
        assert reply.status == Message.Status.QUEUED
        assert "approval timed out" in reply.status_reason
        assert run_due(workspace, at=timezone.now() + timedelta(minutes=60)) == []  # exactly once

    def test_timeout_hands_to_a_human(self, workspace, make_agent):
        reply = self.make_pending(workspace, make_agent, approval_timeout_minutes=5, approval_timeout_action="handoff")
        run_due(workspace, at=timezone.now() + timedelta(minutes=6))
        reply.refresh_from_db()
        assert reply.status == Message.Status.REJECTED
        with workspace_scope(workspace.pk):
            assert Conversation.objects.get().status == Conversation.Status.HUMAN

    def test_approving_cancels_the_timeout(self, workspace, owner, make_agent):
        reply = self.make_pending(workspace, make_agent, approval_timeout_minutes=5)
        with workspace_scope(workspace.pk):
            services.reply_approve(message=reply, user=owner)
        assert run_due(workspace, at=timezone.now() + timedelta(minutes=10)) == []


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

    def test_reply_limit(self, workspace, make_agent):
        make_agent(max_ai_replies_per_conversation=0)
        message, _ = ingest(workspace, "hello")
        assert process(workspace, message.conversation_id) is None
        message.refresh_from_db()
        assert "limit" in message.status_reason


class SendFailureTests:
    def test_send_retries_then_fails_visibly_and_can_be_retried(self, workspace, owner, make_agent):
        make_agent()
        with workspace_scope(workspace.pk):
            services.api_channel_configure(workspace=workspace, webhook_url="http://127.0.0.1:9/down", user=owner)
        message, _ = ingest(workspace, "hello")
        reply = process(workspace, message.conversation_id)
        with workspace_scope(workspace.pk):
            with pytest.raises(ChannelSendError):
                services.message_send(message_id=reply.pk)  # a retryable failure: the task retries
            reply.refresh_from_db()
            assert reply.status == Message.Status.QUEUED and reply.send_attempts == 2  # the processor's claim + this
            services.message_send(message_id=reply.pk, final_attempt=True)
            reply.refresh_from_db()
            assert reply.status == Message.Status.FAILED and reply.failure_stage == "sending"
            assert "unreachable" in reply.status_reason
            services.message_retry(message=reply, user=owner)
            reply.refresh_from_db()
            assert reply.status == Message.Status.QUEUED and reply.send_attempts == 0


class StuckWorkTests:
    def test_interrupted_reply_fails_visibly_and_lost_actions_are_released(self, workspace, make_agent):
        make_agent(response_delay_seconds=5)
        message, _ = ingest(workspace, "hello")
        with workspace_scope(workspace.pk):
            assert services.scheduled_actions_claim(now=timezone.now() + timedelta(seconds=10))  # then "lost"
            action = ScheduledAction.objects.get()
            assert action.status == "claimed"
            reply = AIReplyFactory(conversation=message.conversation, status="processing", answers=[message.pk])
            Message.objects.filter(pk=message.pk).update(status="processing")
            Message.objects.filter(pk=reply.pk).update(updated_at=timezone.now() - timedelta(minutes=17))
            ScheduledAction.objects.filter(pk=action.pk).update(due_at=timezone.now() - timedelta(minutes=6))
        assert services.stuck_work_recover() == {
            "released_actions": 1,
            "failed_replies": 1,
            "resent_messages": 0,
            "reprocessed_conversations": 0,
        }
        reply.refresh_from_db()
        message.refresh_from_db()
        action.refresh_from_db()
        assert reply.status == "failed" and "interrupted" in reply.status_reason
        assert message.status == "received"
        assert action.status == "pending"
        # The customer message waits for the failed reply's retry: the sweeper does not answer it anew.
        Message.objects.unscoped_across_workspaces().filter(pk=message.pk).update(
            updated_at=timezone.now() - timedelta(hours=1)
        )
        assert services.stuck_work_recover() == {
            "released_actions": 0,
            "failed_replies": 0,
            "resent_messages": 0,
            "reprocessed_conversations": 0,
        }

    def test_a_message_whose_processing_task_was_lost_is_processed(
        self, workspace, make_agent, django_capture_on_commit_callbacks
    ):
        make_agent()
        lost, _ = ingest(workspace, "hello", chat="lost")  # its task was never run (nor is it here)
        delayed, _ = ingest(workspace, "hi", chat="delayed")
        with workspace_scope(workspace.pk):
            ScheduledAction.objects.create(
                workspace=workspace,
                conversation=delayed.conversation,
                kind=ScheduledAction.Kind.PROCESS,
                due_at=timezone.now() + timedelta(minutes=30),
            )
        answered_by_a_failed_reply, _ = ingest(workspace, "hey", chat="failed")
        AIReplyFactory(
            conversation=answered_by_a_failed_reply.conversation,
            status="failed",
            answers=[answered_by_a_failed_reply.pk],
        )
        waiting = Message.objects.unscoped_across_workspaces().filter(
            pk__in=[lost.pk, delayed.pk, answered_by_a_failed_reply.pk]
        )
        with mock.patch("agent_platform.celery.app.send_task") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                assert services.stuck_work_recover()["reprocessed_conversations"] == 0  # still fresh
            waiting.update(updated_at=timezone.now() - timedelta(minutes=6))
            with django_capture_on_commit_callbacks(execute=True):
                # Neither the delayed one nor the one waiting for its failed reply's retry.
                assert services.stuck_work_recover()["reprocessed_conversations"] == 1
                assert services.stuck_work_recover()["reprocessed_conversations"] == 0  # once per sweep window
        send_task.assert_called_once_with(
            "conversations.tasks.conversation_process_task",
            args=(workspace.pk, lost.conversation_id),
            countdown=None,
            ignore_result=True,
        )
        reply = process(workspace, lost.conversation_id)
        assert reply is not None and reply.answers == [lost.pk]

    def test_a_reply_left_unsent_by_a_dead_worker_is_sent_again(
        self, workspace, make_agent, django_capture_on_commit_callbacks
    ):
        make_agent()
        message, _ = ingest(workspace, "hello")
        reply = process(workspace, message.conversation_id)  # settled; the send never ran
        sending = Message.objects.unscoped_across_workspaces().filter(pk=reply.pk)
        sending.update(status="sending", updated_at=timezone.now() - timedelta(minutes=3))
        with mock.patch("agent_platform.celery.app.send_task") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                assert services.stuck_work_recover()["resent_messages"] == 0  # still within its time
            sending.update(updated_at=timezone.now() - timedelta(minutes=6))
            with django_capture_on_commit_callbacks(execute=True):
                assert services.stuck_work_recover()["resent_messages"] == 1
                assert services.stuck_work_recover()["resent_messages"] == 0  # once per attempt
        send_task.assert_called_once_with(
            "conversations.tasks.message_send_task", args=(workspace.pk, reply.pk), countdown=None, ignore_result=True
        )
        with workspace_scope(workspace.pk):
            services.message_send(message_id=reply.pk)
        reply.refresh_from_db()
        assert reply.status == Message.Status.SENT
