"""What the model is asked after an AI turn for the agent's update rules (SPEC §4.4): one structured
answer holding, per rule, the value found in the conversation (typed after the CRM field: an enum by
its options' names, dates, numbers, yes/no, phone, e-mail), how sure the model is, and the words it
came from. The schema is strict (every property required, nothing else allowed; "not found" is
null), as OpenAI's structured outputs demand and the other providers accept. The values are then
checked and mapped for Kommo by integrations.kommo.fields before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT_TYPES = {"text", "textarea", "streetaddress"}
NUMBER_TYPES = {"numeric", "price"}
ENUM_TYPES = {"select", "radiobutton"}


@dataclass(frozen=True)
class RuleSpec:
    """One update rule as the extraction sees it."""

    rule_id: int
    name: str
    instruction: str
    field_type: str
    options: tuple[str, ...] = field(default=())  # an enum field's option names
    field_code: str = ""  # PHONE / EMAIL for contacts' multitext fields


def property_name(rule: RuleSpec) -> str:
    """The answer's key for a rule: stable, and safe as a JSON-schema property name."""
    return f"rule_{rule.rule_id}"


def value_schema(rule: RuleSpec) -> dict[str, Any]:
    """The JSON schema of one rule's value (null when the conversation does not say)."""
    kind = rule.field_type
    if kind in NUMBER_TYPES:
        schema: dict[str, Any] = {"type": ["number", "null"]}
    elif kind == "checkbox":
        schema = {"type": ["boolean", "null"]}
    elif kind in ENUM_TYPES:
        schema = {"type": ["string", "null"], "enum": [*rule.options, None]}
    elif kind == "multiselect":
        schema = {"type": ["array", "null"], "items": {"type": "string", "enum": list(rule.options)}}
    elif kind in ("date", "birthday"):
        schema = {"type": ["string", "null"], "description": "A date as YYYY-MM-DD."}
    elif kind == "date_time":
        schema = {"type": ["string", "null"], "description": "A date and time as YYYY-MM-DDTHH:MM, local time."}
    elif kind == "url":
        schema = {"type": ["string", "null"], "description": "A full web address."}
    elif kind == "multitext" and rule.field_code == "PHONE":
        schema = {"type": ["string", "null"], "description": "A phone number with its country code, digits only."}
    elif kind == "multitext" and rule.field_code == "EMAIL":
        schema = {"type": ["string", "null"], "description": "An e-mail address."}
    else:
        schema = {"type": ["string", "null"]}
    return schema


def extraction_schema(rules: list[RuleSpec]) -> dict[str, Any]:
    """The structured answer for all of an agent's active rules at once."""
    properties = {
        property_name(rule): {
            "type": "object",
            "description": f"{rule.name}: {rule.instruction}",
            "properties": {
                "value": value_schema(rule),
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "evidence": {"type": "string", "description": "The customer's words the value comes from."},
            },
            "required": ["value", "confidence", "evidence"],
            "additionalProperties": False,
        }
        for rule in rules
    }
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def extraction_instructions(rules: list[RuleSpec]) -> str:
    """The system prompt of the extraction call."""
    lines = [
        "Read the conversation and fill in what the customer has stated for each item below.",
        "Use null when the conversation does not say it; never guess or invent a value.",
        "Give your confidence from 0 to 1 and quote the customer's words you took the value from.",
        "",
    ]
    for rule in rules:
        allowed = f" (one of: {', '.join(rule.options)})" if rule.options else ""
        lines.append(f"- {property_name(rule)} — {rule.name}: {rule.instruction}{allowed}")
    return "\n".join(lines)
