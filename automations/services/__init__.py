"""Writes of the automations app, one module per engine; the API, the tasks and the engine installed
at the processor's hook points (`engine`) import from here.

    engine        the conversations app's hook points (conversations.types.AutomationHooks) → the engines
    context       the template variables of a conversation, and rendering a template
    chains        the chain scheduler: runs, their due steps inside working hours, start and stop
    chain_steps   running due steps exactly once: the beat claim, the step itself, the lost-claim sweep
    followup      an AI-written follow-up grounded in the conversation and the knowledge base
    actions       the actions of triggers and chain steps: checked on save, run in order
    triggers      triggers as the editor saves them (condition and actions checked by JSON path)
    evaluation    the trigger engine: facts, the AI judge, run limits, a log row per evaluation
    silence       "customer silent for N minutes": timers set on each customer message, claimed by beat
    webhooks      the webhook action's signed POST
    update_rules  the update-rules engine: extract the rules' values after an AI turn, write them to Kommo
    field_writes  undo what the update rules wrote
"""

from automations.services.actions import ActionContext, action_errors, action_summary, actions_run
from automations.services.chain_edit import chain_create, chain_delete, chain_update
from automations.services.chain_steps import CLAIM_BATCH, chain_step_run, chain_steps_claim, chain_steps_recover
from automations.services.chains import chain_runs_stop, chain_start, chains_stop_on
from automations.services.context import conversation_variables, template_render, template_variables_unknown
from automations.services.engine import AutomationEngine
from automations.services.evaluation import trigger_test, triggers_on_messages
from automations.services.field_writes import field_write_undo
from automations.services.silence import silence_timer_run, silence_timers_claim, silence_timers_set
from automations.services.triggers import silence_minutes, trigger_create, trigger_delete, trigger_update, uses_ai
from automations.services.update_rules import update_rules_apply

__all__ = [
    "CLAIM_BATCH",
    "ActionContext",
    "AutomationEngine",
    "action_errors",
    "action_summary",
    "actions_run",
    "chain_create",
    "chain_delete",
    "chain_runs_stop",
    "chain_start",
    "chain_step_run",
    "chain_steps_claim",
    "chain_steps_recover",
    "chain_update",
    "chains_stop_on",
    "conversation_variables",
    "field_write_undo",
    "silence_minutes",
    "silence_timer_run",
    "silence_timers_claim",
    "silence_timers_set",
    "template_render",
    "template_variables_unknown",
    "trigger_create",
    "trigger_delete",
    "trigger_test",
    "trigger_update",
    "triggers_on_messages",
    "update_rules_apply",
    "uses_ai",
]
