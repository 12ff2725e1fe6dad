from __future__ import annotations

from django.db import models

from accounts.models import AuditLog, User, Workspace
from agent_platform.request_context import current_origin
from agent_platform.tenancy import workspace_scope


def _diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    workspace: Workspace | None = None,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    metadata: dict | None = None,
) -> AuditLog:
    """Record who did what to which object, from where (the current request's origin), with the
    before/after of a change."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditLog(
        workspace=workspace,
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=_diff(before, after),
        metadata=metadata or {},
    )
    origin = current_origin()
    entry.ip_address, entry.user_agent = origin.ip_address, origin.user_agent
    if workspace is not None:
        with workspace_scope(workspace.pk):
            entry.save()
    else:
        entry.save()
    return entry
