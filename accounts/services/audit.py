from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from accounts.models import AuditLog, User, Workspace
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
    request: HttpRequest | None = None,
) -> AuditLog:
    """Record who did what to which object, from where, with the before/after of a change."""
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
    if request is not None:
        entry.ip_address = client_ip(request)
        entry.user_agent = request.headers.get("User-Agent", "")[:300]
    if workspace is not None:
        with workspace_scope(workspace.pk):
            entry.save()
    else:
        entry.save()
    return entry


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, which brute-force limits and the audit log rely on.

    X-Forwarded-For is written by whoever sends the request, so only the entries appended by our
    own proxies count: with TRUSTED_PROXY_COUNT = N, the client is the N-th address from the right.
    With no trusted proxy (the default) the header is ignored and REMOTE_ADDR is the client."""
    proxies = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
