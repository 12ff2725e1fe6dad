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


class ChainInvalid(InvalidInput):
    """A chain that cannot be saved: `errors` by JSON path (`working_hours`, `steps[1].template`,
    `steps[0].actions[2].params.stage_id`)."""

    code, title = "chain_invalid", "The chain is not valid"


class ChainNameTaken(Conflict):
    code, title = "chain_name_taken", "A chain with this name exists"


class ChainAlreadyRunning(Conflict):
    code, title = "chain_already_running", "The chain is already running on this conversation"


class ChainNotStartable(Conflict):
    code, title = "chain_not_startable", "The chain cannot start"


class ChainRunNotActive(Conflict):
    code, title = "chain_run_not_active", "The run has already ended"
