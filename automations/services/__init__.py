"""Writes of the automations app, one module per engine; the API, the tasks and the engine installed
at the processor's hook points (`engine`) import from here.

    engine        the conversations app's hook points (conversations.types.AutomationHooks) → the engines
    context       the template variables of a conversation, and rendering a template
    chains        the chain scheduler: runs, their due steps inside working hours, start and stop
    update_rules  the update-rules engine: extract the rules' values after an AI turn, write them to Kommo
    field_writes  undo what the update rules wrote
"""

from automations.services.chains import chain_runs_stop, chain_start, chains_stop_on
from automations.services.context import conversation_variables, template_render, template_variables_unknown
from automations.services.engine import AutomationEngine
from automations.services.field_writes import field_write_undo
from automations.services.update_rules import update_rules_apply

__all__ = [
    "AutomationEngine",
    "chain_runs_stop",
    "chain_start",
    "chains_stop_on",
    "conversation_variables",
    "field_write_undo",
    "template_render",
    "template_variables_unknown",
    "update_rules_apply",
]
