"""The trigger engine (SPEC §4.2): the facts of a conversation, the AI judge of plain-language
conditions, run limits, and one log row for every evaluation (fired, not matched, limited, failed,
or a dry run's "tested").

The order of one evaluation: the run limit first (a trigger at its limit costs no model call), the
condition (structured tests, then the model), the limit again under the trigger's row lock (two
workers must not both fire the last allowed run), the log row, the actions, and the chains that stop
when a trigger fires.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agent_platform.errors import DomainError
from automations.conditions import Judgement, Verdict, evaluate
from automations.models import Chain, Trigger, TriggerLog
from automations.services.actions import ActionContext, action_summary, actions_run
from automations.services.chains import chains_stop_on
from automations.services.triggers import silence_minutes
from billing.services import activity_record
from conversations.types import TriggerOutcome
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest
from integrations.kommo.selectors import lead_snapshot
from knowledge.selectors import text_language

if TYPE_CHECKING:
    from accounts.models import Workspace
    from agents.models import Agent
    from conversations.models import Conversation, Message

log = logging.getLogger(__name__)

JUDGE_SCHEMA_NAME = "condition_judgement"  # the offline provider answers this schema by its word rule
JUDGE_SCHEMA = {
    "type": "object",
    "properties": {
        "holds": {"type": "boolean"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string"},
    },
    "required": ["holds", "confidence", "reason"],
    "additionalProperties": False,
}
JUDGE_MESSAGES = "Customer's messages (latest last):"
JUDGE_INSTRUCTIONS = (
    "You check one condition against a customer's latest messages to a business. Decide whether the "
    "condition holds for these messages. Answer in JSON: holds (true or false), confidence (0 to 1) and "
    "reason (one short sentence, in English)."
)


def conversation_facts(
    *,
    workspace: Workspace,
    conversation: Conversation | None,
    text: str,
    now: datetime,
    silent_since: datetime | None = None,
) -> dict[str, Any]:
    """What a condition may test on this conversation now (automations.conditions.FACTS); a dry run
    without a conversation has only the text and the time. The lead's facts come from our CRM
    snapshot (no call to Kommo); the time is the workspace's local time."""
    local = now.astimezone(ZoneInfo(workspace.time_zone or "UTC"))
    lead = (lead_snapshot(lead_id=conversation.external_lead_id) if conversation else None) or {}
    silent = 0 if silent_since is None else max(0, int((now - silent_since).total_seconds() // 60))
    return {
        "message.text": text,
        "message.language": text_language(text) if text else "",
        "conversation.channel": conversation.channel if conversation else "",
        "conversation.ai_replies": conversation.ai_reply_count if conversation else 0,
        "customer.silent_minutes": silent,
        "lead.pipeline_id": lead.get("pipeline_id") or (conversation.pipeline_id if conversation else None),
        "lead.stage_id": lead.get("status_id") or (conversation.stage_id if conversation else None),
        "lead.tags": list(lead.get("tags") or []),
        "lead.field": {int(k): v for k, v in (lead.get("fields") or {}).items() if str(k).isdigit()},
        "time.weekday": local.isoweekday(),
        "time.local": local.strftime("%H:%M"),
    }


class AIJudge:
    """A `conditions.Judge` asking the agent's model (structured output) and remembering each answer
    for the log. A model that fails raises: the evaluation is logged as failed."""

    def __init__(self, workspace: Workspace, conversation_id: int | None, agent: Agent | None, text: str) -> None:
        self.workspace, self.conversation_id, self.agent, self.text = workspace, conversation_id, agent, text
        self.answers: list[dict[str, Any]] = []

    def __call__(self, question: str) -> Judgement:
        agent = self.agent
        request = GenerationRequest(
            messages=[
                {"role": "system", "content": JUDGE_INSTRUCTIONS},
                {"role": "user", "content": f"Condition: {question}\n\n{JUDGE_MESSAGES}\n{self.text}"},
            ],
            provider=agent.model_provider if agent else "",
            model=agent.model_id if agent else "",
            temperature=0,
            max_tokens=200,
            json_schema=JUDGE_SCHEMA,
            json_schema_name=JUDGE_SCHEMA_NAME,
        )
        fallback = None
        if agent and agent.fallback_model_id:
            fallback = f"{agent.fallback_model_provider}:{agent.fallback_model_id}"
        result = generate(
            workspace=self.workspace,
            request=request,
            purpose="trigger",
            agent_id=agent.pk if agent else None,
            conversation_id=self.conversation_id,
            fallback_model=fallback,
        )
        answer = result.parsed if isinstance(result.parsed, dict) else {}
        judgement = Judgement(
            answer=bool(answer.get("holds")),
            confidence=min(1.0, max(0.0, float(answer.get("confidence") or 0))),
            reason=str(answer.get("reason") or "")[:300],
        )
        self.answers.append(
            {
                "condition": question,
                "holds": judgement.answer,
                "confidence": judgement.confidence,
                "reason": judgement.reason,
                "model": f"{result.provider}:{result.model}",
            }
        )
        return judgement


@dataclass
class Evaluation:
    """One trigger's evaluation, before it is logged."""

    outcome: str
    why: str
    verdict: dict[str, Any] = field(default_factory=dict)
    matched: bool = False


def _verdict_record(verdict: Verdict | None, judge: AIJudge | None) -> dict[str, Any]:
    tests = []
    for line in verdict.why if verdict else []:
        if line.startswith("“"):  # a plain-language test: its answer is in "ai"
            continue
        condition, _, answer = line.rpartition(": ")
        tests.append({"condition": condition, "holds": answer == "yes"})
    return {"tests": tests, "ai": judge.answers if judge else []}


def _period_start(period: str, now: datetime, time_zone: str) -> datetime | None:
    local = now.astimezone(ZoneInfo(time_zone or "UTC"))
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Trigger.LimitPeriod.DAY:
        return day
    if period == Trigger.LimitPeriod.WEEK:
        return day - timedelta(days=local.weekday())
    if period == Trigger.LimitPeriod.MONTH:
        return day.replace(day=1)
    return None


def limit_reached(trigger: Trigger, conversation: Conversation, *, now: datetime) -> str:
    """Why the trigger may not fire again here ("" when it may): its fired runs in the limit's scope
    (conversation, or every conversation of the lead) and period (calendar day, week, month in the
    workspace's time zone, or ever). Dry runs are logged as "tested" and never count."""
    if trigger.run_limit is None:
        return ""
    fired = TriggerLog.objects.filter(trigger=trigger, outcome=TriggerLog.Outcome.FIRED)
    lead = conversation.external_lead_id
    if trigger.run_limit_scope == Trigger.LimitScope.LEAD and lead:
        fired = fired.filter(lead_id=lead)
    else:
        fired = fired.filter(conversation=conversation)
    since = _period_start(trigger.run_limit_period, now, conversation.workspace.time_zone)
    if since is not None:
        fired = fired.filter(created_at__gte=since)
    if fired.count() < trigger.run_limit:
        return ""
    period = trigger.get_run_limit_period_display().lower()
    return f"Run limit reached: {trigger.run_limit} {trigger.get_run_limit_scope_display().lower()}, {period}"


def condition_check(
    trigger: Trigger, conversation: Conversation | None, agent: Agent | None, facts: dict[str, Any]
) -> Evaluation:
    """Evaluate the trigger's condition (asking the model when needed); a model that fails is "failed"."""
    judge = AIJudge(trigger.workspace, conversation.pk if conversation else None, agent, facts["message.text"])
    try:
        verdict = evaluate(trigger.condition, facts, judge)
    except DomainError as exc:
        return Evaluation(TriggerLog.Outcome.FAILED, f"The AI judge failed: {exc.detail}", _verdict_record(None, judge))
    record = _verdict_record(verdict, judge)
    lines = "; ".join(verdict.why)
    if verdict.matched:
        return Evaluation(TriggerLog.Outcome.FIRED, lines, record, matched=True)
    return Evaluation(TriggerLog.Outcome.NOT_MATCHED, lines, record)


def trigger_evaluate(
    trigger: Trigger,
    conversation: Conversation,
    agent: Agent | None,
    facts: dict[str, Any],
    *,
    event: str,
    message: Message | None,
    now: datetime,
) -> TriggerLog:
    """Evaluate one trigger on the conversation and, when it holds within its limit, run its actions;
    the evaluation is logged whatever its outcome."""
    started = time.perf_counter()
    base = {"trigger": trigger, "conversation": conversation, "message": message, "event": event}
    base["lead_id"] = conversation.external_lead_id
    if why := limit_reached(trigger, conversation, now=now):
        result = Evaluation(TriggerLog.Outcome.LIMITED, why)
    else:
        result = condition_check(trigger, conversation, agent, facts)
    if not result.matched:
        return _log(base, result, [], started)
    with transaction.atomic():
        Trigger.objects.select_for_update().filter(pk=trigger.pk).first()  # the limit's count is serialised
        if why := limit_reached(trigger, conversation, now=now):
            return _log(base, Evaluation(TriggerLog.Outcome.LIMITED, why, result.verdict), [], started)
        entry = _log(base, result, [], started)
        activity_record(workspace_id=conversation.workspace_id, agent_id=agent and agent.pk, trigger_fires=1)
    context = ActionContext(
        conversation=conversation,
        agent=agent,
        origin={"kind": "trigger", "trigger": trigger.pk, "name": trigger.name, "log": entry.pk},
    )
    entry.actions = actions_run(context, [(a.kind, a.params) for a in trigger.actions.all()])
    entry.duration_ms = int((time.perf_counter() - started) * 1000)
    entry.save(update_fields=["actions", "duration_ms"])
    chains_stop_on(conversation=conversation, event=Chain.StopOn.TRIGGER_FIRED, detail=trigger.name)
    return entry


def _log(base: dict[str, Any], result: Evaluation, actions: list, started: float) -> TriggerLog:
    conversation = base["conversation"]
    return TriggerLog.objects.create(
        workspace_id=conversation.workspace_id,
        outcome=result.outcome,
        why=result.why[:4000],
        verdict=result.verdict,
        actions=actions,
        duration_ms=int((time.perf_counter() - started) * 1000),
        **base,
    )


def triggers_for(agent: Agent | None) -> list[Trigger]:
    """The active triggers of the agent (and those of every agent), in priority order."""
    triggers = Trigger.objects.filter(is_active=True).prefetch_related("actions").order_by("priority", "id")
    return list(triggers.filter(Q(agent=None) | Q(agent=agent)) if agent else triggers.filter(agent=None))


def triggers_on_messages(*, conversation: Conversation, agent: Agent, messages: list[Message]) -> TriggerOutcome:
    """The processor's hook: evaluate the agent's triggers (silence triggers wait for their timers) on
    the turn's customer messages. A fired trigger with `stop_ai_reply` ends the evaluation and the turn."""
    now = timezone.now()
    outcome = TriggerOutcome()
    text = "\n".join(m.text for m in messages if m.text)
    facts = conversation_facts(workspace=conversation.workspace, conversation=conversation, text=text, now=now)
    last = messages[-1] if messages else None
    for trigger in triggers_for(agent):
        if silence_minutes(trigger.condition) is not None:
            continue
        entry = trigger_evaluate(trigger, conversation, agent, facts, event="message", message=last, now=now)
        outcome.evaluated += 1
        if entry.outcome == TriggerLog.Outcome.FIRED:
            outcome.fired.append(
                {"trigger": trigger.pk, "name": trigger.name, "log": entry.pk, "stop_reply": trigger.stop_ai_reply}
            )
            if trigger.stop_ai_reply:
                outcome.stop_reply = True
                break
    return outcome


def trigger_test(*, trigger: Trigger, text: str, conversation: Conversation | None) -> dict[str, Any]:
    """A dry run: would the trigger fire on `text` (in `conversation`, or a blank one)? Nothing is
    executed; the run is logged as "tested" and never counts towards the run limit."""
    started = time.perf_counter()
    now = timezone.now()
    facts = conversation_facts(workspace=trigger.workspace, conversation=conversation, text=text, now=now)
    agent = trigger.agent or (conversation.agent if conversation else None)
    limited = limit_reached(trigger, conversation, now=now) if conversation else ""
    result = condition_check(trigger, conversation, agent, facts)
    outcome = result.outcome
    if outcome == TriggerLog.Outcome.FIRED and limited:
        outcome, result.why = TriggerLog.Outcome.LIMITED, f"{result.why}; {limited}"
    TriggerLog.objects.create(
        workspace_id=trigger.workspace_id,
        trigger=trigger,
        conversation=conversation,
        lead_id=conversation.external_lead_id if conversation else "",
        event="test",
        outcome=TriggerLog.Outcome.TESTED,
        why=f"{outcome}: {result.why}"[:4000],
        verdict={**result.verdict, "text": text[:2000]},
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    return {
        "holds": result.matched,
        "outcome": outcome if outcome != TriggerLog.Outcome.FAILED else TriggerLog.Outcome.NOT_MATCHED,
        "why": result.why,
        "verdict": result.verdict,
        "actions": [{"kind": a.kind, "summary": action_summary(a.kind, a.params)} for a in trigger.actions.all()]
        if result.matched
        else [],
    }
