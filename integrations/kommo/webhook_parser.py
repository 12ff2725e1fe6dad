"""Kommo's webhook bodies: `application/x-www-form-urlencoded` in PHP bracket notation
(`leads[status][0][custom_fields][0][values][0][value]=Site`) → nested dicts, then → typed events.

The body comes from the internet through a URL anyone who learns it can call, so parsing is strict
and bounded: a key that does not close its brackets (the damaged samples end in `leads[status][0][`),
more than `MAX_PAIRS` pairs, nesting deeper than `MAX_DEPTH`, a key longer than `MAX_KEY_LENGTH`, or a
bracket path that turns a value into a container (`a=1&a[b]=2`) is a `WebhookBodyInvalid` (a clean 400),
never an exception of ours. Keys are kept as strings (dicts only, no lists: Kommo keys some arrays by
entity id, `linked_leads_id[40326593][ID]`); `__proto__`-style keys are plain dict keys in Python and
cannot reach an object's attributes. Literal spaces and `+` both read as spaces, as PHP reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from integrations.kommo.exceptions import WebhookBodyInvalid

MAX_PAIRS = 5000
MAX_DEPTH = 10
MAX_KEY_LENGTH = 300
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def parse_form(body: bytes | str) -> dict[str, Any]:
    """The nested form of a bracket-notation body; raises WebhookBodyInvalid."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = text.strip()  # a trailing newline (a proxy's, or a stored sample's) is not part of the last value
    pairs = [pair for pair in text.split("&") if pair]
    if len(pairs) > MAX_PAIRS:
        raise WebhookBodyInvalid(f"The body has more than {MAX_PAIRS} fields.")
    root: dict[str, Any] = {}
    for pair in pairs:
        raw_key, has_value, raw_value = pair.partition("=")
        key, value = unquote_plus(raw_key), unquote_plus(raw_value)
        if not has_value and "[" in key:
            raise WebhookBodyInvalid(f"A field has no value and an unfinished name: {key[:80]!r}.")
        _put(root, _path(key), value)
    return root


def _path(key: str) -> list[str]:
    if len(key) > MAX_KEY_LENGTH:
        raise WebhookBodyInvalid("A field name is too long.")
    head, bracket, rest = key.partition("[")
    if not head:
        raise WebhookBodyInvalid(f"A field name starts with a bracket: {key[:80]!r}.")
    path = [head]
    if bracket:
        rest = "[" + rest
        segments = _SEGMENT.findall(rest)
        if "".join(f"[{s}]" for s in segments) != rest:
            raise WebhookBodyInvalid(f"A field name does not close its brackets: {key[:80]!r}.")
        path.extend(segments)
    if len(path) > MAX_DEPTH:
        raise WebhookBodyInvalid(f"A field is nested deeper than {MAX_DEPTH} levels.")
    return path


def _put(root: dict[str, Any], path: list[str], value: str) -> None:
    node = root
    for position, segment in enumerate(path):
        last = position == len(path) - 1
        if segment == "":  # `a[]=x`: the next free index, as PHP appends
            segment = str(len(node))
        if last:
            if isinstance(node.get(segment), dict):
                raise WebhookBodyInvalid(f"A field is both a value and a group: {'.'.join(path)[:80]!r}.")
            node[segment] = value
            return
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise WebhookBodyInvalid(f"A field is both a value and a group: {'.'.join(path)[:80]!r}.")
        node = child


def items(group: Any) -> list[dict[str, Any]]:
    """The entries of a bracket array (`[0]`, `[1]`, … or keyed by id), in key order."""
    if not isinstance(group, dict):
        return []

    def order(key: str) -> tuple[int, int | str]:
        return (0, int(key)) if key.isdigit() else (1, key)

    return [group[key] for key in sorted(group, key=order) if isinstance(group[key], dict)]


# -- typed events ---------------------------------------------------------------------------------

# Root key → entity. Companies arrive under "contacts" with [type]=company (see the samples).
ENTITIES = ("leads", "contacts", "companies", "message", "talk", "unsorted", "task", "notes")


@dataclass(frozen=True)
class WebhookEvent:
    entity: str  # leads | contacts | companies | message | talk | unsorted | task | notes
    action: str  # add | update | status | responsible | delete | restore | note | …
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def entity_id(self) -> str:
        return str(self.data.get("id", ""))


@dataclass(frozen=True)
class WebhookBody:
    events: list[WebhookEvent]
    account_id: str
    account_subdomain: str


def events_from(parsed: dict[str, Any]) -> WebhookBody:
    """The events of a parsed body (unknown roots are ignored: Kommo adds event kinds over time)."""
    account = parsed.get("account") if isinstance(parsed.get("account"), dict) else {}
    events: list[WebhookEvent] = []
    for root in ENTITIES:
        actions = parsed.get(root)
        if not isinstance(actions, dict):
            continue
        for action in sorted(actions):
            for data in items(actions[action]):
                entity = "companies" if root == "contacts" and data.get("type") == "company" else root
                events.append(WebhookEvent(entity=entity, action=action, data=data))
    return WebhookBody(
        events=events, account_id=str(account.get("id", "")), account_subdomain=str(account.get("subdomain", ""))
    )


def parse_webhook(body: bytes | str) -> WebhookBody:
    return events_from(parse_form(body))
