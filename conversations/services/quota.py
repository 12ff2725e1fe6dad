"""The plan's AI-reply quota in the message processor: take one reply from the workspace's quota
before generating (billing.services.quota_consume, atomic), give it back when the generation fails,
and, when the quota is used up, settle the turn visibly: the reply's trace and the customer's
messages carry the stable code `quota_exceeded` with the reason, and the customer gets the agent's
fallback message (when it has one) or the conversation is handed to a person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from billing.exceptions import QuotaLimitReached
from billing.services import quota_consume, quota_release
from billing.types import QuotaMetric
from conversations.models import Conversation, Message
from conversations.services.handoff import conversation_handoff
from conversations.services.messages import message_set_status, messages_set_status

if TYPE_CHECKING:
    from agents.models import Agent


def quota_take(*, conversation: Conversation, data: dict[str, Any]) -> QuotaLimitReached | None:
    """Take one AI reply from the quota (filling the trace step's `data`); the refusal when it is used up."""
    try:
        used = quota_consume(workspace=conversation.workspace, metric=QuotaMetric.AI_REPLIES)
    except QuotaLimitReached as exc:
        data.update(decision="blocked", code=exc.code, why=exc.detail, limit=exc.extra.get("limit"))
        return exc
    data.update(decision="taken", taken=1, used=used)
    return None


def quota_give_back(*, conversation: Conversation, steps: list[dict[str, Any]]) -> None:
    """The generation failed after its reply was taken from the quota: return it (a retry takes it again)."""
    if any(step.get("step") == "quota" and step.get("taken") for step in steps):
        quota_release(workspace=conversation.workspace, metric=QuotaMetric.AI_REPLIES)
        for step in steps:
            if step.get("step") == "quota":
                step["taken"], step["given_back"] = 0, True


def quota_reason(exc: QuotaLimitReached) -> str:
    return f"{exc.code}: {exc.detail}"


def quota_fallback(*, reply: Message, agent: Agent, pending: list[Message], exc: QuotaLimitReached) -> str:
    """The quota is used up and the agent has a fallback message: it goes out instead of an AI reply.
    The customer's messages keep the reason once answered; the reply's metadata says why."""
    messages_set_status(pending, Message.Status.PROCESSING, quota_reason(exc))
    reply.metadata = {**reply.metadata, "blocked": {"code": exc.code, "reason": exc.detail, **exc.extra}}
    return agent.fallback_message


def quota_handoff(*, reply: Message, steps: list[dict[str, Any]], exc: QuotaLimitReached) -> Message:
    """The quota is used up and the agent has no fallback message: a person takes the conversation."""
    reason = quota_reason(exc)
    with transaction.atomic():
        conversation = reply.conversation
        conversation_handoff(conversation=conversation, user=None, reason=reason, unanswered=False)
        steps.append({"step": "decision", "ms": 0, "decision": "handoff", "code": exc.code, "why": exc.detail})
        reply.trace = steps
        reply.metadata = {**reply.metadata, "blocked": {"code": exc.code, "reason": exc.detail, **exc.extra}}
        reply.save(update_fields=["trace", "metadata", "updated_at"])
        message_set_status(reply, Message.Status.SKIPPED, reason)
        messages_set_status(
            list(Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING)),
            Message.Status.SKIPPED,
            reason,
        )
    return reply
