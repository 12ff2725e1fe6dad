"""The message processor (SPEC §4.1): new customer messages → one AI reply, with a visible trace.

    claim the unanswered messages → choose the agent → gates (pause, handoff keywords, reply limit,
    working hours) → triggers → retrieve knowledge → build the prompt → generate (usage and budget
    are recorded by the AI layer) → update rules → hold for approval, or queue for sending → chains

Every step lands in the reply's trace with its timing; every failure ends in a visible state (the
reply `failed`, with the reason and a retry action), never in silence.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.services import notify
from agent_platform import realtime
from agent_platform.errors import DomainError
from agents.models import Agent
from agents.selectors import agent_cached, agent_config_get, agent_routing
from agents.working_hours import is_open
from automations import services as automations
from conversations import services
from conversations.models import Conversation, Message

logger = logging.getLogger(__name__)

HISTORY_TOKEN_BUDGET = 2000
KNOWLEDGE_TOKEN_BUDGET = 1500
KNOWLEDGE_CHUNKS = 5


class Trace:
    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []

    @contextmanager
    def step(self, name: str):
        data: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            yield data
        finally:
            self.steps.append({"step": name, "ms": round((time.perf_counter() - started) * 1000, 1), **data})


def approx_tokens(text: str) -> int:
    return max(1, len(text) // 4)


# --- agent selection -----------------------------------------------------------------------------


def agent_for(conversation: Conversation) -> tuple[Agent | None, str]:
    """The agent that answers this conversation, and why (read from the cached routing table)."""
    if conversation.channel == "playground" and conversation.agent_id:
        return agent_cached(agent_id=conversation.agent_id), "the playground conversation's agent"
    for route in agent_routing():
        if conversation.channel not in route["channels"]:
            continue
        if not route["pipelines"]:
            reason = f"active on {conversation.channel}, every pipeline"
        elif conversation.pipeline_id is None:
            continue
        else:
            match = next(
                (stages for pipeline, stages in route["pipelines"] if pipeline == conversation.pipeline_id), None
            )
            if match is None or (match and conversation.stage_id not in match):
                continue
            reason = (
                f"active on {conversation.channel}, pipeline {conversation.pipeline_id} stage {conversation.stage_id}"
            )
        if conversation.agent_id == route["id"]:
            reason += " (already assigned)"
        return agent_cached(agent_id=route["id"]), reason
    return None, f"no active agent answers {conversation.channel} in this pipeline stage"


# --- the pipeline --------------------------------------------------------------------------------


def conversation_process(*, conversation_id: int) -> Message | None:
    """Claim the conversation's unanswered customer messages and answer them with one reply."""
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
        agent, reason = agent_for(conversation)
        skip = _gate(conversation, agent, reason, pending)
        if skip is not None:
            services.messages_set_status(pending, Message.Status.SKIPPED, skip)
            return None
        if conversation.agent_id != agent.pk:
            conversation.agent = agent
            conversation.save(update_fields=["agent", "updated_at"])
        services.messages_set_status(pending, Message.Status.PROCESSING)
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
        services.publish_message(reply, "message.created")
        realtime.publish(
            conversation.workspace_id,
            "conversation.typing",
            {"conversation": conversation.pk, "author": "ai"},
            kind="conversation",
            obj_id=conversation.pk,
        )
    reply.conversation = conversation
    return _generate_reply(reply, agent, pending)


def _gate(conversation: Conversation, agent: Agent | None, reason: str, pending: list[Message]) -> str | None:
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
        services.conversation_handoff(conversation=conversation, user=None, reason=f"keyword {keyword!r}")
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
        services.conversation_handoff(conversation=conversation, user=None, reason="AI reply limit reached")
        return f"The agent's limit of {agent.max_ai_replies_per_conversation} AI replies is reached"
    silent_outside_hours = agent.outside_hours_action == Agent.OutsideHoursAction.SILENT
    if silent_outside_hours and not is_open(agent.working_hours, conversation.workspace.time_zone, now):
        return "Outside the agent's working hours"
    return None


def reply_generate(*, reply_id: int) -> Message:
    """Generate the text of an AI reply row anew (a retry) and settle it."""
    reply = Message.objects.select_related("conversation", "conversation__workspace").get(pk=reply_id)
    agent_id = next((step["agent"] for step in reply.trace if step.get("step") == "agent"), None)
    try:
        agent = agent_cached(agent_id=agent_id or reply.conversation.agent_id)
    except Agent.DoesNotExist:
        return _fail(reply, Trace(), "The agent of this reply no longer exists.", "agent_missing")
    pending = list(Message.objects.filter(pk__in=reply.answers).order_by("source_timestamp", "id"))
    return _generate_reply(reply, agent, pending)


def _generate_reply(reply: Message, agent: Agent, pending: list[Message]) -> Message:
    conversation = reply.conversation
    trace = Trace()
    trace.steps = [step for step in reply.trace if step.get("step") == "agent"]
    try:
        config = getattr(agent, "cached_config", None) or agent_config_get(agent_id=agent.pk)
        query = "\n".join(m.text for m in pending if m.text)

        with trace.step("triggers") as data:
            data.update(
                automations.triggers_check(
                    workspace_id=reply.workspace_id, conversation_id=conversation.pk, message_ids=list(reply.answers)
                )
            )
            automations.chains_on_customer_message(workspace_id=reply.workspace_id, conversation_id=conversation.pk)

        if (
            not is_open(agent.working_hours, conversation.workspace.time_zone, timezone.now())
            and agent.outside_hours_action == Agent.OutsideHoursAction.FALLBACK
        ):
            with trace.step("decision") as data:
                data.update(decision="fallback_message", why="outside working hours")
            return _settle(reply, agent, agent.fallback_message or "We will answer during working hours.", trace)

        with trace.step("knowledge") as data:
            chunks = _retrieve(conversation, config["knowledge_categories"], query)
            data.update(
                query=query[:200],
                categories=config["knowledge_categories"],
                chunks=[{k: c.get(k) for k in ("chunk_id", "article_id", "citation", "score")} for c in chunks],
            )

        with trace.step("prompt") as data:
            messages = build_prompt(agent, conversation, chunks, exclude_ids={reply.pk})
            data.update(
                messages=len(messages), prompt_tokens_estimate=sum(approx_tokens(m["content"]) for m in messages)
            )

        with trace.step("generate") as data:
            result = _generate(agent, conversation, messages, chunks)
            data.update(
                provider=result.provider,
                model=result.model,
                input_tokens=result.usage.input_tokens,
                output_tokens=result.usage.output_tokens,
                finish_reason=result.finish_reason,
                latency_ms=result.latency_ms,
                fallback_used=result.fallback_used,
            )

        with trace.step("update_rules") as data:
            data.update(
                automations.update_rules_apply(
                    workspace_id=reply.workspace_id, agent_id=agent.pk, conversation_id=conversation.pk
                )
            )
        text = result.text.strip() or agent.fallback_message
        if not text:
            raise DomainError("The model returned an empty reply and the agent has no fallback message.")
        return _settle(reply, agent, text, trace)
    except DomainError as exc:
        return _fail(reply, trace, exc.detail, getattr(exc, "code", "error"))
    except Exception as exc:  # the reply must end in a visible state whatever broke
        logger.exception("reply generation crashed", extra={"message_id": reply.pk})
        return _fail(reply, trace, f"Internal error: {type(exc).__name__}", "internal_error")


def _settle(reply: Message, agent: Agent, text: str, trace: Trace) -> Message:
    with transaction.atomic():
        reply.text = text
        if agent.approval_required:
            trace.steps.append(
                {
                    "step": "decision",
                    "ms": 0,
                    "decision": "pending_approval",
                    "timeout_minutes": agent.approval_timeout_minutes,
                }
            )
            reply.trace = trace.steps
            reply.save(update_fields=["text", "trace", "updated_at"])
            services.reply_hold_for_approval(reply=reply, timeout_minutes=agent.approval_timeout_minutes)
        else:
            trace.steps.append({"step": "decision", "ms": 0, "decision": "send"})
            reply.trace = trace.steps
            # This commit claims the send (status `sending`, the attempt counted) and this same task
            # delivers right after it: a reply is not worth a second trip through the broker. A
            # failure a retry may fix goes on to the send task; a worker lost in between leaves the
            # reply to the stuck-work sweeper.
            services.message_set_status(
                reply, Message.Status.SENDING, text=text, trace=trace.steps, send_attempts=reply.send_attempts + 1
            )
            transaction.on_commit(lambda: services.message_send_claimed(message=reply))
    return reply


def _fail(reply: Message, trace: Trace, reason: str, code: str) -> Message:
    with transaction.atomic():
        trace.steps.append({"step": "decision", "ms": 0, "decision": "failed", "code": code, "reason": reason})
        reply.trace = trace.steps
        reply.save(update_fields=["trace", "updated_at"])
        services.message_set_status(reply, Message.Status.FAILED, reason, failure_stage="processing")
        # The customer's messages wait for the retry (or the next message) to be answered.
        Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING).update(
            status=Message.Status.RECEIVED
        )
    return reply


# --- collaborators -------------------------------------------------------------------------------


def _retrieve(conversation: Conversation, category_ids: list[int], query: str) -> list[dict[str, Any]]:
    """Knowledge passages for the question, within the agent's categories (all when none is set)."""
    from knowledge.selectors import retrieve

    if not query.strip():
        return []
    results = retrieve(
        workspace=conversation.workspace,
        query=query,
        category_ids=category_ids or None,
        k=KNOWLEDGE_CHUNKS,
        token_budget=KNOWLEDGE_TOKEN_BUDGET,
    )
    return [_chunk_dict(item) for item in results]


def _chunk_dict(item: Any) -> dict[str, Any]:
    """A retrieved passage as the prompt, the trace and the offline model see it."""
    where = [item.article_title]
    if item.file_name:
        where.append(item.file_name + (f", p. {item.page}" if item.page else ""))
    if item.heading and item.heading != item.article_title:
        where.append(item.heading)
    return {
        "text": item.text,
        "title": item.article_title,
        "citation": " › ".join(where),
        "score": round(item.score, 4),
        "article_id": item.article_id,
        "file_id": item.file_id,
        "chunk_id": item.chunk_id,
        "char_start": item.char_start,
        "char_end": item.char_end,
    }


def build_prompt(agent: Agent, conversation: Conversation, chunks: list[dict], exclude_ids: set[int]) -> list[dict]:
    """System instructions with the knowledge and language, then the conversation within a token budget."""
    system = [agent.instructions.strip() or "You are a helpful assistant for this business."]
    if agent.language and agent.language != "auto":
        system.append(f"Always answer in the language with code {agent.language!r}.")
    else:
        system.append("Answer in the customer's language.")
    if chunks:
        lines = [f"[{i}] {c.get('title') or ''}: {c.get('text') or ''}" for i, c in enumerate(chunks, 1)]
        system.append(
            "Answer from this knowledge; cite passages as [n]. If it does not contain the answer, "
            "say so and offer a human.\n" + "\n".join(lines)
        )
    else:
        system.append("No knowledge-base passage matched: do not invent facts; offer to connect a human.")
    history: list[dict] = []
    budget = HISTORY_TOKEN_BUDGET
    recent = (
        Message.objects.filter(conversation=conversation)
        .exclude(pk__in=exclude_ids)
        .exclude(text="")
        .exclude(status__in=[Message.Status.REJECTED, Message.Status.FAILED, Message.Status.PENDING_APPROVAL])
        .order_by("-source_timestamp", "-id")[:50]
    )
    for message in recent:
        cost = approx_tokens(message.text)
        if cost > budget:
            break
        budget -= cost
        if message.author == Message.Author.CUSTOMER:
            history.append({"role": "user", "content": message.text})
        elif message.author == Message.Author.HUMAN:
            history.append({"role": "assistant", "content": f"[a person from the team wrote] {message.text}"})
        else:
            history.append({"role": "assistant", "content": message.text})
    return [{"role": "system", "content": "\n\n".join(system)}, *reversed(history)]


def _generate(agent: Agent, conversation: Conversation, messages: list[dict], chunks: list[dict]):
    from integrations.ai.services import generate
    from integrations.ai.types import GenerationRequest

    request = GenerationRequest(
        messages=messages,
        provider=agent.model_provider,
        model=agent.model_id,
        temperature=agent.temperature,
        max_tokens=agent.max_tokens,
        context_chunks=[
            {"text": c.get("text") or "", "title": c.get("title") or "", "citation": str(c.get("citation") or "")}
            for c in chunks
        ],
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
