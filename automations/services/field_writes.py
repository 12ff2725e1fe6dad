"""Undoing what the update rules wrote (SPEC §4.4): the value the field held before our write goes
back to Kommo, unless someone changed the field since (then undo would clobber their change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from agent_platform import realtime
from automations.exceptions import CrmWriteFailed, FieldChangedSinceWrite, FieldWriteNotUndoable
from automations.models import FieldWrite
from automations.services.update_rules import kommo_reason, same_values
from integrations.kommo.exceptions import KommoError
from integrations.kommo.services import FieldRef, field_values_current, fields_write

if TYPE_CHECKING:
    from accounts.models import User


def field_write_undo(*, write: FieldWrite, user: User) -> FieldWrite:
    """Restore the field's old value (an empty old value clears it) and mark the write `undone`.
    Raises FieldWriteNotUndoable, FieldChangedSinceWrite, or CrmWriteFailed (the row stays `written`)."""
    if write.status != FieldWrite.Status.WRITTEN:
        raise FieldWriteNotUndoable(f"Only a written value can be undone; this one is {write.status}.")
    ref = FieldRef(entity=write.entity, field_id=write.field_id, field_code=write.field_code)
    item = {"field_id": write.field_id} if write.field_id else {"field_code": write.field_code}
    try:
        current = field_values_current(entity=write.entity, entity_id=int(write.entity_id), refs=[ref])[ref]
        if not same_values(current, write.new_value):
            raise FieldChangedSinceWrite(
                f"{write.field_name or 'The field'} no longer holds the value the AI wrote; it was changed "
                "in Kommo since, so undo would overwrite that change."
            )
        fields_write(entity=write.entity, entity_id=int(write.entity_id), items=[{**item, "values": write.old_value}])
    except KommoError as exc:
        raise CrmWriteFailed(kommo_reason(exc)) from exc
    with transaction.atomic():
        locked = FieldWrite.objects.select_for_update().get(pk=write.pk)
        if locked.status != FieldWrite.Status.WRITTEN:  # a concurrent undo won the race
            raise FieldWriteNotUndoable(f"Only a written value can be undone; this one is {locked.status}.")
        locked.status, locked.undone_at, locked.undone_by = FieldWrite.Status.UNDONE, timezone.now(), user
        locked.save(update_fields=["status", "undone_at", "undone_by"])
        realtime.publish(
            locked.workspace_id,
            "field_writes.changed",
            {"conversation": locked.conversation_id, "id": locked.pk},
            kind="conversation",
            obj_id=locked.conversation_id,
        )
    return locked
