"""Typed errors of the automations app (the API renders them as problems; branch on `code`)."""

from agent_platform.errors import Conflict, InvalidInput, NotFound


class TriggerInvalid(InvalidInput):
    """A trigger that cannot be saved: `errors` by JSON path (`condition.all[1].value`,
    `actions[2].params.stage_id`)."""

    code, title = "trigger_invalid", "The trigger is not valid"


class TriggerNameTaken(Conflict):
    code, title = "trigger_name_taken", "A trigger with this name exists"


class ConversationNotFound(NotFound):
    code, title = "conversation_not_found", "No such conversation"
