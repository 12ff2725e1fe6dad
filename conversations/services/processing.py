"""The message processor (SPEC §4.1): new customer messages → one AI reply, with a visible trace.

    claim the unanswered messages → choose the agent → gates (pause, handoff keywords, reply limit,
    working hours) → triggers → plan quota → retrieve knowledge → build the prompt → generate (usage
    and budget recorded by the AI layer) → update rules → hold for approval, or queue to send → chains

Every step lands in the reply's trace with its timing; every failure ends in a visible state (the
reply `failed`, with the reason and a retry action), never in silence. A playground test may ignore
working hours and skip approval (services.playground); the trace records that it did. The reply's
metadata names the model that answered, and the agent's model it stood in for, if any.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accounts.services import notify
from agent_platform import realtime
from agent_platform.errors import DomainError
from agent_platform.tenancy import workspace_scope
from agents.exceptions import AgentNotFound
from agents.selectors import agent_cached, agent_config_get, agent_open_at, agent_route
from conversations.models import Conversation, Message
from conversations.services.approvals import reply_hold_for_approval
from conversations.services.delivery import message_send_claimed
from conversations.services.grounding import knowledge_retrieve
from conversations.services.handoff import conversation_handoff
from conversations.services.hooks import automation_hooks
from conversations.services.leases import lease_release, lease_take, reply_lease, reply_still_leased
from conversations.services.messages import message_set_status, messages_set_status, publish_message, replies_supersede
from conversations.services.playground import PlaygroundSwitches, playground_switches
from conversations.services.prompt import build_prompt, reply_citations, reply_model_record
from conversations.services.quota import quota_fallback, quota_give_back, quota_handoff, quota_take
from conversations.types import TriggerOutcome
from integrations.ai.services import generate
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import GenerationRequest, GenerationResult, Passage
from integrations.kommo.services import crm_context

if TYPE_CHECKING:
    from agents.models import Agent

logger = logging.getLogger(__name__)


class Trace:
    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        data: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            yield data
        finally:
            self.steps.append({"step": name, "ms": round((time.perf_counter() - started) * 1000, 1), **data})


def conversation_process(*, conversation_id: int) -> Message | None:
    """Claim the conversation's unanswered customer messages and answer them with one reply. The
    claim takes the reply's lease (services.leases), given back once the reply has settled."""
    leased: list[int] = []
    try:
        return _claim_and_answer(conversation_id, leased)
    finally:
        for reply_id in leased:
            lease_release(reply_id)


def _claim_and_answer(conversation_id: int, leased: list[int]) -> Message | None:
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_related("workspace").select_for_update(of=("self",)).get(pk=conversation_id)
        )
        pending = list(
            Message.objects.filter(
                conversation=conversation, direction=Message.Direction.IN, status=Message.Status.RECEIVED
            ).order_by("source_timestamp", "id")
        )
        if not pending:
            return None
        agent, reason = agent_route(
            channel=conversation.channel,
            pipeline_id=conversation.pipeline_id,
            stage_id=conversation.stage_id,
            assigned_agent_id=conversation.agent_id,
        )
        if agent is not None and conversation.agent_id != agent.pk:
            # Before the gate: a handoff it decides on (a keyword in the first message) is the agent's.
            conversation.agent = agent
            conversation.save(update_fields=["agent", "updated_at"])
        skip = _gate(conversation, agent, reason, pending, playground_switches(conversation, pending))
        if skip is not None:
            messages_set_status(pending, Message.Status.SKIPPED, skip)
            return None
        messages_set_status(pending, Message.Status.PROCESSING)
        replies_supersede(conversation_id=conversation.pk, message_ids=[m.pk for m in pending])
        reply = Message.objects.create(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            channel=conversation.channel,
            direction=Message.Direction.OUT,
            author=Message.Author.AI,
            text="",
            source_timestamp=timezone.now(),
            status=Message.Status.PROCESSING,
            answers=[m.pk for m in pending],
            trace=[{"step": "agent", "ms": 0, "agent": agent.pk, "name": agent.name, "why": reason}],
        )
        if lease_take(reply.pk):  # a new row's: free, held before the claim commits
            leased.append(reply.pk)
        publish_message(reply, "message.created")
        realtime.publish(
            conversation.workspace_id,
            "conversation.typing",
            {"conversation": conversation.pk, "author": "ai"},
            kind="conversation",
            obj_id=conversation.pk,
        )
    reply.conversation = conversation
    return _generate_reply(reply, agent, pending)


def _gate(
    conversation: Conversation, agent: Agent | None, reason: str, pending: list[Message], switches: PlaygroundSwitches
) -> str | None:
    """Why the AI must not answer now (None when it may)."""
    now = timezone.now()
    if agent is None:
        return reason
    if conversation.status == Conversation.Status.HUMAN:
        if conversation.ai_paused_until is None:
            return "A person handles this conversation (handed off)"
        if conversation.ai_paused_until > now:
            return f"AI paused until {conversation.ai_paused_until.isoformat(timespec='minutes')}: a person replied"
        conversation.status, conversation.ai_paused_until = Conversation.Status.OPEN, None
        conversation.save(update_fields=["status", "ai_paused_until", "updated_at"])
    text = " ".join(m.text for m in pending).casefold()
    keyword = next((k for k in agent.handoff_keywords if k and k.casefold() in text), None)
    if keyword:
        conversation_handoff(conversation=conversation, user=None, reason=f"keyword {keyword!r}")
        notify(
            workspace=conversation.workspace,
            kind="conversation_handed_off",
            title="A customer asked for a person",
            body=pending[-1].text[:300],
            payload={"conversation": conversation.pk, "keyword": keyword},
        )
        return f"Handed to a human: the customer wrote {keyword!r}"
    if (
        agent.max_ai_replies_per_conversation is not None
        and conversation.ai_reply_count >= agent.max_ai_replies_per_conversation
    ):
        conversation_handoff(conversation=conversation, user=None, reason="AI reply limit reached")
        return f"The agent's limit of {agent.max_ai_replies_per_conversation} AI replies is reached"
    # A playground test may ignore the hours; the reply's trace says so (_generate_reply).
    silent_outside_hours = agent.outside_hours_action == agent.OutsideHoursAction.SILENT
    if (
        silent_outside_hours
        and not switches.ignore_working_hours
        and not agent_open_at(agent=agent, time_zone=conversation.workspace.time_zone, at=now)
    ):
        return "Outside the agent's working hours"
    return None


def reply_generate(*, reply_id: int) -> Message | None:
    """Generate the text of an AI reply row anew (a retry, or the sweep's recovery of a reply whose
    worker died) and settle it: under its lease and only while it is `processing`, so a duplicate or
    redelivered task does nothing (None: another worker has it)."""
    with reply_lease(reply_id) as held:
        if not held:
            return None
        reply = Message.objects.select_related("conversation", "conversation__workspace").get(pk=reply_id)
        if reply.status != Message.Status.PROCESSING:
            return reply  # settled already
        return _regenerate(reply)


def _regenerate(reply: Message) -> Message:
    agent_id = next((step["agent"] for step in reply.trace if step.get("step") == "agent"), None)
    try:
        agent = agent_cached(agent_id=agent_id or reply.conversation.agent_id)
    except AgentNotFound:
        return _fail(reply, Trace(), "The agent of this reply no longer exists.", "agent_missing")
    pending = list(Message.objects.filter(pk__in=reply.answers).order_by("source_timestamp", "id"))
    return _generate_reply(reply, agent, pending)


def _generate_reply(reply: Message, agent: Agent, pending: list[Message]) -> Message:
    conversation = reply.conversation
    switches = playground_switches(conversation, pending)
    trace = Trace()
    trace.steps = [step for step in reply.trace if step.get("step") == "agent"]
    try:
        config = getattr(agent, "cached_config", None) or agent_config_get(agent_id=agent.pk)
        query = "\n".join(m.text for m in pending if m.text)
        with trace.step("triggers") as data:
            outcome = automation_hooks().customer_messages(conversation=conversation, agent=agent, messages=pending)
            data.update(outcome.trace())
        if outcome.stop_reply:
            return _stopped_by_trigger(reply, trace, outcome)

        open_now = agent_open_at(agent=agent, time_zone=conversation.workspace.time_zone, at=timezone.now())
        hours_matter = agent.outside_hours_action != agent.OutsideHoursAction.ANSWER
        if not open_now and hours_matter and switches.ignore_working_hours:
            why = "outside working hours: a playground test"
            trace.steps.append({"step": "working_hours", "ms": 0, "decision": "ignored", "why": why})
        elif not open_now and agent.outside_hours_action == agent.OutsideHoursAction.FALLBACK:
            with trace.step("decision") as data:
                data.update(decision="fallback_message", why="outside working hours")
            text = agent.fallback_message or "We will answer during working hours."
            return _settle(reply, agent, text, trace, switches)

        with trace.step("quota") as data:  # the plan's AI replies (generate checks the AI budget)
            blocked = quota_take(conversation=conversation, data=data)
        if blocked is not None and not agent.fallback_message:
            return quota_handoff(reply=reply, steps=trace.steps, exc=blocked)
        if blocked is not None:
            text = quota_fallback(reply=reply, agent=agent, pending=pending, exc=blocked)
            return _settle(reply, agent, text, trace, switches)

        with trace.step("knowledge") as data:
            passages = knowledge_retrieve(conversation, config["knowledge_categories"], query, pending)
            data.update(
                query=query[:200],
                categories=config["knowledge_categories"],
                chunks=[
                    {
                        "chunk_id": p.chunk_id,
                        "article_id": p.article_id,
                        "citation": p.citation,
                        "score": round(p.score, 4),
                        "relevance": p.relevance,
                    }
                    for p in passages
                ],
            )

        crm_fields: list[dict[str, Any]] = []
        readable = [field for field in config["crm_fields"] if field.get("can_read")]
        if readable:
            with trace.step("crm") as data:
                crm = crm_context(
                    lead_id=conversation.external_lead_id, contact_id=conversation.external_contact_id, allowed=readable
                )
                crm_fields = crm["fields"]
                data.update(fields=[f"{f['entity']}: {f['name']}" for f in crm_fields], source=crm["source"])

        with trace.step("prompt") as data:
            messages = build_prompt(agent, conversation, passages, exclude_ids={reply.pk}, crm_fields=crm_fields)
            data.update(
                messages=len(messages),
                prompt_tokens_estimate=sum(max(1, estimate_tokens(m["content"])) for m in messages),
            )

        with trace.step("generate") as data:
            result = _generate(agent, conversation, messages, passages)
            text, cited = reply_citations(result.text, passages)
            data.update(
                provider=result.provider,
                model=result.model,
                input_tokens=result.usage.input_tokens,
                output_tokens=result.usage.output_tokens,
                finish_reason=result.finish_reason,
                latency_ms=result.latency_ms,
                fallback_used=result.fallback_used,
                substituted_for=result.substituted_for,
                substitution=result.substitution_reason,
                # The passages the reply used (cited): what the UI shows as its sources.
                citations=[
                    {"chunk_id": p.chunk_id, "article_id": p.article_id, "file_id": p.file_id, "citation": p.citation}
                    for p in cited
                ],
            )
            reply.metadata = {**reply.metadata, "model": reply_model_record(result)}

        with trace.step("update_rules") as data:
            reply.text = text
            data.update(automation_hooks().ai_turn(conversation=conversation, agent=agent, reply=reply))
        text = text or agent.fallback_message
        if not text:
            raise DomainError("The model returned an empty reply and the agent has no fallback message.")
        return _settle(reply, agent, text, trace, switches)
    except DomainError as exc:
        return _fail(reply, trace, exc.detail, getattr(exc, "code", "error"))
    except Exception as exc:  # the reply must end in a visible state whatever broke
        logger.exception("reply generation crashed", extra={"message_id": reply.pk})
        return _fail(reply, trace, f"Internal error: {type(exc).__name__}", "internal_error")


def _settle(reply: Message, agent: Agent, text: str, trace: Trace, switches: PlaygroundSwitches) -> Message:
    with transaction.atomic():
        if not reply_still_leased(reply):
            return reply
        reply.text = text
        if agent.approval_required and switches.skip_approval:
            trace.steps.append(
                {"step": "approval", "ms": 0, "decision": "skipped", "why": "approval required: a playground test"}
            )
        if agent.approval_required and not switches.skip_approval:
            trace.steps.append(
                {
                    "step": "decision",
                    "ms": 0,
                    "decision": "pending_approval",
                    "timeout_minutes": agent.approval_timeout_minutes,
                }
            )
            reply.trace = trace.steps
            reply.save(update_fields=["text", "trace", "metadata", "updated_at"])
            reply_hold_for_approval(reply=reply, timeout_minutes=agent.approval_timeout_minutes)
        else:
            trace.steps.append({"step": "decision", "ms": 0, "decision": "send"})
            reply.trace = trace.steps
            # This commit claims the send (status `sending`, the attempt counted) and this same task
            # delivers right after it: a reply is not worth a second trip through the broker. A
            # failure a retry may fix goes on to the send task; a worker lost in between leaves the
            # reply to the stuck-work sweeper.
            message_set_status(
                reply,
                Message.Status.SENDING,
                text=text,
                trace=trace.steps,
                metadata=reply.metadata,
                send_attempts=reply.send_attempts + 1,
            )
            transaction.on_commit(lambda: _send_in_scope(reply))
    return reply


def _send_in_scope(reply: Message) -> None:
    """The send after the commit, in the reply's workspace: the commit may close a transaction opened
    outside any scope (a management command processing several workspaces' messages)."""
    with workspace_scope(reply.workspace_id):
        message_send_claimed(message=reply)


def _stopped_by_trigger(reply: Message, trace: Trace, outcome: TriggerOutcome) -> Message:
    """A fired trigger took this turn ("if triggered, return"): no AI reply, and the customer's messages
    say which trigger handled them."""
    names = ", ".join(str(fired.get("name")) for fired in outcome.fired if fired.get("stop_reply")) or "a trigger"
    reason = f"Handled by the trigger {names}; the AI did not answer"
    with transaction.atomic():
        trace.steps.append({"step": "decision", "ms": 0, "decision": "stopped_by_trigger", "why": reason})
        reply.trace = trace.steps
        reply.save(update_fields=["trace", "updated_at"])
        message_set_status(reply, Message.Status.SKIPPED, reason)
        messages_set_status(
            list(Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING)),
            Message.Status.SKIPPED,
            reason,
        )
    return reply


def _fail(reply: Message, trace: Trace, reason: str, code: str) -> Message:
    with transaction.atomic():
        if not reply_still_leased(reply):
            return reply
        quota_give_back(conversation=reply.conversation, steps=trace.steps)
        trace.steps.append({"step": "decision", "ms": 0, "decision": "failed", "code": code, "reason": reason})
        reply.trace = trace.steps
        reply.save(update_fields=["trace", "updated_at"])
        message_set_status(reply, Message.Status.FAILED, reason, failure_stage="processing")
        # The customer's messages wait for the retry (or the next message) to be answered.
        Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING).update(
            status=Message.Status.RECEIVED
        )
    return reply


def _generate(
    agent: Agent, conversation: Conversation, messages: list[dict], passages: list[Passage]
) -> GenerationResult:
    request = GenerationRequest(
        messages=messages,
        provider=agent.model_provider,
        model=agent.model_id,
        temperature=agent.temperature,
        max_tokens=agent.max_tokens,
        passages=passages,
    )
    fallback = f"{agent.fallback_model_provider}:{agent.fallback_model_id}" if agent.fallback_model_id else None
    return generate(
        workspace=conversation.workspace,
        request=request,
        purpose="reply",
        agent_id=agent.pk,
        conversation_id=conversation.pk,
        fallback_model=fallback,
    )
