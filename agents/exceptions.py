from agent_platform.errors import Conflict, InvalidInput, NotFound


class UnknownAgentModel(InvalidInput):
    code, title = "unknown_model", "Unknown model"


class AgentNameTaken(Conflict):
    code, title = "agent_name_taken", "Agent name already used"


class AgentNotFound(NotFound):
    code, title = "agent_not_found", "No such agent"


class AgentVersionNotFound(NotFound):
    code, title = "agent_version_not_found", "No such version"


class InvalidWorkingHours(InvalidInput):
    code, title = "invalid_working_hours", "Invalid working hours"


class AgentEditConflict(Conflict):
    """Someone saved a newer version that changed what this save changes too: saving would overwrite
    their change unseen. `fields` names them, `version` is theirs."""

    code, title = "agent_edit_conflict", "Changed by someone else"
