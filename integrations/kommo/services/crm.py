"""Our snapshot of Kommo's leads and contacts: kept from webhooks (the old v2 field shape) and the API
(v4 `custom_fields_values`), in one normalised form, refreshed through the API when stale — and the
CRM fields an agent may read, with their values, for its prompt."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.kommo.exceptions import KommoError
from integrations.kommo.models import KommoEntity, KommoField, KommoIntegration
from integrations.kommo.services.tokens import client_for

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
ENTITIES = ("leads", "contacts")
_SCALARS = ("name", "price", "pipeline_id", "status_id", "responsible_user_id", "first_name", "last_name")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def normalised_from_webhook(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A webhook entity (`custom_fields[i][id|values][j][value|enum]`) → (normalised, updated_at)."""
    fields: dict[str, list[str]] = {}
    for field in _values(data.get("custom_fields")):
        values = [
            str(v.get("value") if v.get("value") not in (None, "") else v.get("enum", ""))
            for v in _values(field.get("values"))
        ]
        if field.get("id"):
            fields[str(field["id"])] = values
    snapshot = {key: data.get(key) for key in _SCALARS if key in data}
    for key in ("price", "pipeline_id", "status_id", "responsible_user_id"):
        if key in snapshot:
            snapshot[key] = _int(snapshot[key])
    snapshot["fields"] = fields
    if "tags" in data:  # the lead's tags (the trigger conditions test them)
        snapshot["tags"] = [str(tag.get("name")) for tag in _values(data.get("tags")) if tag.get("name")]
    updated = _int(data.get("updated_at")) or _int(data.get("last_modified")) or 0
    return snapshot, updated


def normalised_from_api(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A v4 entity (`custom_fields_values[i].field_id/values[j].value|enum_id`) → (normalised, updated_at)."""
    fields: dict[str, list[str]] = {}
    for field in body.get("custom_fields_values") or []:
        values = [
            str(v.get("value") if v.get("value") not in (None, "") else v.get("enum_id", ""))
            for v in field.get("values") or []
        ]
        fields[str(field.get("field_id"))] = values
    snapshot = {key: body.get(key) for key in _SCALARS if key in body}
    snapshot["fields"] = fields
    if "tags" in (body.get("_embedded") or {}):  # the lead's tags (the trigger conditions test them)
        snapshot["tags"] = [str(tag.get("name")) for tag in body["_embedded"]["tags"] or [] if tag.get("name")]
    return snapshot, _int(body.get("updated_at")) or 0


def _values(group: Any) -> list[dict[str, Any]]:
    if isinstance(group, dict):
        return [
            group[k]
            for k in sorted(group, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else k))
            if isinstance(group[k], dict)
        ]
    return [item for item in group or [] if isinstance(item, dict)]


def entity_store(
    *, workspace_id: int, entity: str, kommo_id: int, snapshot: dict[str, Any], updated_at: int
) -> KommoEntity:
    """Keep what Kommo said unless we already hold something newer (webhooks arrive out of order)."""
    with transaction.atomic():
        row = KommoEntity.objects.select_for_update().filter(entity=entity, kommo_id=kommo_id).first()
        if row is None:
            try:
                with transaction.atomic():  # two deliveries of one new lead store it at once: one inserts
                    return KommoEntity.objects.create(
                        workspace_id=workspace_id,
                        entity=entity,
                        kommo_id=kommo_id,
                        data=snapshot,
                        kommo_updated_at=updated_at,
                        fetched_at=timezone.now(),
                    )
            except IntegrityError:
                row = KommoEntity.objects.select_for_update().get(entity=entity, kommo_id=kommo_id)
        if updated_at and updated_at < row.kommo_updated_at:
            return row
        # A webhook carries only the fields it changed: merge, the new values winning.
        row.data = {**row.data, **snapshot, "fields": {**row.data.get("fields", {}), **snapshot.get("fields", {})}}
        row.kommo_updated_at, row.fetched_at = max(updated_at, row.kommo_updated_at), timezone.now()
        row.save(update_fields=["data", "kommo_updated_at", "fetched_at"])
        return row


def entity_get(
    integration: KommoIntegration, *, entity: str, kommo_id: int, max_age: timedelta = STALE_AFTER
) -> tuple[KommoEntity | None, str]:
    """The snapshot of one lead or contact, fetched through the API when missing or older than
    `max_age`; with where it came from: "snapshot", "api", or "stale" (Kommo could not be asked)."""
    row = KommoEntity.objects.filter(entity=entity, kommo_id=kommo_id).first()
    if row is not None and timezone.now() - row.fetched_at < max_age:
        return row, "snapshot"
    if not integration.is_active:
        return row, "stale"
    client = client_for(integration)
    try:
        body = client.lead(kommo_id) if entity == "leads" else client.contact(kommo_id)
    except KommoError as exc:
        log.warning("Kommo entity refresh failed", extra={"entity": entity, "id": kommo_id, "code": exc.code})
        return row, "stale"
    snapshot, updated = normalised_from_api(body or {})
    return entity_store(
        workspace_id=integration.workspace_id, entity=entity, kommo_id=kommo_id, snapshot=snapshot, updated_at=updated
    ), "api"


def crm_fields_for_prompt(
    integration: KommoIntegration | None, *, lead_id: str, contact_id: str, allowed: list[dict[str, Any]]
) -> dict[str, Any]:
    """The CRM fields the agent may read (roadmap table 6: `entity`, `field_id`/`field_code`,
    `field_name`), with the lead's and contact's current values: {"fields": [{entity, name, value}],
    "source": {...}}. Empty values are left out; enums read as their names."""
    result: dict[str, Any] = {"fields": [], "source": {}}
    if integration is None or not allowed:
        return result
    wanted = {"lead": ("leads", _int(lead_id)), "contact": ("contacts", _int(contact_id))}
    definitions = {(f.entity, f.kommo_id): f for f in KommoField.objects.filter(entity__in=ENTITIES)}
    by_code = {(f.entity, f.code): f for f in definitions.values() if f.code}
    snapshots: dict[str, KommoEntity | None] = {}
    for kind, (entity, kommo_id) in wanted.items():
        if kommo_id and any(rule.get("entity") == kind for rule in allowed):
            snapshots[kind], result["source"][kind] = entity_get(integration, entity=entity, kommo_id=kommo_id)
    for rule in allowed:
        snapshot = snapshots.get(rule.get("entity", ""))
        if snapshot is None:
            continue
        entity = wanted[rule["entity"]][0]
        field = definitions.get((entity, rule.get("field_id"))) or by_code.get((entity, rule.get("field_code") or ""))
        values = snapshot.data.get("fields", {}).get(str(field.kommo_id if field else rule.get("field_id")), [])
        text = ", ".join(_readable(field, value) for value in values if value not in ("", None))
        if text:
            name = rule.get("field_name") or (
                field.name if field else rule.get("field_code") or str(rule.get("field_id"))
            )
            result["fields"].append({"entity": rule["entity"], "name": name, "value": text})
    return result


def _readable(field: KommoField | None, value: str) -> str:
    if field is not None and field.enums:
        names = {str(enum.get("id")): str(enum.get("value")) for enum in field.enums}
        return names.get(str(value), str(value))
    return str(value)
