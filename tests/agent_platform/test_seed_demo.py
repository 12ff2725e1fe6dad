"""`manage.py seed_demo` (make run): the demo workspace shows the product at once — a reply grounded
in the knowledge base with its citations, one held for approval, one handed to a person — and a
second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import Workspace
from agent_platform.tenancy import workspace_scope
from automations.models import Chain, Trigger, TriggerLog
from conversations.models import Conversation, Message, UnansweredCluster

# Transactional: the commit runs what waits for it (the grounded reply's send), as in `make run`.
pytestmark = pytest.mark.django_db(transaction=True)


def _demo_rows():
    workspace = Workspace.objects.get(memberships__user__email="demo@example.com")
    with workspace_scope(workspace.pk):
        conversations = {c.external_chat_id: c for c in Conversation.objects.all()}
        replies = {
            m.conversation.external_chat_id: m
            for m in Message.objects.filter(author=Message.Author.AI).select_related("conversation")
        }
        skipped = list(Message.objects.filter(status=Message.Status.SKIPPED).values_list("status_reason", flat=True))
    return conversations, replies, skipped


def _cited(reply: Message) -> list[str]:
    """The sources a reply shows: the passages it used."""
    generate = next(step for step in reply.trace if step["step"] == "generate")
    return [citation["citation"] for citation in generate["citations"]]


def test_the_demo_has_a_grounded_reply_one_held_for_approval_and_one_handed_off(settings):
    call_command("seed_demo", stdout=io.StringIO())

    conversations, replies, skipped = _demo_rows()
    assert len(conversations) == 3

    grounded = replies["demo-anna"]
    assert _cited(grounded) == ["Delivery"]
    assert "1–2 days" in grounded.text
    assert grounded.status == Message.Status.SENT

    held = next(m for chat, m in replies.items() if chat.startswith("playground:"))
    assert held.status == Message.Status.PENDING_APPROVAL
    assert _cited(held) == ["Returns and refunds"] and "30 days" in held.text
    assert held.conversation.agent.name == "Demo Support Desk"

    assert conversations["demo-max"].status == Conversation.Status.HUMAN
    assert "demo-max" not in replies
    assert skipped == ["Handed to a human: the customer wrote 'manager'"]
    with workspace_scope(conversations["demo-max"].workspace_id):
        [unanswered] = UnansweredCluster.objects.all()  # Max's handoff, on the Statistics page
        assert unanswered.title == "This is the third time I write. I want to talk to a manager."
        assert unanswered.question_count == 1 and unanswered.status == "open"

    workspace = Workspace.objects.get(memberships__user__email="demo@example.com")
    with workspace_scope(workspace.pk):
        trigger = Trigger.objects.get(name="Discount question")
        chain = Chain.objects.get(name="Quote follow-up")
        assert [a.kind for a in trigger.actions.all()] == ["add_tag", "send_message"]
        assert [s.kind for s in chain.steps.all()] == ["template", "ai"]
        # The demo's questions (delivery, returns, a manager) are not discount questions.
        assert not TriggerLog.objects.filter(outcome=TriggerLog.Outcome.FIRED).exists()

    call_command("seed_demo", stdout=io.StringIO())
    again, _, _ = _demo_rows()
    assert again.keys() == conversations.keys()
    with workspace_scope(workspace.pk):
        assert Trigger.objects.count() == 1 and Chain.objects.count() == 1
