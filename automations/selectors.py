"""Reads of the automations app."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from automations.models import FieldWrite
from integrations.kommo.selectors import field_list

if TYPE_CHECKING:
    from conversations.models import Conversation

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
