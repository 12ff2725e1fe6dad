"""A reply interrupted by a dead worker fails visibly; its customer messages are then answered once:
by a later processing run (the failed reply is superseded, no retry left to send a second answer) or
by the retry (which claims them, so a run meanwhile has nothing to answer).
tests/faults/test_worker_killed.py drives the same with real processes."""

import pytest

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Message
from tests.conversations.factories import CustomerMessageFactory

pytestmark = pytest.mark.django_db


def _interrupted(workspace, make_agent) -> tuple[Message, Message]:
    """A customer message whose reply the sweep failed ("Processing was interrupted")."""
    make_agent()
    incoming = CustomerMessageFactory(workspace=workspace, text="Do you deliver?")
    with workspace_scope(workspace.pk):
        reply = Message.objects.create(
            workspace=workspace,
            conversation=incoming.conversation,
            channel="api",
            direction=Message.Direction.OUT,
            author=Message.Author.AI,
            source_timestamp=incoming.source_timestamp,
            status=Message.Status.FAILED,
            status_reason="Processing was interrupted; retry it.",
            failure_stage="processing",
            answers=[incoming.pk],
        )
    return incoming, reply


def test_a_later_run_supersedes_the_failed_reply(workspace, make_agent):
    incoming, failed = _interrupted(workspace, make_agent)
    with workspace_scope(workspace.pk):
        answer = services.conversation_process(conversation_id=incoming.conversation_id)
        failed.refresh_from_db()
        incoming.refresh_from_db()
    assert answer.answers == [incoming.pk] and answer.status in ("sending", "sent")
    assert (failed.status, failed.status_reason) == ("skipped", "Superseded: a later reply answers these messages.")


def test_a_retry_claims_its_messages_so_a_run_meanwhile_answers_nothing(workspace, make_agent, owner):
    incoming, failed = _interrupted(workspace, make_agent)
    with workspace_scope(workspace.pk):
        services.message_retry(message=failed, user=owner)
        incoming.refresh_from_db()
        assert incoming.status == "processing"
        assert services.conversation_process(conversation_id=incoming.conversation_id) is None
        assert Message.objects.filter(author="ai").count() == 1
