"""Field mapping: our typed values → Kommo's `custom_fields_values` item for one field (KOMMO.md A2
"Writing field values"), validated before anything is sent, so a wrong value is our clear error and
not a 400 from Kommo. Used by the update-rules engine to write what the AI extracted.

    {"field_id": 3001, "values": [{"value": "Budget 5k"}]}                    text, textarea, url, streetaddress
    {"field_id": 3001, "values": [{"value": 5000}]}                           numeric, price
    {"field_id": 3004, "values": [{"value": true}]}                           checkbox
    {"field_id": 3002, "values": [{"enum_id": 4501}]}                         select, radiobutton
    {"field_id": 3003, "values": [{"enum_id": 4601}, {"enum_id": 4602}]}      multiselect
    {"field_id": 3005, "values": [{"value": 1767225600}]}                     date, date_time, birthday (unix time)
    {"field_code": "PHONE", "values": [{"value": "+55…", "enum_code": "WORK"}]}   multitext (contacts' PHONE/EMAIL)
    {"field_id": 3001, "values": None}                                        clears the field

Legal entities, files, catalogs and linked entities are left out with a clear error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from integrations.kommo.exceptions import FieldValueInvalid

TEXT_TYPES = {"text", "textarea", "streetaddress"}
NUMBER_TYPES = {"numeric", "price"}
ENUM_TYPES = {"select", "radiobutton"}
DATE_TYPES = {"date", "date_time", "birthday"}
UNSUPPORTED = {"legal_entity", "file", "chained_list", "linked_entity", "category", "tracking_data", "smart_address"}
MULTITEXT_CODES = {"WORK", "WORKDD", "MOB", "FAX", "HOME", "OTHER", "PRIV"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s\-().]{5,30}$")
_TRUE, _FALSE = {"true", "yes", "1", "on", "да", "sí", "si", "sim"}, {"false", "no", "0", "off", "нет", "não", "nao"}


@dataclass(frozen=True)
class FieldDefinition:
    """What mapping needs of a synced field (`KommoField`)."""

    type: str
    id: int | None = None
    code: str = ""
    name: str = ""
    enums: list[dict[str, Any]] = field(default_factory=list)


def field_value(definition: FieldDefinition, value: Any) -> dict[str, Any]:
    """The `custom_fields_values` item that sets `value` (None clears); raises FieldValueInvalid."""
    item: dict[str, Any] = {"field_id": definition.id} if definition.id else {"field_code": definition.code}
    if value is None or value == "" or value == []:
        return {**item, "values": None}
    kind = definition.type
    if kind in UNSUPPORTED:
        raise FieldValueInvalid(f"{_label(definition)}: {kind} fields cannot be written by the platform.")
    if kind in TEXT_TYPES:
        values = [{"value": _text(definition, value)}]
    elif kind == "url":
        values = [{"value": _url(definition, value)}]
    elif kind in NUMBER_TYPES:
        values = [{"value": _number(definition, value)}]
    elif kind == "checkbox":
        values = [{"value": _boolean(definition, value)}]
    elif kind in ENUM_TYPES:
        values = [{"enum_id": _enum(definition, value)}]
    elif kind == "multiselect":
        chosen = value if isinstance(value, list | tuple | set) else [value]
        values = [{"enum_id": enum_id} for enum_id in dict.fromkeys(_enum(definition, v) for v in chosen)]
    elif kind in DATE_TYPES:
        values = [{"value": _unix(definition, value)}]
    elif kind == "multitext":
        values = [_multitext(definition, v) for v in (value if isinstance(value, list) else [value])]
    else:
        raise FieldValueInvalid(f"{_label(definition)}: unknown field type {kind!r}.")
    return {**item, "values": values}


def _label(definition: FieldDefinition) -> str:
    return definition.name or definition.code or f"field {definition.id}"


def _text(definition: FieldDefinition, value: Any) -> str:
    if isinstance(value, dict | list):
        raise FieldValueInvalid(f"{_label(definition)} takes text.")
    return str(value).strip()


def _url(definition: FieldDefinition, value: Any) -> str:
    text = _text(definition, value)
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in ("http", "https") or "." not in parts.netloc:
        raise FieldValueInvalid(f"{_label(definition)} takes a web address, not {text[:60]!r}.")
    return parts.geturl()


def _number(definition: FieldDefinition, value: Any) -> int | float:
    if isinstance(value, bool):
        raise FieldValueInvalid(f"{_label(definition)} takes a number.")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(_number_text(str(value)) or "x")
        except InvalidOperation:
            raise FieldValueInvalid(f"{_label(definition)} takes a number, not {str(value)[:60]!r}.") from None
    return int(number) if number == number.to_integral_value() else float(number)


def _number_text(text: str) -> str:
    """ "1 234,5" / "1,234.5" / "R$ 5.000" → "1234.5" / "1234.5" / "5000". With both separators the last
    is the decimal point; one separator followed by exactly three digits groups thousands (money
    written the pt/es/ru way); otherwise it is the decimal point."""
    text = re.sub(r"[^\d.,\-]", "", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        return text.replace("." if decimal == "," else ",", "").replace(",", ".")
    for separator in (",", "."):
        if text.count(separator) > 1 or re.fullmatch(rf"-?\d{{1,3}}\{separator}\d{{3}}", text):
            return text.replace(separator, "")
    return text.replace(",", ".")


def _boolean(definition: FieldDefinition, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldValueInvalid(f"{_label(definition)} takes yes or no, not {str(value)[:60]!r}.")


def _enum(definition: FieldDefinition, value: Any) -> int:
    """An option by its id, or by its name (case-insensitive)."""
    for enum in definition.enums:
        if str(enum.get("id")) == str(value).strip():
            return int(enum["id"])
    wanted = str(value).strip().casefold()
    for enum in definition.enums:
        if str(enum.get("value", "")).casefold() == wanted:
            return int(enum["id"])
    options = ", ".join(str(e.get("value")) for e in definition.enums[:20])
    raise FieldValueInvalid(f"{_label(definition)} has no option {str(value)[:60]!r} (options: {options}).")


def _unix(definition: FieldDefinition, value: Any) -> int:
    if isinstance(value, bool):
        raise FieldValueInvalid(f"{_label(definition)} takes a date.")
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0), tzinfo=UTC)
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
            if not match:
                raise FieldValueInvalid(f"{_label(definition)} takes a date, not {text[:60]!r}.") from None
            day, month, year = (int(part) for part in match.groups())
            try:
                moment = datetime(year, month, day, tzinfo=UTC)
            except ValueError:
                raise FieldValueInvalid(f"{_label(definition)}: {text!r} is not a date.") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _multitext(definition: FieldDefinition, value: Any) -> dict[str, Any]:
    """A phone or an email (`{"value", "enum_code"}`; the code defaults to WORK)."""
    code = "WORK"
    if isinstance(value, dict):
        code = str(value.get("enum_code") or value.get("type") or code).upper()
        value = value.get("value")
    text = _text(definition, value)
    if code not in MULTITEXT_CODES:
        raise FieldValueInvalid(f"{_label(definition)}: {code!r} is not a kind of {definition.code or 'value'}.")
    if definition.code == "EMAIL" and not _EMAIL.match(text):
        raise FieldValueInvalid(f"{_label(definition)} takes an email address, not {text[:60]!r}.")
    if definition.code == "PHONE" and not _PHONE.match(text):
        raise FieldValueInvalid(f"{_label(definition)} takes a phone number, not {text[:60]!r}.")
    return {"value": text, "enum_code": code}
