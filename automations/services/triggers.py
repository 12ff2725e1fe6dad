"""Triggers as the editor saves them (SPEC §4.2): create, update (the ordered actions replaced as a
whole), delete; each save checks the condition and every action and refuses with one problem whose
errors are keyed by JSON path (`condition.all[1].value`, `actions[2].params.stage_id`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import User, Workspace
from accounts.services import audit_record
from automations.conditions import condition_errors
from automations.exceptions import TriggerInvalid, TriggerNameTaken
from automations.models import Trigger, TriggerAction, TriggerTimer
from automations.services.actions import action_errors

TRIGGER_FIELDS = (
    "name",
    "description",
    "is_active",
    "priority",
    "agent",
    "condition",
    "stop_ai_reply",
    "run_limit",
    "run_limit_scope",
    "run_limit_period",
)
MAX_ACTIONS = 20


def json_path(prefix: str, dotted: str) -> str:
    """ "all.1.value" under "condition" → "condition.all[1].value"."""
    path = prefix
    for part in [p for p in dotted.split(".") if p]:
        path += f"[{part}]" if part.isdigit() else f".{part}"
    return path


def trigger_errors(*, condition: Any, actions: list[dict[str, Any]] | None) -> dict[str, list[str]]:
    """Everything wrong with a trigger's condition and actions, by JSON path; empty when it saves."""
    errors: dict[str, list[str]] = {}
    if condition is not None:
        for path, messages in condition_errors(condition).items():
            errors.setdefault(json_path("condition", path), []).extend(messages)
    if actions is not None:
        if len(actions) > MAX_ACTIONS:
            errors["actions"] = [f"At most {MAX_ACTIONS} actions."]
        for index, action in enumerate(actions):
            kind, params = action.get("kind", ""), action.get("params", {})
            for name, messages in action_errors(kind, params).items():
                where = name if name in ("kind", "params") else f"params.{name}"
                errors.setdefault(f"actions[{index}].{where}", []).extend(messages)
    return errors


def silence_minutes(condition: Mapping) -> int | None:
    """N when the condition asks "customer silent for more than N minutes" (customer.silent_minutes
    gt/gte N anywhere but under a `not`): the trigger is then checked N minutes after each customer
    message. The largest N when several."""
    found: list[int] = []

    def walk(node: Any) -> None:
        if not isinstance(node, Mapping):
            return
        for key in ("all", "any"):
            for child in node.get(key) or []:
                walk(child)
        if node.get("fact") == "customer.silent_minutes" and node.get("op") in ("gt", "gte"):
            value = node.get("value")
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                found.append(int(value) + (1 if node["op"] == "gt" else 0))

    walk(condition)
    return max(found) if found else None


def uses_ai(condition: Any) -> bool:
    """Whether evaluating the condition may ask the model (a plain-language test in it)."""
    if not isinstance(condition, Mapping):
        return False
    if "ai" in condition:
        return True
    children = [*(condition.get("all") or []), *(condition.get("any") or [])]
    return any(uses_ai(child) for child in [*children, condition.get("not")] if child)


@transaction.atomic
def trigger_create(*, workspace: Workspace, actor: User | None, data: dict[str, Any]) -> Trigger:
    """Save a new trigger with its ordered actions (all checked first)."""
    actions = data.pop("actions", [])
    _validate(data.get("condition", {}), actions)
    trigger = Trigger(workspace=workspace, created_by=actor, **{k: v for k, v in data.items() if k in TRIGGER_FIELDS})
    _save(trigger)
    _actions_replace(trigger, actions)
    audit_record(action="trigger.created", actor=actor, workspace=workspace, target=trigger)
    return trigger


@transaction.atomic
def trigger_update(*, trigger: Trigger, actor: User | None, data: dict[str, Any]) -> Trigger:
    """Change a trigger; `actions`, when given, replace its list. A trigger that stops being a silence
    trigger (or is switched off) drops its pending silence checks."""
    actions = data.pop("actions", None)
    _validate(data.get("condition"), actions)
    for name, value in data.items():
        if name in TRIGGER_FIELDS:
            setattr(trigger, name, value)
    _save(trigger)
    if actions is not None:
        _actions_replace(trigger, actions)
    if not trigger.is_active or silence_minutes(trigger.condition) is None:
        TriggerTimer.objects.filter(trigger=trigger, status="pending").update(status="cancelled")
    audit_record(action="trigger.updated", actor=actor, workspace=trigger.workspace, target=trigger)
    return trigger


@transaction.atomic
def trigger_delete(*, trigger: Trigger, actor: User | None) -> None:
    audit_record(
        action="trigger.deleted",
        actor=actor,
        workspace=trigger.workspace,
        target=trigger,
        before={"name": trigger.name},
    )
    trigger.delete()


def _validate(condition: Any, actions: list[dict[str, Any]] | None) -> None:
    if errors := trigger_errors(condition=condition, actions=actions):
        first = next(iter(errors.items()))
        raise TriggerInvalid(f"{first[0]}: {first[1][0]}", errors=errors)


def _save(trigger: Trigger) -> None:
    try:
        with transaction.atomic():
            trigger.save()
    except IntegrityError as exc:
        if Trigger.objects.filter(name=trigger.name).exclude(pk=trigger.pk).exists():
            raise TriggerNameTaken(
                "Another trigger has this name.", errors={"name": ["Another trigger has this name."]}
            ) from exc
        raise


def _actions_replace(trigger: Trigger, actions: list[dict[str, Any]]) -> None:
    TriggerAction.objects.filter(trigger=trigger).delete()
    TriggerAction.objects.bulk_create(
        TriggerAction(
            workspace_id=trigger.workspace_id,
            trigger=trigger,
            order=index,
            kind=action["kind"],
            params=action["params"],
        )
        for index, action in enumerate(actions)
    )
