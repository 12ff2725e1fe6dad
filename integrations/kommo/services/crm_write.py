"""Changes the automations make in the CRM (SPEC §4.2–4.4): move a lead, write fields (batched, with
the values they replace, for undo), add tags, notes and tasks. Every call goes through the rate-limited
client of the active workspace's integration; Kommo's refusals surface as the typed errors of
`integrations.kommo.exceptions` (a field value that cannot be mapped is `FieldValueInvalid` before
anything is sent). Our snapshot of the entity is refreshed from what Kommo answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from integrations.kommo.exceptions import FieldValueInvalid, KommoNotConnected
from integrations.kommo.fields import FieldDefinition, field_value
from integrations.kommo.models import KommoField, KommoIntegration
from integrations.kommo.services.crm import entity_get
from integrations.kommo.services.tokens import client_for

ENTITY_PATHS = {"lead": "leads", "contact": "contacts"}


@dataclass(frozen=True)
class FieldRef:
    """A CRM field as a rule or an action names it: by id, or by code (a contact's PHONE/EMAIL)."""

    entity: str  # lead | contact
    field_id: int | None = None
    field_code: str = ""


def _integration() -> KommoIntegration:
    integration = KommoIntegration.objects.first()
    if integration is None or not integration.is_active:
        raise KommoNotConnected("Connect Kommo to change leads and contacts.")
    return integration


def _path(entity: str) -> str:
    if entity not in ENTITY_PATHS:
        raise FieldValueInvalid(f"Unknown CRM entity {entity!r}: lead or contact.")
    return ENTITY_PATHS[entity]


def field_definition(ref: FieldRef) -> FieldDefinition:
    """The synced definition of a field (its type and options); a field Kommo no longer has is an error."""
    fields = KommoField.objects.filter(entity=_path(ref.entity), deleted_in_kommo=False)
    row = fields.filter(kommo_id=ref.field_id).first() if ref.field_id else fields.filter(code=ref.field_code).first()
    if row is None:
        raise FieldValueInvalid(f"The {ref.entity} field {ref.field_id or ref.field_code} is not in the synced fields.")
    return FieldDefinition(type=row.type, id=row.kommo_id, code=row.code, name=row.name, enums=list(row.enums))


def field_values_current(*, entity: str, entity_id: int, refs: list[FieldRef]) -> dict[FieldRef, list | None]:
    """The fields' current values as Kommo holds them now (the `values` list of each
    `custom_fields_values` item; None when empty), read fresh through the API: what "only if empty"
    checks and what undo restores."""
    integration = _integration()
    client = client_for(integration)
    body = client.lead(entity_id) if entity == "lead" else client.contact(entity_id)
    items = (body or {}).get("custom_fields_values") or []
    current: dict[FieldRef, list | None] = {}
    for ref in refs:
        found = next(
            (
                item
                for item in items
                if (ref.field_id and item.get("field_id") == ref.field_id)
                or (ref.field_code and item.get("field_code") == ref.field_code)
            ),
            None,
        )
        values = [_plain(v) for v in (found or {}).get("values") or []]
        current[ref] = values or None
    return current


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """A value as it can be written back: {"value"} or {"enum_id"} (and a multitext's enum_code)."""
    if value.get("enum_id") and "value" in value and not value.get("enum_code"):
        return {"enum_id": value["enum_id"]}
    return {k: v for k, v in value.items() if k in ("value", "enum_id", "enum_code")}


def field_items(writes: list[tuple[FieldRef, Any]]) -> list[dict[str, Any]]:
    """Our typed values → `custom_fields_values` items (validated; raises FieldValueInvalid)."""
    return [field_value(field_definition(ref), value) for ref, value in writes]


def fields_write(*, entity: str, entity_id: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Write `custom_fields_values` items (from `field_items`, or raw `values` lists for undo) to one
    lead or contact in one PATCH."""
    integration = _integration()
    client = client_for(integration)
    payload = {"id": int(entity_id), "custom_fields_values": items}
    answer = client.leads_update([payload]) if entity == "lead" else client.contacts_update([payload])
    _refresh(integration, entity, entity_id)
    return answer[0] if answer else {}


def lead_move(*, lead_id: int, stage_id: int, pipeline_id: int | None = None) -> None:
    integration = _integration()
    data: dict[str, Any] = {"status_id": int(stage_id)}
    if pipeline_id:
        data["pipeline_id"] = int(pipeline_id)
    client_for(integration).lead_update(lead_id, data)
    _refresh(integration, "lead", lead_id)


def lead_tags_add(*, lead_id: int, tags: list[str]) -> list[str]:
    """Add tags to the lead, keeping the ones it has (Kommo's `_embedded.tags` replaces the set)."""
    integration = _integration()
    client = client_for(integration)
    current = [t.get("name") for t in ((client.lead(lead_id) or {}).get("_embedded") or {}).get("tags") or []]
    names = list(dict.fromkeys([*(n for n in current if n), *(t.strip() for t in tags if t.strip())]))
    client.lead_update(lead_id, {"_embedded": {"tags": [{"name": name} for name in names]}})
    _refresh(integration, "lead", lead_id)
    return names


def note_add(*, entity: str, entity_id: int, text: str) -> int | None:
    integration = _integration()
    notes = client_for(integration).notes_add(
        _path(entity), [{"entity_id": int(entity_id), "note_type": "common", "params": {"text": text}}]
    )
    return notes[0].get("id") if notes else None


def task_create(
    *, entity: str, entity_id: int, text: str, complete_till: datetime, responsible_user_id: int | None = None
) -> int | None:
    integration = _integration()
    task: dict[str, Any] = {
        "text": text,
        "complete_till": int(complete_till.timestamp()),
        "entity_id": int(entity_id),
        "entity_type": _path(entity),
        "task_type_id": 1,  # a follow-up call, Kommo's first built-in type
    }
    if responsible_user_id:
        task["responsible_user_id"] = int(responsible_user_id)
    tasks = client_for(integration).tasks_add([task])
    return tasks[0].get("id") if tasks else None


def _refresh(integration: KommoIntegration, entity: str, entity_id: int) -> None:
    """Keep our snapshot in step with what we just changed (the prompt and the CRM panel read it)."""
    entity_get(integration, entity=_path(entity), kommo_id=int(entity_id), max_age=timedelta(0))
