"""Typed errors of the automations app (the API renders them as problems; branch on `code`)."""

from agent_platform.errors import Conflict, DomainError, InvalidInput, NotFound


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


class ActionFailed(DomainError):
    """An action could not run on this conversation (no CRM lead, a chain deleted since the save)."""

    code, title = "automation_action_failed", "The action could not run"


class WebhookFailed(DomainError):
    """The webhook action's receiver did not take the event; `retryable` says whether to try again."""

    code, title = "automation_webhook_failed", "The webhook did not accept the event"

    def __init__(self, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.retryable = retryable


class FieldWriteNotFound(NotFound):
    code, title = "field_write_not_found", "No such field update"


class FieldWriteNotUndoable(Conflict):
    """Only a value we wrote (status `written`) can be undone."""

    code, title = "field_write_not_undoable", "This field update cannot be undone"


class FieldChangedSinceWrite(Conflict):
    """The field no longer holds the value we wrote: someone changed it since; undo would clobber it."""

    code, title = "field_changed_since_write", "The field was changed after the AI wrote it"


class CrmWriteFailed(DomainError):
    """Kommo refused or could not take the change; `detail` carries its reason."""

    status, code, title = 502, "crm_write_failed", "Kommo did not accept the change"
