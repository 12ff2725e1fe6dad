"""Custom field values: checking `custom_fields_values` of a write against the account's field
definitions (KOMMO.md A2 "Writing field values"), and the two read shapes — API v4
(`custom_fields_values`) and the old v2 shape that webhooks still carry (`custom_fields[].values[].value/enum`).

Error codes and paths [M, except NotSupportedChoice on `custom_fields_values.N.field_id`, which is
KOMMO.md's example]: unknown field -> NotSupportedChoice at `…N.field_id` (or `.field_code`); wrong
enum -> NotSupportedChoice at `…N.values.M.enum_id` (`.enum_code`, `.value`); wrong type ->
InvalidType at `…N.values.M.value`; `values` not a list -> InvalidType at `…N.values`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from integrations.kommo.fakes.server import error

TEXT_TYPES = {"text", "textarea", "url", "streetaddress", "smart_address", "tracking_data", "file", "linked_entity"}
NUMBER_TYPES = {"numeric", "price", "monetary"}
DATE_TYPES = {"date", "date_time", "birthday"}
ENUM_TYPES = {"select", "radiobutton", "multiselect", "category"}
SINGLE_VALUE_ENUMS = {"select", "radiobutton"}


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _as_number(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return None
        return value.strip()
    return None


def _as_timestamp(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        try:
            return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
        except ValueError:
            return None
    return None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1"):
        return value in (1, "1")
    return None


def _enum_for(definition: dict[str, Any], item: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The enum an item names (by enum_id, enum_code or value) and the key it used."""
    enums = definition.get("enums") or []
    if item.get("enum_id") is not None:
        return next((e for e in enums if e["id"] == item["enum_id"]), None), "enum_id"
    if item.get("enum_code") is not None:
        code = str(item["enum_code"]).upper()
        return next((e for e in enums if (e.get("code") or e["value"]).upper() == code), None), "enum_code"
    if item.get("value") is not None:
        return next((e for e in enums if e["value"] == item["value"]), None), "value"
    return None, "enum_id"


def _value(definition: dict[str, Any], item: Any, path: str, errors: list[dict[str, str]]) -> dict[str, Any] | None:
    """One checked value in its stored v4 shape, or None (an error was added)."""
    kind = definition["type"]
    if not isinstance(item, dict):
        errors.append(error("InvalidType", path, "This value should be of type object."))
        return None
    if kind in ENUM_TYPES:
        enum, key = _enum_for(definition, item)
        if enum is None:
            errors.append(error("NotSupportedChoice", f"{path}.{key}", "The value you selected is not a valid choice."))
            return None
        stored = {"value": enum["value"], "enum_id": enum["id"]}
        if enum.get("code"):
            stored["enum_code"] = enum["code"]
        return stored
    if kind == "multitext":
        text = _as_text(item.get("value"))
        if text is None:
            errors.append(error("InvalidType", f"{path}.value", "This value should be of type string."))
            return None
        choice = dict(item)
        if choice.get("enum_id") is None and choice.get("enum_code") is None:
            choice["enum_code"] = "WORK"
        choice.pop("value", None)
        enum, key = _enum_for(definition, choice)
        if enum is None:
            errors.append(error("NotSupportedChoice", f"{path}.{key}", "The value you selected is not a valid choice."))
            return None
        return {"value": text, "enum_id": enum["id"], "enum_code": enum.get("code") or enum["value"]}
    raw = item.get("value")
    if kind in TEXT_TYPES:
        converted: Any = _as_text(raw)
        expected = "string"
    elif kind in NUMBER_TYPES:
        converted, expected = _as_number(raw), "numeric"
    elif kind in DATE_TYPES:
        converted, expected = _as_timestamp(raw), "timestamp"
    elif kind == "checkbox":
        converted, expected = _as_bool(raw), "bool"
    elif kind == "legal_entity":
        converted = raw if isinstance(raw, dict) and raw.get("name") else None
        expected = "legal entity object with a name"
    else:  # chained_list, payer, supplier…: kept as sent
        converted, expected = raw, "any"
    if converted is None:
        errors.append(error("InvalidType", f"{path}.value", f"This value should be of type {expected}."))
        return None
    return {"value": converted}


def apply(
    account: Any, entity_type: str, current: list[dict[str, Any]] | None, incoming: Any, errors: list[dict[str, str]]
) -> list[dict[str, Any]] | None:
    """The entity's `custom_fields_values` after a write of `incoming`: fields named are replaced
    (`values: null` clears one), the others kept. Problems go to `errors` (then the result is moot)."""
    definitions = account.custom_fields[entity_type]
    result = {entry["field_id"]: entry for entry in current or []}
    if not isinstance(incoming, list):
        errors.append(error("InvalidType", "custom_fields_values", "This value should be of type array."))
        return current
    for index, entry in enumerate(incoming):
        path = f"custom_fields_values.{index}"
        if not isinstance(entry, dict):
            errors.append(error("InvalidType", path, "This value should be of type object."))
            continue
        if entry.get("field_id") is not None:
            definition = definitions.get(entry["field_id"]) if isinstance(entry["field_id"], int) else None
            if definition is None:
                errors.append(
                    error("NotSupportedChoice", f"{path}.field_id", "The value you selected is not a valid choice.")
                )
                continue
        elif entry.get("field_code"):
            definition = account.field_by_code(entity_type, str(entry["field_code"]))
            if definition is None:
                errors.append(
                    error("NotSupportedChoice", f"{path}.field_code", "The value you selected is not a valid choice.")
                )
                continue
        else:
            errors.append(error("FieldMissing", f"{path}.field_id", "This field is missing."))
            continue
        values = entry.get("values", [])
        if values is None or values == []:
            result.pop(definition["id"], None)
            continue
        if not isinstance(values, list):
            errors.append(error("InvalidType", f"{path}.values", "This value should be of type array."))
            continue
        if (
            definition["type"] in SINGLE_VALUE_ENUMS | {"checkbox", "text", "numeric", "date", "date_time"}
            and len(values) > 1
        ):
            errors.append(error("TooManyValues", f"{path}.values", "This field takes one value."))
            continue
        checked = [_value(definition, item, f"{path}.values.{j}", errors) for j, item in enumerate(values)]
        if any(value is None for value in checked):
            continue
        result[definition["id"]] = {
            "field_id": definition["id"],
            "field_name": definition["name"],
            "field_code": definition["code"],
            "field_type": definition["type"],
            "values": checked,
        }
    return list(result.values()) or None


def webhook_shape(values: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The old v2 shape webhooks carry: [{"id","name","code"?,"values":[{"value","enum"?}]}]."""
    shaped = []
    for entry in values or []:
        row: dict[str, Any] = {"id": entry["field_id"], "name": entry["field_name"]}
        if entry.get("field_code"):
            row["code"] = entry["field_code"]
        row_values = []
        for value in entry["values"]:
            item: dict[str, Any] = {"value": value["value"]}
            if value.get("enum_id") is not None:
                item["enum"] = value["enum_id"]
            row_values.append(item)
        row["values"] = row_values
        shaped.append(row)
    return shaped


def text_of(values: list[dict[str, Any]] | None) -> str:
    """Every value as text, for the `query` full-text search."""
    parts = []
    for entry in values or []:
        for value in entry["values"]:
            parts.append(str(value.get("value", "")))
    return " ".join(parts)
