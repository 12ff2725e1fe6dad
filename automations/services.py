"""Hook points of the message processor for triggers, update rules and chains.

The automations engines (SPEC §4.2–4.4) plug in here; until they land, each hook does nothing and
says so, and the processor records its answer in the reply's trace.
"""

from __future__ import annotations

from typing import Any


def triggers_check(*, workspace_id: int, conversation_id: int, message_ids: list[int]) -> dict[str, Any]:
    """Evaluate the workspace's triggers against new customer messages. Returns what fired."""
    return {"evaluated": 0, "fired": [], "engine": "not installed"}


def update_rules_apply(*, workspace_id: int, agent_id: int, conversation_id: int) -> dict[str, Any]:
    """Extract values for the agent's update rules and write them to the CRM."""
    return {"applied": [], "engine": "not installed"}


def chains_on_customer_message(*, workspace_id: int, conversation_id: int) -> dict[str, Any]:
    """A customer replied: stop the chains that stop on reply."""
    return {"stopped": [], "engine": "not installed"}


def chains_on_reply(*, workspace_id: int, conversation_id: int, message_id: int) -> dict[str, Any]:
    """An AI reply went out: start the chains that start on it."""
    return {"started": [], "engine": "not installed"}
