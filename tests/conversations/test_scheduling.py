"""The stuck-work sweeper: nothing stays in flight forever."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Message, ScheduledAction
from integrations.ai.fakes.server import FakeAIServer  # noqa: F401 (fixture type)
from tests.conversations.factories import AIReplyFactory
from tests.conversations.flow import ingest, process
from tests.conversations.leases import lease_held_elsewhere

pytestmark = pytest.mark.django_db


class StuckWorkTests:
    def test_a_reply_hung_in_a_live_worker_fails_visibly_and_lost_actions_are_released(self, workspace, make_agent):
        """A reply whose worker is alive (it holds the lease) but hangs for 16 minutes fails visibly; a
        dead worker's reply is generated again sooner (tests/conversations/test_reply_leases.py)."""
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
        with lease_held_elsewhere(reply.pk):
            recovered = services.stuck_work_recover()
        assert recovered == {
            "released_actions": 1,
            "regenerated_replies": 0,
            "failed_replies": 1,
            "resent_messages": 0,
            "failed_sends": 0,
            "reprocessed_conversations": 0,
            "reclustered_questions": 0,
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
            "regenerated_replies": 0,
            "failed_replies": 0,
            "resent_messages": 0,
            "failed_sends": 0,
            "reprocessed_conversations": 0,
            "reclustered_questions": 0,
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

    def test_a_delivery_never_confirmed_fails_after_the_last_attempt(self, workspace, make_agent):
        """A channel that confirms later (Salesbot) and never does: the sweeper sends again, but
        only until MAX_SEND_ATTEMPTS; then the message fails visibly with a retry action."""
        make_agent()
        message, _ = ingest(workspace, "hello")
        reply = process(workspace, message.conversation_id)
        pending = Message.objects.unscoped_across_workspaces().filter(pk=reply.pk)
        pending.update(
            status="sending", send_attempts=services.MAX_SEND_ATTEMPTS, updated_at=timezone.now() - timedelta(minutes=6)
        )
        with mock.patch("agent_platform.celery.app.send_task") as send_task:
            result = services.stuck_work_recover()
        assert (result["failed_sends"], result["resent_messages"]) == (1, 0)
        send_task.assert_not_called()
        reply.refresh_from_db()
        assert (reply.status, reply.failure_stage) == (Message.Status.FAILED, "sending")
