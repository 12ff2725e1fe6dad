from __future__ import annotations

from django.db.models import F

from accounts.exceptions import WorkspaceHeaderInvalid
from accounts.models import ApiKey, AuditLog, Invitation, Membership, Notification, User, Workspace
from agent_platform.api.keys import ApiKeyPrincipal
from agent_platform.errors import WorkspaceNotFound, WorkspaceRequired
from agent_platform.tenancy import Role


def membership_resolve(*, user: User, requested: str | int | None) -> Membership:
    """The user's membership in the requested workspace, or in their only workspace.

    A workspace the user does not belong to is reported exactly like one that does not exist.
    An API key acts in its own workspace only; its scopes, not this role, decide what it may do.
    """
    if isinstance(user, ApiKeyPrincipal):
        if requested not in (None, "") and str(requested) != str(user.workspace_id):
            raise WorkspaceNotFound("No such workspace, or you are not a member of it.")
        return Membership(workspace=user.key.workspace, role=Role.MEMBER)
    memberships = Membership.objects.select_related("workspace").filter(user=user)
    if requested not in (None, ""):
        try:
            workspace_id = int(requested)
        except (TypeError, ValueError):
            raise WorkspaceHeaderInvalid(f"X-Workspace must be a workspace id, not {requested!r}.") from None
        membership = memberships.filter(workspace_id=workspace_id).first()
        if membership is None:
            raise WorkspaceNotFound("No such workspace, or you are not a member of it.")
        return membership
    first_two = list(memberships.order_by("workspace_id")[:2])
    if not first_two:
        raise WorkspaceNotFound("You are not a member of any workspace.")
    if len(first_two) > 1:
        raise WorkspaceRequired("You belong to several workspaces: send the X-Workspace header.")
    return first_two[0]


def workspace_list_for_user(*, user: User):
    return Membership.objects.select_related("workspace").filter(user=user).order_by("workspace__name")


def membership_list(*, workspace: Workspace):
    """The members of a workspace (Membership is the tenancy table itself, so it is filtered here)."""
    return Membership.objects.select_related("user").filter(workspace=workspace).order_by("created_at", "id")


def invitation_list():
    """Pending invitations of the active workspace."""
    return Invitation.objects.select_related("invited_by").filter(accepted_at__isnull=True).order_by("-created_at")


def notification_list(*, user: User):
    """The user's notifications in the active workspace, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications in the active workspace are unread (the header's bell)."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def audit_log_list():
    """The active workspace's audit trail, newest first."""
    return AuditLog.objects.select_related("actor").order_by("-created_at", "-id")


def api_key_list():
    """The active workspace's API keys, live ones first, newest first."""
    return ApiKey.objects.select_related("created_by").order_by(F("revoked_at").desc(nulls_first=True), "-created_at")
