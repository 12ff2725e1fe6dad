"""Replies held for approval: approve (edited or not), reject, and the approval timeout."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Conversation, Message
from integrations.ai.fakes.server import FakeAIServer  # noqa: F401 (fixture type)
from tests.conversations.flow import ingest, process, run_due

pytestmark = pytest.mark.django_db


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
