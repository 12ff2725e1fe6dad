"""What an automation's message may say about the conversation: the template variables, and the
template language itself ({customer_name}, {agent_name}, {lead.<field name>}, {lead.name},
{lead.price}, {lead.stage}, {contact.<field name>}). Rendering is a plain lookup, never a format
string or an expression, so a template cannot reach anything else."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from integrations.kommo.selectors import crm_card

if TYPE_CHECKING:
    from agents.models import Agent
    from conversations.models import Conversation

_VARIABLE = re.compile(r"\{\s*([a-z_]+(?:\.[^{}]{1,120})?)\s*\}", re.IGNORECASE)


def conversation_variables(conversation: Conversation, agent: Agent | None) -> dict[str, str]:
    """The variables of a conversation's templates (names folded to lower case)."""
    variables = {
        "customer_name": conversation.customer_name or "",
        "agent_name": agent.name if agent is not None else "",
    }
    card = crm_card(lead_id=conversation.external_lead_id, contact_id=conversation.external_contact_id) or {}
    for entity in ("lead", "contact"):
        data: dict[str, Any] = card.get(entity) or {}
        if not data:
            continue
        variables[f"{entity}.name"] = str(data.get("name") or "")
        for field in data.get("fields") or []:
            variables[f"{entity}.{str(field['name']).casefold()}"] = str(field["value"])
        if entity == "lead":
            variables["lead.price"] = "" if data.get("price") is None else str(data["price"])
            variables["lead.stage"] = (data.get("stage") or {}).get("name", "")
        else:
            variables["contact.phone"] = ", ".join(data.get("phones") or [])
            variables["contact.email"] = ", ".join(data.get("emails") or [])
    if not variables["customer_name"]:
        variables["customer_name"] = variables.get("contact.name", "")
    return variables


def template_render(template: str, variables: dict[str, str]) -> str:
    """The template with each {variable} replaced by its value (an unknown or empty one by nothing)."""
    return _VARIABLE.sub(lambda match: variables.get(match.group(1).strip().casefold(), ""), template).strip()


def template_variables_unknown(template: str, known_prefixes: tuple[str, ...] = ("lead.", "contact.")) -> list[str]:
    """The variables of a template that no conversation can fill (what a save reports as an error)."""
    names = [match.group(1).strip().casefold() for match in _VARIABLE.finditer(template)]
    return [
        name for name in names if name not in ("customer_name", "agent_name") and not name.startswith(known_prefixes)
    ]
