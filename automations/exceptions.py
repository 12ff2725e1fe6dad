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


class ActionFailed(DomainError):
    """An action could not run on this conversation (no CRM lead, a chain deleted since the save)."""

    code, title = "automation_action_failed", "The action could not run"


class WebhookFailed(DomainError):
    """The webhook action's receiver did not take the event; `retryable` says whether to try again."""

    code, title = "automation_webhook_failed", "The webhook did not accept the event"

    def __init__(self, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.retryable = retryable
