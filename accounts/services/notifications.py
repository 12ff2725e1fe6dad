from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from accounts.emails import email_send, public_link
from accounts.models import Membership, Notification, User, Workspace
from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import Role, active_workspace_id, workspace_scope

NOTIFICATION_EMAIL_TASK = "accounts.tasks.notification_email_task"


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
    (default: admins and owners). Stores one notification per person; after commit, publishes it
    to their websocket and queues an email, each as their preferences for `kind` say (in-app on and
    email off unless they chose otherwise). A notification nobody wants in-app is stored as read."""
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
    channels = {user.pk: user.notification_channels(kind) for user in recipients}
    now = timezone.now()
    with workspace_scope(workspace.pk):
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    workspace=workspace,
                    user=user,
                    kind=kind,
                    title=title,
                    body=body,
                    payload=payload or {},
                    read_at=None if channels[user.pk]["in_app"] else now,
                )
                for user in recipients
                if channels[user.pk]["in_app"] or channels[user.pk]["email"]
            ]
        )
    for notification in notifications:
        wants = channels[notification.user_id]
        if wants["in_app"]:
            realtime.publish(
                workspace.pk,
                "notification.created",
                # The whole row, as the list API shows it: the SPA adds it to its list without a refetch.
                {
                    "id": notification.pk,
                    "kind": kind,
                    "title": title,
                    "body": body,
                    "payload": notification.payload,
                    "read_at": None,
                    "created_at": notification.created_at.isoformat(),
                },
                kind="user",
                obj_id=notification.user_id,
            )
        if wants["email"]:
            enqueue_on_commit(NOTIFICATION_EMAIL_TASK, workspace.pk, notification.pk)
    return notifications


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification, at most once (claimed by setting `emailed_at`). Runs in its workspace's
    scope. Returns whether an email was sent."""
    now = timezone.now()
    if not Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=now):
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if not user.is_active or not user.notification_channels(notification.kind)["email"]:
        return False  # the preference changed since, or the person left
    try:
        email_send(
            to=user.email,
            template="notification",
            language=user.language,
            context={"title": notification.title, "body": notification.body, "link": public_link("/notifications")},
        )
    except Exception:
        # Un-claim so the task's retry sends it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def notification_emails_recover(*, after_minutes: int = 10, within_minutes: int = 60) -> int:
    """Beat: queue again the emails of notifications whose send task was lost (the broker was
    down when they were created). The send claims `emailed_at`, so a spare task sends nothing.
    Only notifications between `after_minutes` and `within_minutes` old: a few more attempts,
    not a retry loop for an address that always fails."""
    now = timezone.now()
    pending = (
        Notification.objects.unscoped_across_workspaces()
        .select_related("user")
        .filter(
            emailed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=after_minutes),
            created_at__gte=now - timedelta(minutes=within_minutes),
            user__is_active=True,
        )
        .order_by("created_at")[:500]
    )
    queued = 0
    for notification in pending:
        if notification.user.notification_channels(notification.kind)["email"]:
            enqueue_on_commit(NOTIFICATION_EMAIL_TASK, notification.workspace_id, notification.pk)
            queued += 1
    return queued


def _read_publish(workspace_id: int, user_id: int, payload: dict) -> None:
    """Tell the user's other tabs (and devices) which notifications were read: their bells follow."""
    realtime.publish(workspace_id, "notification.read", payload, kind="user", obj_id=user_id)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _read_publish(notification.workspace_id, notification.user_id, {"id": notification.pk})
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` in the active workspace as read; returns how many."""
    updated = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    # The update ran in the active workspace's scope (its manager refuses to run without one).
    if updated and (workspace_id := active_workspace_id()) is not None:
        _read_publish(workspace_id, user.pk, {"all": True})
    return updated


def notification_delete(*, notification: Notification) -> None:
    notification.delete()
