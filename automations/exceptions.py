"""Typed errors of the automations app (the API renders them as problems; branch on `code`)."""

from agent_platform.errors import Conflict, DomainError, NotFound


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
