"""Writes of the automations app, one module per engine; the API, the tasks and the engine installed
at the processor's hook points (`engine`) import from here.

    engine        the conversations app's hook points (conversations.types.AutomationHooks) → the engines
    context       the template variables of a conversation, and rendering a template
    chains        the chain scheduler: runs, their due steps inside working hours, start and stop
"""

from automations.services.chains import chain_runs_stop, chain_start, chains_stop_on
from automations.services.context import conversation_variables, template_render, template_variables_unknown
from automations.services.engine import AutomationEngine

__all__ = [
    "AutomationEngine",
    "chain_runs_stop",
    "chain_start",
    "chains_stop_on",
    "conversation_variables",
    "template_render",
    "template_variables_unknown",
]
