"""The processor takes every AI reply from the plan's quota: at the limit the turn is settled visibly
(the reply's trace and the customer's message carry `quota_exceeded`), and the customer gets the
agent's fallback message, or a person takes over when the agent has none."""

import pytest

from agent_platform.tenancy import workspace_scope
from billing.selectors import plan_usage
from conversations import services
from conversations.models import Conversation, Message
from tests.billing.factories import plan_make, put_on_plan
from tests.conversations.flow import ingest, process

pytestmark = pytest.mark.django_db


def ai_replies_used(workspace) -> int:
    return next(
        row["used"] for row in plan_usage(workspace=workspace)["limits"] if row["metric"] == "ai_replies_per_month"
    )


def answer(workspace, text, chat="chat-1"):
    message, _ = ingest(workspace, text, chat=chat)
    reply = process(workspace, message.conversation_id)
    with workspace_scope(workspace.pk):
        if reply is not None and reply.status == Message.Status.SENDING:
            services.message_send(message_id=reply.pk)
        message.refresh_from_db()
        if reply is not None:
            reply.refresh_from_db()
    return message, reply


def test_at_the_limit_the_customer_gets_the_fallback_and_the_reason_is_visible(workspace, make_agent, kb_article):
    kb_article()
    put_on_plan(workspace, plan_make(replies=1))
    make_agent(fallback_message="A manager will answer you shortly.")
    _, reply = answer(workspace, "How long does delivery take?")
    assert "3 business days" in reply.text and reply.status == Message.Status.SENT
    assert next(s for s in reply.trace if s["step"] == "quota")["decision"] == "taken"
    assert ai_replies_used(workspace) == 1

    second, blocked = answer(workspace, "And express delivery?")
    assert blocked.text == "A manager will answer you shortly." and blocked.status == Message.Status.SENT
    quota = next(s for s in blocked.trace if s["step"] == "quota")
    assert quota["decision"] == "blocked" and quota["code"] == "quota_exceeded"
    steps = [s["step"] for s in blocked.trace]
    assert "generate" not in steps and "knowledge" not in steps  # no AI call was made
    assert blocked.metadata["blocked"]["code"] == "quota_exceeded"
    assert second.status == Message.Status.ANSWERED
    assert second.status_reason.startswith("quota_exceeded: ")
    assert ai_replies_used(workspace) == 1


def test_at_the_limit_without_a_fallback_a_person_takes_over(workspace, make_agent):
    put_on_plan(workspace, plan_make(replies=0))
    make_agent()
    message, reply = answer(workspace, "Hello?")
    assert reply.status == Message.Status.SKIPPED and reply.status_reason.startswith("quota_exceeded: ")
    assert reply.trace[-1]["decision"] == "handoff" and reply.trace[-1]["code"] == "quota_exceeded"
    assert message.status == Message.Status.SKIPPED and message.status_reason.startswith("quota_exceeded: ")
    with workspace_scope(workspace.pk):
        assert Conversation.objects.get().status == Conversation.Status.HUMAN


def test_a_failed_generation_gives_its_reply_back(workspace, make_agent, fake_ai):
    put_on_plan(workspace, plan_make(replies=5))
    make_agent(model_provider="openai", model_id="gpt-4.1-mini")
    fake_ai.fail("500", times=None)
    _, reply = answer(workspace, "Hi")
    assert reply.status == Message.Status.FAILED
    assert next(s for s in reply.trace if s["step"] == "quota")["given_back"] is True
    assert ai_replies_used(workspace) == 0


def test_a_plan_that_allows_overage_keeps_answering_and_counts(workspace, make_agent, kb_article):
    kb_article()
    put_on_plan(workspace, plan_make("payg", replies=1, overage="allow"))
    make_agent(fallback_message="A manager will answer you shortly.")
    for n, chat in enumerate(("chat-1", "chat-2"), start=1):
        _, reply = answer(workspace, "How long does delivery take?", chat=chat)
        assert "3 business days" in reply.text
        assert next(s for s in reply.trace if s["step"] == "quota") == {
            "step": "quota",
            "ms": pytest.approx(0, abs=1000),
            "decision": "taken",
            "taken": 1,
            "used": n,
        }
    assert ai_replies_used(workspace) == 2
