"""Reads of the automations app: triggers with their run counts, their logs, the vocabulary the
trigger editor builds conditions and actions from, the update rules' field writes as people read
them, and chains with their steps and runs with their timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from automations.conditions import FACTS, OPERATORS
from automations.models import (
    ActionKind,
    Chain,
    ChainRun,
    ChainRunStep,
    ChainStep,
    ChainStepAction,
    FieldWrite,
    Trigger,
    TriggerAction,
    TriggerLog,
)
from automations.services.actions import ACTION_PARAMS
from billing.types import AttentionItem, AttentionSeverity
from integrations.kommo.selectors import field_list

if TYPE_CHECKING:
    from conversations.models import Conversation

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


FIELD_WRITES_SHOWN = 200
ENTITY_PATHS = {"lead": "leads", "contact": "contacts"}


def field_write_list(*, conversation: Conversation) -> QuerySet[FieldWrite]:
    """The conversation's field updates, newest first (the latest FIELD_WRITES_SHOWN)."""
    return (
        FieldWrite.objects.filter(conversation=conversation)
        .select_related("rule", "undone_by")
        .order_by("-created_at", "-id")[:FIELD_WRITES_SHOWN]
    )


def field_writes_superseded(writes: list[FieldWrite]) -> set[int]:
    """The written rows (of `writes`, newest first) a later write of the same field replaced: undoing
    one would clobber the later value, so only the latest can be undone."""
    seen: set[tuple[str, str, str]] = set()
    superseded: set[int] = set()
    for write in writes:
        if write.status != FieldWrite.Status.WRITTEN:
            continue
        key = (write.entity, write.entity_id, str(write.field_id or write.field_code))
        if key in seen:
            superseded.add(write.pk)
        seen.add(key)
    return superseded


def field_options() -> dict[tuple[str, str], dict[str, str]]:
    """Every synced field's enum options by (entity, field id or code): id → name (one query)."""
    options: dict[tuple[str, str], dict[str, str]] = {}
    for field in field_list(include_deleted=True).only("entity", "kommo_id", "code", "enums"):
        names = {str(e.get("id")): str(e.get("value")) for e in field.enums or []}
        entity = next((name for name, path in ENTITY_PATHS.items() if path == field.entity), field.entity)
        options[(entity, str(field.kommo_id))] = names
        if field.code:
            options[(entity, field.code)] = names
    return options


def values_text(write: FieldWrite, values: list | None, options: dict[tuple[str, str], dict[str, str]]) -> str:
    """Kommo's `values` list as a person reads it: enum options by name, dates as dates, yes/no."""
    if not values:
        return ""
    names = options.get((write.entity, str(write.field_id or write.field_code)), {})
    return ", ".join(_value_text(write.field_type, value, names) for value in values if isinstance(value, dict))


def _value_text(field_type: str, value: dict[str, Any], names: dict[str, str]) -> str:
    if value.get("enum_id") is not None and field_type != "multitext":
        return names.get(str(value["enum_id"]), str(value.get("value") or f"#{value['enum_id']}"))
    raw = value.get("value")
    if field_type in ("date", "birthday", "date_time") and _is_number(raw):
        moment = datetime.fromtimestamp(int(float(raw)), tz=UTC)
        return moment.strftime("%Y-%m-%d %H:%M") if field_type == "date_time" else moment.date().isoformat()
    if field_type == "checkbox":
        return "yes" if str(raw).casefold() in ("true", "1") else "no"
    return "" if raw is None else str(raw)


def _is_number(raw: Any) -> bool:
    try:
        float(raw)
    except (TypeError, ValueError):
        return False
    return not isinstance(raw, bool)


def chain_list() -> QuerySet[Chain]:
    """The workspace's chains with their steps and actions and how many runs are active, in a
    constant number of queries."""
    return (
        Chain.objects.prefetch_related(
            Prefetch(
                "steps",
                queryset=ChainStep.all_workspaces.order_by("order", "id").prefetch_related(
                    Prefetch("actions", queryset=ChainStepAction.all_workspaces.order_by("order", "id"))
                ),
            )
        )
        .annotate(active_runs=Count("runs", filter=Q(runs__status=ChainRun.Status.ACTIVE)))
        .order_by("name", "id")
    )


def _with_timeline(runs: QuerySet[ChainRun]) -> QuerySet[ChainRun]:
    return runs.select_related("chain", "conversation", "started_by_user").prefetch_related(
        Prefetch(
            "steps",
            queryset=ChainRunStep.all_workspaces.select_related("step", "message").order_by("scheduled_for", "id"),
        )
    )


def chain_run_list(*, chain: Chain, status: str | None = None) -> QuerySet[ChainRun]:
    """The chain's runs, newest first, each with its timeline."""
    runs = ChainRun.objects.filter(chain=chain)
    if status:
        runs = runs.filter(status=status)
    return _with_timeline(runs).order_by("-started_at", "-id")


def conversation_chain_runs(*, conversation_id: int) -> QuerySet[ChainRun]:
    """The conversation's runs of every chain (the conversation page's panel), newest first."""
    return _with_timeline(ChainRun.objects.filter(conversation_id=conversation_id)).order_by("-started_at", "-id")


CHAIN_FAILURE_WINDOW = timedelta(days=7)


def automations_attention(*, workspace) -> list[AttentionItem]:
    """The dashboard's chain failures: runs that ended failed in the last 7 days (a step that could
    not be written or sent, a follow-up the plan's AI replies no longer covered); each run's timeline
    on the Chains page says why."""
    failed = ChainRun.objects.filter(
        workspace=workspace,
        status=ChainRun.Status.FAILED,
        finished_at__gte=timezone.now() - CHAIN_FAILURE_WINDOW,
    ).count()
    return [AttentionItem("chain_runs_failed", failed, AttentionSeverity.WARNING, "/chains")]
