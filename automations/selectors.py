"""Reads of the automations app: triggers with their run counts, their logs, and the vocabulary the
trigger editor builds conditions and actions from."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from automations.conditions import FACTS, OPERATORS
from automations.models import ActionKind, Trigger, TriggerAction, TriggerLog
from automations.services.actions import ACTION_PARAMS

FACT_LABELS = {
    "message.text": "Message text",
    "message.language": "Message language",
    "conversation.channel": "Channel",
    "conversation.ai_replies": "AI replies in the conversation",
    "customer.silent_minutes": "Customer silent for (minutes)",
    "lead.pipeline_id": "Lead's pipeline",
    "lead.stage_id": "Lead's stage",
    "lead.tags": "Lead's tags",
    "lead.field": "Lead's CRM field",
    "time.weekday": "Weekday (1 = Monday)",
    "time.local": "Local time (HH:MM)",
}


def trigger_list() -> QuerySet[Trigger]:
    fired = Q(logs__outcome=TriggerLog.Outcome.FIRED)
    return (
        Trigger.objects.prefetch_related(Prefetch("actions", queryset=TriggerAction.objects.order_by("order", "id")))
        .annotate(fired_total=Count("logs", filter=fired), last_fired_at=Max("logs__created_at", filter=fired))
        .order_by("priority", "id")
    )


def trigger_logs(*, trigger: Trigger, outcome: str | None = None) -> QuerySet[TriggerLog]:
    logs = TriggerLog.objects.filter(trigger=trigger).order_by("-created_at", "-id")
    return logs.filter(outcome=outcome) if outcome else logs


def trigger_vocabulary() -> dict[str, Any]:
    """What a condition may test (facts with their operators) and what an action may do (kinds with
    their parameters), for the editor."""
    return {
        "facts": [
            {"name": name, "kind": kind, "operators": sorted(OPERATORS[kind]), "label": FACT_LABELS.get(name, name)}
            for name, kind in FACTS.items()
        ],
        "actions": [
            {
                "kind": kind.value,
                "label": kind.label,
                "params": [
                    {"name": name, "type": type_, "required": required, **({"choices": choices} if choices else {})}
                    for name, type_, required, choices in ACTION_PARAMS[kind]
                ],
            }
            for kind in ActionKind
        ],
        "limit_scopes": list(Trigger.LimitScope.values),
        "limit_periods": list(Trigger.LimitPeriod.values),
    }
