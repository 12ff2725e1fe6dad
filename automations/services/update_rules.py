"""The update-rules engine (SPEC §4.4): after an AI turn, the agent's model reads the recent
conversation once and answers, per active rule, the value the customer stated (automations.extraction);
each value is checked and mapped for its Kommo field, compared with what Kommo holds now (read fresh),
and an entity's changes go out in one PATCH. Every outcome worth showing is a FieldWrite row: written
(with the value it replaced, for undo), skipped (with why) or failed (with Kommo's reason; nothing is
recorded as written unless Kommo accepted it).

Cost: the processor holds no transaction while this runs (the model call and Kommo's round trips are
outside any lock). No model call happens unless the agent has an active rule on a field it may write,
the conversation has the rule's lead or contact, and Kommo is connected; a rule already filled in
this conversation under "only if empty" is not asked again. The history sent is bounded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from agent_platform import realtime
from agents.selectors import agent_config_get, update_rule_list
from automations.extraction import RuleSpec, extraction_instructions, extraction_schema, property_name
from automations.models import FieldWrite
from billing.services import activity_record
from conversations.selectors import conversation_recent_messages
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest
from integrations.kommo.exceptions import FieldValueInvalid, KommoError
from integrations.kommo.selectors import integration_get
from integrations.kommo.services import FieldRef, field_definition, field_items, field_values_current, fields_write

if TYPE_CHECKING:
    from agents.models import Agent, UpdateRule
    from conversations.models import Conversation, Message

logger = logging.getLogger(__name__)

HISTORY_MESSAGES = 20  # the latest messages the model reads
MESSAGE_CHARS = 1000  # each cut to this many characters
OUTPUT_TOKENS_PER_RULE = 120
NOT_WRITABLE = "the agent may not write this field (CRM access)"
MIN_CONFIDENCE = 0.5  # below it the value is shown as skipped, not written


@dataclass
class _Rule:
    rule: UpdateRule
    ref: FieldRef
    entity_id: int
    spec: RuleSpec
    field_name: str
    answer: dict[str, Any] | None = None


def update_rules_apply(*, conversation: Conversation, agent: Agent, reply: Message) -> dict[str, Any]:
    """Extract and write the agent's rules for this turn; what the reply's trace shows."""
    outcome: dict[str, Any] = {"applied": [], "skipped": [], "failed": []}
    config = getattr(agent, "cached_config", None) or agent_config_get(agent_id=agent.pk)
    active = [rule for rule in config["update_rules"] if rule.get("is_active")]
    if not active:
        outcome["why"] = "the agent has no active update rules"
        return outcome
    writable = _writable(config)
    if not any(_field_key(rule) in writable for rule in active):  # decided from the cached config alone
        outcome["skipped"] = [{"rule": rule["name"], "why": NOT_WRITABLE} for rule in active]
        return outcome
    rules = _runnable(conversation, config, writable, outcome)
    if not rules:
        return outcome
    _extract(conversation, agent, reply, rules, outcome)
    by_entity: dict[tuple[str, int], list[_Rule]] = defaultdict(list)
    for item in rules:
        value = (item.answer or {}).get("value")
        if value is None or value == "" or value == []:
            outcome.setdefault("not_found", []).append(item.rule.name)
        else:
            by_entity[(item.ref.entity, item.entity_id)].append(item)
    for (entity, entity_id), items in by_entity.items():
        _write_entity(conversation, agent, reply, entity, entity_id, items, outcome)
    return outcome


def _field_key(row: dict[str, Any]) -> tuple[str, str]:
    """A rule's or a CRM-access row's field: (entity, id or code)."""
    return (row["entity"], str(row.get("field_id") or row.get("field_code") or ""))


def _writable(config: dict[str, Any]) -> set[tuple[str, str]]:
    """The fields the agent may write (its CRM access, SPEC table 6)."""
    return {_field_key(field) for field in config["crm_fields"] if field.get("can_write")}


def _runnable(
    conversation: Conversation, config: dict[str, Any], writable: set[tuple[str, str]], outcome: dict[str, Any]
) -> list[_Rule]:
    """The active rules this turn may act on; the others land in `skipped` with why (trace only)."""
    entity_ids = {"lead": conversation.external_lead_id, "contact": conversation.external_contact_id}
    filled = set(
        FieldWrite.objects.filter(conversation=conversation, status=FieldWrite.Status.WRITTEN).values_list(
            "rule_id", flat=True
        )
    )
    connected = _connected()
    runnable: list[_Rule] = []
    for rule in update_rule_list(agent_id=config["id"]).filter(is_active=True):
        why = ""
        if (
            _field_key({"entity": rule.entity, "field_id": rule.field_id, "field_code": rule.field_code})
            not in writable
        ):
            why = NOT_WRITABLE
        elif not str(entity_ids.get(rule.entity) or "").isdigit():
            why = f"the conversation has no {rule.entity} in Kommo"
        elif rule.overwrite == rule.Overwrite.IF_EMPTY and rule.pk in filled:
            why = "already written in this conversation"
        elif not connected:
            why = "Kommo is not connected"
        if why:
            outcome["skipped"].append({"rule": rule.name, "why": why})
            continue
        ref = FieldRef(entity=rule.entity, field_id=rule.field_id, field_code=rule.field_code)
        try:
            definition = field_definition(ref)
        except FieldValueInvalid as exc:
            outcome["skipped"].append({"rule": rule.name, "why": exc.detail})
            continue
        options = tuple(str(e.get("value")) for e in definition.enums) if definition.enums else ()
        spec = RuleSpec(
            rule_id=rule.pk,
            name=rule.name,
            instruction=rule.instruction,
            field_type=definition.type,
            options=options,
            field_code=definition.code,
        )
        field_name = definition.name or definition.code
        runnable.append(_Rule(rule, ref, int(entity_ids[rule.entity]), spec, field_name))
    return runnable


def _connected() -> bool:
    integration = integration_get()
    return bool(integration and integration.is_active)


def _extract(
    conversation: Conversation, agent: Agent, reply: Message, rules: list[_Rule], outcome: dict[str, Any]
) -> None:
    """One model call for all rules; each rule's answer goes on its `_Rule`."""
    specs = [item.spec for item in rules]
    recent, _ = conversation_recent_messages(conversation=conversation, limit=HISTORY_MESSAGES)
    dialogue = [
        {"role": "user" if m.direction == m.Direction.IN else "assistant", "content": m.text[:MESSAGE_CHARS]}
        for m in recent
        if m.text and m.pk != reply.pk and m.author != m.Author.SYSTEM
    ]
    if reply.text:
        dialogue.append({"role": "assistant", "content": reply.text[:MESSAGE_CHARS]})
    request = GenerationRequest(
        messages=[{"role": "system", "content": extraction_instructions(specs)}, *dialogue],
        provider=agent.model_provider,
        model=agent.model_id,
        temperature=0,
        max_tokens=200 + OUTPUT_TOKENS_PER_RULE * len(specs),
        json_schema=extraction_schema(specs),
        json_schema_name="update_rules",
    )
    fallback = f"{agent.fallback_model_provider}:{agent.fallback_model_id}" if agent.fallback_model_id else None
    result = generate(
        workspace=conversation.workspace,
        request=request,
        purpose="update_rules",
        agent_id=agent.pk,
        conversation_id=conversation.pk,
        fallback_model=fallback,
    )
    outcome["model"] = f"{result.provider}:{result.model}"
    parsed = result.parsed if isinstance(result.parsed, dict) else {}
    for item in rules:
        answer = parsed.get(property_name(item.spec))
        item.answer = answer if isinstance(answer, dict) else None


def _write_entity(
    conversation: Conversation,
    agent: Agent,
    reply: Message,
    entity: str,
    entity_id: int,
    items: list[_Rule],
    outcome: dict[str, Any],
) -> None:
    """One lead's (or contact's) changes: checked, compared with Kommo's current values, sent in one PATCH."""
    rows: list[FieldWrite] = []

    def row(item: _Rule, status: str, **values: Any) -> FieldWrite:
        answer = item.answer or {}
        confidence = answer.get("confidence")
        record = FieldWrite(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            agent_id=agent.pk,
            rule=item.rule,
            message=reply,
            entity=entity,
            entity_id=str(entity_id),
            field_id=item.ref.field_id,
            field_code=item.ref.field_code,
            field_name=item.field_name,
            field_type=item.spec.field_type,
            extracted=answer.get("value"),
            confidence=float(confidence) if isinstance(confidence, int | float) else None,
            quote=str(answer.get("evidence") or answer.get("quote") or "")[:2000],
            status=status,
            **values,
        )
        rows.append(record)
        return record

    try:
        current = field_values_current(entity=entity, entity_id=entity_id, refs=[item.ref for item in items])
    except KommoError as exc:
        for item in items:
            row(item, FieldWrite.Status.FAILED, error=kommo_reason(exc))
            outcome["failed"].append({"rule": item.rule.name, "error": kommo_reason(exc)})
        _save(_without_repeats(conversation, rows))
        return
    pending: list[tuple[_Rule, dict[str, Any]]] = []
    for item in items:
        old = current.get(item.ref)
        try:
            mapped = field_items([(item.ref, item.answer["value"])])[0]
        except FieldValueInvalid as exc:
            _skip(row(item, FieldWrite.Status.SKIPPED, old_value=old, error=exc.detail), outcome)
            continue
        confidence = item.answer.get("confidence")
        if isinstance(confidence, int | float) and confidence < MIN_CONFIDENCE:
            why = f"the AI was not sure enough ({round(confidence * 100)}%)"
            _skip(row(item, FieldWrite.Status.SKIPPED, old_value=old, new_value=mapped["values"], error=why), outcome)
            continue
        if item.spec.field_type == "multitext":  # a contact's phones and e-mails: add, never replace
            mapped["values"] = _merged(old, mapped["values"])
        if same_values(old, mapped["values"]):
            outcome.setdefault("unchanged", []).append(item.rule.name)
            continue
        if item.rule.overwrite == item.rule.Overwrite.IF_EMPTY and old:
            _skip(
                row(
                    item,
                    FieldWrite.Status.SKIPPED,
                    old_value=old,
                    new_value=mapped["values"],
                    error="field already filled",
                ),
                outcome,
            )
            continue
        if _undone_before(conversation, item, mapped["values"]):
            _skip(
                row(
                    item,
                    FieldWrite.Status.SKIPPED,
                    old_value=old,
                    new_value=mapped["values"],
                    error="a person undid this value",
                ),
                outcome,
            )
            continue
        pending.append((item, mapped))
    if pending:
        try:
            fields_write(entity=entity, entity_id=entity_id, items=[mapped for _, mapped in pending])
        except KommoError as exc:
            for item, mapped in pending:
                row(
                    item,
                    FieldWrite.Status.FAILED,
                    old_value=current.get(item.ref),
                    new_value=mapped["values"],
                    error=kommo_reason(exc),
                )
                outcome["failed"].append({"rule": item.rule.name, "field": item.field_name, "error": kommo_reason(exc)})
        else:
            for item, mapped in pending:
                row(item, FieldWrite.Status.WRITTEN, old_value=current.get(item.ref), new_value=mapped["values"])
                outcome["applied"].append(
                    {"rule": item.rule.name, "field": item.field_name, "value": item.answer["value"]}
                )
    _save(_without_repeats(conversation, rows))


def _skip(record: FieldWrite, outcome: dict[str, Any]) -> None:
    outcome["skipped"].append({"rule": record.rule.name, "field": record.field_name, "why": record.error})


def _save(rows: list[FieldWrite]) -> None:
    if not rows:
        return
    with transaction.atomic():
        FieldWrite.objects.bulk_create(rows)
        written = sum(row.status == FieldWrite.Status.WRITTEN for row in rows)
        activity_record(workspace_id=rows[0].workspace_id, agent_id=rows[0].agent_id, field_writes=written)
        conversation_id = rows[0].conversation_id
        realtime.publish(
            rows[0].workspace_id,
            "field_writes.changed",
            {"conversation": conversation_id},
            kind="conversation",
            obj_id=conversation_id,
        )


def _without_repeats(conversation: Conversation, rows: list[FieldWrite]) -> list[FieldWrite]:
    """A skip or a failure that repeats the rule's last row in this conversation (same status, value and
    reason) is not recorded again: the customer's words stay in the history and are read at every turn."""
    repeatable = (FieldWrite.Status.SKIPPED, FieldWrite.Status.FAILED)
    rule_ids = [r.rule_id for r in rows if r.status in repeatable]
    if not rule_ids:
        return rows
    last: dict[int, FieldWrite] = {}
    for previous in FieldWrite.objects.filter(conversation=conversation, rule_id__in=rule_ids).order_by(
        "-created_at", "-id"
    ):
        last.setdefault(previous.rule_id, previous)
    return [
        r
        for r in rows
        if not (
            r.status in repeatable
            and (p := last.get(r.rule_id))
            and (p.status, p.extracted, p.error) == (r.status, r.extracted, r.error)
        )
    ]


def _undone_before(conversation: Conversation, item: _Rule, values: list | None) -> bool:
    undone = FieldWrite.objects.filter(conversation=conversation, rule=item.rule, status=FieldWrite.Status.UNDONE)
    return any(same_values(previous.new_value, values) for previous in undone.only("new_value"))


def _merged(old: list | None, new: list | None) -> list | None:
    known = {str(v.get("value", "")).casefold() for v in old or []}
    added = [v for v in new or [] if str(v.get("value", "")).casefold() not in known]
    return [*(old or []), *added] if added else old


def same_values(current: list | None, new: list | None) -> bool:
    """Whether Kommo's current `values` hold the same value as ours (enums by id, others as text)."""
    if not current or not new:
        return not current and not new
    if len(current) != len(new):
        return False

    def key(value: dict[str, Any]) -> str:
        if value.get("enum_id") is not None and "enum_code" not in value:
            return f"enum:{value['enum_id']}"
        return str(value.get("value", "")).casefold()

    return sorted(map(key, current)) == sorted(map(key, new))


def kommo_reason(exc: KommoError) -> str:
    """Kommo's refusal in a line: its detail, then the first field-level reasons."""
    reasons = [
        f"{error.get('path', '')}: {error.get('detail') or error.get('code', '')}"
        for group in exc.extra.get("validation_errors") or []
        for error in (group or {}).get("errors") or []
    ]
    return "; ".join([exc.detail, *reasons[1:3]])[:1000]
