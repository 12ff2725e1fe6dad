"""The actions of triggers and chain steps (SPEC §4.2): each kind's parameters checked when the
trigger or chain is saved (`action_errors`), and the actions run in order on a conversation
(`actions_run`), one result each. A failing action is recorded and the next one still runs: a CRM
that refuses a tag must not keep the customer's message from going out."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.services import notify
from agent_platform.celery import enqueue_on_commit
from agent_platform.errors import DomainError
from agent_platform.tenancy import Role
from automations.exceptions import ActionFailed
from automations.models import ActionKind, Chain, Trigger
from automations.services.chains import chain_runs_stop, chain_start
from automations.services.context import conversation_variables, template_render, template_variables_unknown
from conversations.services import automated_message_send, conversation_handoff, conversation_pause_ai
from integrations.kommo.exceptions import FieldValueInvalid
from integrations.kommo.selectors import field_list, pipeline_list
from integrations.kommo.services import (
    FieldRef,
    field_items,
    fields_write,
    lead_move,
    lead_tags_add,
    note_add,
    task_create,
)

if TYPE_CHECKING:
    from agents.models import Agent
    from conversations.models import Conversation

log = logging.getLogger(__name__)

MAX_TEXT = 4000
MAX_PAUSE_MINUTES = 60 * 24 * 30
MAX_TASK_MINUTES = 60 * 24 * 365
ROLES = [Role.OWNER.value, Role.ADMIN.value, Role.MEMBER.value]

# Each kind's parameters, as the vocabulary shows them to the editor: (name, type, required, choices).
# Types: text, template (text with {variables}), integer, tags (a list of text), roles (a list of
# choices), choice, pipeline_id, stage_id (of the chosen pipeline), field_id, value, chain_id,
# kommo_user_id, url, secret.
ACTION_PARAMS: dict[str, list[tuple[str, str, bool, list[str] | None]]] = {
    ActionKind.SEND_MESSAGE: [("text", "template", True, None)],
    ActionKind.CHANGE_STAGE: [("pipeline_id", "pipeline_id", True, None), ("stage_id", "stage_id", True, None)],
    ActionKind.SET_FIELD: [
        ("entity", "choice", True, ["lead", "contact"]),
        ("field_id", "field_id", True, None),
        ("value", "value", True, None),
    ],
    ActionKind.ADD_TAG: [("tags", "tags", True, None)],
    ActionKind.ADD_NOTE: [("text", "template", True, None)],
    ActionKind.CREATE_TASK: [
        ("text", "template", True, None),
        ("due_in_minutes", "integer", True, None),
        ("responsible_user_id", "kommo_user_id", False, None),
    ],
    ActionKind.NOTIFY: [
        ("title", "template", True, None),
        ("body", "template", False, None),
        ("roles", "roles", True, ROLES),
    ],
    ActionKind.PAUSE_AGENT: [("minutes", "integer", True, None)],
    ActionKind.HANDOFF: [("reason", "text", False, None)],
    ActionKind.START_CHAIN: [("chain_id", "chain_id", True, None)],
    ActionKind.STOP_CHAIN: [("chain_id", "chain_id", False, None)],
    ActionKind.WEBHOOK: [("url", "url", True, None), ("secret", "secret", False, None)],
}


# -- validation ------------------------------------------------------------------------------------


def action_errors(kind: str, params: Any) -> dict[str, list[str]]:
    """What is wrong with an action, by parameter ("stage_id"; "" for the action itself); empty when
    it can be saved. CRM ids are checked against the synced Kommo pipelines and fields."""
    if kind not in ACTION_PARAMS:
        return {"kind": [f"Unknown action; one of {', '.join(ACTION_PARAMS)}."]}
    if not isinstance(params, dict):
        return {"params": ["An object of the action's parameters."]}
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    spec = ACTION_PARAMS[kind]
    for name in params.keys() - {name for name, *_ in spec}:
        error(name, "Unknown parameter.")
    for name, kind_of, required, _choices in spec:
        value = params.get(name)
        if value in (None, "", []):
            if required:
                error(name, "Required.")
            continue
        if message := _value_error(kind_of, value):
            error(name, message)
    if not errors:
        _check_references(kind, params, error)
    return errors


def _value_error(kind_of: str, value: Any) -> str:
    if kind_of in ("text", "template", "secret"):
        if not isinstance(value, str):
            return "Text."
        if len(value) > MAX_TEXT:
            return f"At most {MAX_TEXT} characters."
        if kind_of == "template" and (unknown := template_variables_unknown(value)):
            return f"Unknown variables: {', '.join('{' + name + '}' for name in unknown)}."
        return ""
    if kind_of in ("integer", "pipeline_id", "stage_id", "field_id", "chain_id", "kommo_user_id"):
        whole = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return "" if whole else "A positive whole number."
    if kind_of == "choice":
        return "" if value in ("lead", "contact") else "lead or contact."
    if kind_of == "tags":
        ok = isinstance(value, list) and all(isinstance(tag, str) and 0 < len(tag.strip()) <= 50 for tag in value)
        return "" if ok else "A list of tags (1–50 characters each)."
    if kind_of == "roles":
        return "" if isinstance(value, list) and set(value) <= set(ROLES) else f"A list of {', '.join(ROLES)}."
    if kind_of == "url":
        try:
            URLValidator(schemes=["http", "https"])(value)
        except (ValidationError, TypeError):
            return "An http(s) URL."
        return ""
    return ""  # "value": checked against the field's type


def _check_references(kind: str, params: dict, error: Any) -> None:
    if kind == ActionKind.CHANGE_STAGE:
        pipeline = pipeline_list().filter(kommo_id=params["pipeline_id"]).first()
        if pipeline is None:
            error("pipeline_id", "Not a Kommo pipeline of this workspace (connect Kommo and sync).")
        elif not any(status.get("id") == params["stage_id"] for status in pipeline.statuses):
            error("stage_id", f"Not a stage of the pipeline {pipeline.name}.")
    elif kind == ActionKind.SET_FIELD:
        entity = params["entity"]
        if not field_list(entity=f"{entity}s").filter(kommo_id=params["field_id"]).exists():
            error("field_id", f"Not a Kommo {entity} field of this workspace (connect Kommo and sync).")
            return
        try:
            field_items([(FieldRef(entity=entity, field_id=params["field_id"]), params["value"])])
        except FieldValueInvalid as exc:
            error("value", exc.detail)
    elif kind == ActionKind.PAUSE_AGENT and params["minutes"] > MAX_PAUSE_MINUTES:
        error("minutes", f"At most {MAX_PAUSE_MINUTES} (30 days).")
    elif kind == ActionKind.CREATE_TASK and params["due_in_minutes"] > MAX_TASK_MINUTES:
        error("due_in_minutes", f"At most {MAX_TASK_MINUTES} (a year).")
    elif (
        kind in (ActionKind.START_CHAIN, ActionKind.STOP_CHAIN)
        and params.get("chain_id")
        and not Chain.objects.filter(pk=params["chain_id"]).exists()
    ):
        error("chain_id", "No such chain in this workspace.")


# -- execution -------------------------------------------------------------------------------------


@dataclass
class ActionContext:
    """Where actions run: the conversation, the agent speaking in it (None: none routed yet), and
    what runs them ({"kind": "trigger", "trigger": 4, "log": 91} or a chain step's origin)."""

    conversation: Conversation
    agent: Agent | None
    origin: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, str] | None = field(default=None, init=False, repr=False)  # read once, when needed

    def render(self, template: str) -> str:
        if self.variables is None:
            self.variables = conversation_variables(self.conversation, self.agent)
        return template_render(template, self.variables)


def actions_run(context: ActionContext, actions: list[tuple[str, dict]]) -> list[dict[str, Any]]:
    """Run the actions in order; each result is {"kind", "ok", "detail"} or {"kind", "ok": False,
    "error"}. A failure is recorded and the rest still run (each action in its own savepoint)."""
    results = []
    for kind, params in actions:
        try:
            with transaction.atomic():
                detail = _RUNNERS[kind](context, params)
            results.append({"kind": kind, "ok": True, "detail": detail})
        except DomainError as exc:
            results.append({"kind": kind, "ok": False, "error": exc.detail})
        except Exception as exc:  # one broken action must not stop the others; the log shows it
            log.exception("automation action crashed", extra={"kind": kind, "origin": context.origin})
            results.append({"kind": kind, "ok": False, "error": f"Internal error: {type(exc).__name__}"})
    return results


def action_summary(kind: str, params: dict) -> str:
    """What an action would do, in a line (a dry run shows these instead of running them)."""
    label = ActionKind(kind).label
    given = [name for name, *_ in ACTION_PARAMS[kind] if params.get(name) not in (None, "")]
    shown = ", ".join(f"{name}={params[name]!r}" for name in given)
    return f"{label}: {shown}" if shown else label


def _lead_id(context: ActionContext) -> int:
    lead = context.conversation.external_lead_id
    if not lead or not lead.isdigit():
        raise ActionFailed("The conversation has no CRM lead.")
    return int(lead)


def _send_message(context: ActionContext, params: dict) -> str:
    text = context.render(params["text"])
    if not text:
        raise ActionFailed("The message is empty once its variables are filled in.")
    message = automated_message_send(conversation=context.conversation, text=text, origin=context.origin)
    return f"Message {message.pk} queued"


def _change_stage(context: ActionContext, params: dict) -> str:
    lead_move(lead_id=_lead_id(context), stage_id=params["stage_id"], pipeline_id=params["pipeline_id"])
    return f"Lead moved to stage {params['stage_id']}"


def _set_field(context: ActionContext, params: dict) -> str:
    entity = params["entity"]
    if entity == "lead":
        entity_id = _lead_id(context)
    elif (contact := context.conversation.external_contact_id).isdigit():
        entity_id = int(contact)
    else:
        raise ActionFailed("The conversation has no CRM contact.")
    value = context.render(params["value"]) if isinstance(params["value"], str) else params["value"]
    items = field_items([(FieldRef(entity=entity, field_id=params["field_id"]), value)])
    fields_write(entity=entity, entity_id=entity_id, items=items)
    return f"Field {params['field_id']} set"


def _add_tag(context: ActionContext, params: dict) -> str:
    names = lead_tags_add(lead_id=_lead_id(context), tags=params["tags"])
    return f"Tags now: {', '.join(names)}"


def _add_note(context: ActionContext, params: dict) -> str:
    note = note_add(entity="lead", entity_id=_lead_id(context), text=context.render(params["text"]))
    return f"Note {note} added"


def _create_task(context: ActionContext, params: dict) -> str:
    due = timezone.now() + timedelta(minutes=params["due_in_minutes"])
    task = task_create(
        entity="lead",
        entity_id=_lead_id(context),
        text=context.render(params["text"]),
        complete_till=due,
        responsible_user_id=params.get("responsible_user_id"),
    )
    return f"Task {task} created"


def _notify(context: ActionContext, params: dict) -> str:
    conversation = context.conversation
    sent = notify(
        workspace=conversation.workspace,
        kind="automation",
        title=context.render(params["title"])[:200],
        body=context.render(params.get("body") or ""),
        payload={"conversation": conversation.pk, "automation": context.origin},
        roles=[Role(role) for role in params["roles"]],
    )
    return f"{len(sent)} people notified"


def _pause_agent(context: ActionContext, params: dict) -> str:
    conversation = conversation_pause_ai(conversation=context.conversation, minutes=params["minutes"])
    return f"AI paused until {conversation.ai_paused_until.isoformat(timespec='minutes')}"


def _handoff(context: ActionContext, params: dict) -> str:
    conversation_handoff(conversation=context.conversation, user=None, reason=params.get("reason") or "automation")
    return "Handed to a human"


def _start_chain(context: ActionContext, params: dict) -> str:
    chain = Chain.objects.filter(pk=params["chain_id"]).first()
    if chain is None:
        raise ActionFailed("The chain no longer exists.")
    trigger_id = context.origin.get("trigger")
    run = chain_start(
        chain=chain,
        conversation=context.conversation,
        started_by="trigger" if trigger_id else str(context.origin.get("kind", "automation")),
        trigger=Trigger.objects.filter(pk=trigger_id).first() if trigger_id else None,
    )
    if run is None:
        return f"Chain {chain.name} not started (already running, inactive or without steps)"
    return f"Chain {chain.name} started (run {run.pk})"


def _stop_chain(context: ActionContext, params: dict) -> str:
    chain = Chain.objects.filter(pk=params["chain_id"]).first() if params.get("chain_id") else None
    if params.get("chain_id") and chain is None:
        raise ActionFailed("The chain no longer exists.")
    stopped = chain_runs_stop(conversation=context.conversation, reason="Stopped by an automation", chain=chain)
    return f"{stopped} chain run(s) stopped"


def _webhook(context: ActionContext, params: dict) -> str:
    conversation = context.conversation
    event = {
        "event": "automation.webhook",
        "origin": context.origin,
        "conversation": {
            "id": conversation.pk,
            "channel": conversation.channel,
            "external_chat_id": conversation.external_chat_id,
            "lead_id": conversation.external_lead_id,
            "customer_name": conversation.customer_name,
        },
        "sent_at": timezone.now().isoformat(),
    }
    enqueue_on_commit(
        "automations.tasks.trigger_webhook_post_task",
        conversation.workspace_id,
        params["url"],
        event,
        params.get("secret") or None,
    )
    return "queued"


_RUNNERS = {
    ActionKind.SEND_MESSAGE: _send_message,
    ActionKind.CHANGE_STAGE: _change_stage,
    ActionKind.SET_FIELD: _set_field,
    ActionKind.ADD_TAG: _add_tag,
    ActionKind.ADD_NOTE: _add_note,
    ActionKind.CREATE_TASK: _create_task,
    ActionKind.NOTIFY: _notify,
    ActionKind.PAUSE_AGENT: _pause_agent,
    ActionKind.HANDOFF: _handoff,
    ActionKind.START_CHAIN: _start_chain,
    ActionKind.STOP_CHAIN: _stop_chain,
    ActionKind.WEBHOOK: _webhook,
}
