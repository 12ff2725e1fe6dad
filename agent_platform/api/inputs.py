"""Input the endpoint does not know is refused, never dropped.

DRF ignores body keys a serializer does not declare: `{"title": "Prices", "content": "…"}` sent to an
endpoint whose field is `body` would create an empty article with a 201. `unknown_fields` walks the body
along the serializer's declared fields (nested serializers and lists of them too) and names every key
that no field declares; `InputMixin.validated` answers them as one 400 `unknown_field` problem.
Read-only fields count as known: a client may send back what it read. Free-form fields (JSON, dicts)
are not walked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from agent_platform.errors import InvalidInput


class UnknownField(InvalidInput):
    code, title = "unknown_field", "Unknown field"


def unknown_fields(serializer: serializers.BaseSerializer, data: Any, path: str = "") -> list[str]:
    """The paths (`steps[0].delay`, as the chains' field errors name them) of the keys in `data` that
    `serializer` declares no field for."""
    if isinstance(serializer, serializers.ListSerializer):
        return _list_unknown(serializer.child, data, path)
    if not isinstance(serializer, serializers.Serializer) or not isinstance(data, Mapping):
        return []
    fields = serializer.fields
    unknown: list[str] = []
    for key in data:
        key_path = f"{path}.{key}" if path else str(key)
        field = fields.get(key)
        if field is None:
            unknown.append(key_path)
        elif isinstance(field, serializers.BaseSerializer):
            unknown += unknown_fields(field, data[key], key_path)
        elif isinstance(field, serializers.ListField) and isinstance(field.child, serializers.BaseSerializer):
            unknown += _list_unknown(field.child, data[key], key_path)
    return unknown


def _list_unknown(child: serializers.BaseSerializer, data: Any, path: str) -> list[str]:
    if not isinstance(data, list):
        return []
    unknown: list[str] = []
    for index, item in enumerate(data):
        unknown += unknown_fields(child, item, f"{path}[{index}]")
    return unknown


def unknown_fields_refuse(serializer: serializers.BaseSerializer, data: Any) -> None:
    """Raise the 400 `unknown_field` problem naming every key `serializer` does not know."""
    unknown = unknown_fields(serializer, data)
    if not unknown:
        return
    names = ", ".join(f"`{path}`" for path in unknown)
    raise UnknownField(
        f"This endpoint does not accept {names}.",
        errors={path: ["Unknown field: this endpoint does not accept it."] for path in unknown},
    )
