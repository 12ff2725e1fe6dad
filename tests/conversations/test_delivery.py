"""Sending replies through their channel: by the processing task, by the send task on a retryable
failure, and visibly failed at last."""

from unittest import mock

import pytest

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Message
from integrations.ai.fakes.server import FakeAIServer  # noqa: F401 (fixture type)
from integrations.channels import ChannelSendError
from tests.conversations.flow import ingest, process

pytestmark = pytest.mark.django_db


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
