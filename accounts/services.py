from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.exceptions import EmailTaken, MemberExists
from accounts.models import AuditLog, Membership, Notification, User, Workspace
from agent_platform import realtime
from agent_platform.tenancy import Role, workspace_scope


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:40] or "workspace"
    slug = base
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


@transaction.atomic
def workspace_create(*, name: str, owner: User, time_zone: str = "UTC") -> Workspace:
    """Create a workspace with `owner` as its first owner."""
    workspace = Workspace.objects.create(name=name, slug=_unique_slug(name), time_zone=time_zone)
    Membership.objects.create(user=owner, workspace=workspace, role=Role.OWNER)
    return workspace


def membership_add(*, workspace: Workspace, user: User, role: Role = Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(workspace=workspace, user=user, role=role)
    except IntegrityError:
        raise MemberExists("This user is already a member of the workspace.") from None


def user_create(*, email: str, password: str | None, name: str = "", **fields) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name, **fields)
    except IntegrityError:
        raise EmailTaken("A user with this email already exists.") from None


def notify(
    *,
    workspace: Workspace,
    kind: str,
    title: str,
    body: str = "",
    payload: dict | None = None,
    users: Iterable[User] | None = None,
    roles: Iterable[Role] | None = None,
) -> list[Notification]:
    """Notify people of a workspace: the given users, or every member holding one of `roles`
    (default: admins and owners). Stores one notification per person and publishes it to their
    websocket after commit."""
    if users is not None:
        recipients = list({user.pk: user for user in users}.values())
    else:
        wanted = {Role(role) for role in (roles or (Role.ADMIN, Role.OWNER))}
        recipients = [
            membership.user
            for membership in Membership.objects.select_related("user").filter(
                workspace=workspace, user__is_active=True
            )
            if Role(membership.role) in wanted
        ]
    with workspace_scope(workspace.pk):
        notifications = Notification.objects.bulk_create(
            [
                Notification(workspace=workspace, user=user, kind=kind, title=title, body=body, payload=payload or {})
                for user in recipients
            ]
        )
    for notification in notifications:
        realtime.publish(
            workspace.pk,
            "notification.created",
            {"id": notification.pk, "kind": kind, "title": title, "body": body, "payload": notification.payload},
            kind="user",
            obj_id=notification.user_id,
        )
    return notifications


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
    """The caller's address. Behind a proxy, REMOTE_ADDR is the proxy; deployments that trust one
    set the proxy to overwrite X-Forwarded-For, and we take its first hop."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None
