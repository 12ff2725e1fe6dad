"""Writes of the automations app, one module per engine; the API, the tasks and the engine installed
at the processor's hook points (`engine`) import from here.

    engine        the conversations app's hook points (conversations.types.AutomationHooks) → the engines
    context       the template variables of a conversation, and rendering a template
    chains        the chain scheduler: runs, their due steps inside working hours, start and stop
    chain_steps   running due steps exactly once: the beat claim, the step itself, the lost-claim sweep
    followup      an AI-written follow-up grounded in the conversation and the knowledge base
"""

from automations.services.chain_steps import CLAIM_BATCH, chain_step_run, chain_steps_claim, chain_steps_recover
from automations.services.chains import chain_runs_stop, chain_start, chains_stop_on
from automations.services.context import conversation_variables, template_render, template_variables_unknown
from automations.services.engine import AutomationEngine

__all__ = [
    "CLAIM_BATCH",
    "AutomationEngine",
    "chain_runs_stop",
    "chain_start",
    "chain_step_run",
    "chain_steps_claim",
    "chain_steps_recover",
    "chains_stop_on",
    "conversation_variables",
    "template_render",
    "template_variables_unknown",
]
