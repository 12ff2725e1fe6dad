from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.emails import email_send, public_link
from accounts.exceptions import (
    EmailTaken,
    InvitationEmailMismatch,
    InvitationInvalid,
    LastOwner,
    MemberExists,
)
from accounts.models import Invitation, Membership, User, Workspace
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from agent_platform.crypto import secret_digest
from agent_platform.tenancy import Role, workspace_scope

# Checks run before an invitation is created, e.g. the plan's seat limit: apps above accounts
# (billing) register them in their AppConfig.ready(), since accounts cannot import them. Each gets
# `workspace=` and `email=` (normalised) and raises a DomainError to refuse.
INVITATION_CHECKS: list[Callable[..., None]] = []


def invitation_check_register(check: Callable[..., None]) -> None:
    if check not in INVITATION_CHECKS:
        INVITATION_CHECKS.append(check)


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
    audit_record(action="workspace.created", actor=owner, workspace=workspace, target=workspace)
    return workspace


@transaction.atomic
def workspace_update(
    *, workspace: Workspace, actor: User, name: str | None = None, time_zone: str | None = None
) -> Workspace:
    """Rename the workspace or move it to another time zone (working hours and delays are read in it)."""
    changes = {field: value for field, value in (("name", name), ("time_zone", time_zone)) if value is not None}
    before = {field: getattr(workspace, field) for field in changes}
    if changes == before:
        return workspace
    for field, value in changes.items():
        setattr(workspace, field, value)
    workspace.save(update_fields=list(changes))
    audit_record(
        action="workspace.updated", actor=actor, workspace=workspace, target=workspace, before=before, after=changes
    )
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


def _owners_locked(workspace: Workspace) -> list[Membership]:
    # Locking every owner row serialises concurrent demotions/removals, so two owners cannot
    # demote each other at once and leave the workspace with none.
    return list(Membership.objects.select_for_update().filter(workspace=workspace, role=Role.OWNER))


@transaction.atomic
def membership_role_change(*, membership: Membership, role: Role, actor: User) -> Membership:
    """Give a member another role; the last owner cannot stop being one."""
    owners = _owners_locked(membership.workspace)
    if membership.role == Role.OWNER and role != Role.OWNER and len(owners) <= 1:
        raise LastOwner("Make someone else an owner first.")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="membership.role_changed",
        actor=actor,
        workspace=membership.workspace,
        target=membership,
        before={"role": before},
        after={"role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member (or let one leave); the last owner cannot leave."""
    owners = _owners_locked(membership.workspace)
    if membership.role == Role.OWNER and len(owners) <= 1:
        raise LastOwner("Make someone else an owner before leaving.")
    audit_record(
        action="membership.left" if membership.user_id == actor.pk else "membership.removed",
        actor=actor,
        workspace=membership.workspace,
        target=membership,
        before={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def invitation_create(*, workspace: Workspace, email: str, role: Role, invited_by: User) -> Invitation:
    """Invite someone by email; a newer invitation to the same address replaces older ones."""
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise MemberExists("This person is already a member of the workspace.")
    for check in INVITATION_CHECKS:
        check(workspace=workspace, email=email)
    secret = secrets.token_urlsafe(32)
    with workspace_scope(workspace.pk):
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            workspace=workspace,
            email=email,
            role=role,
            invited_by=invited_by,
            token_hash=secret_digest(secret),
            expires_at=timezone.now() + timedelta(seconds=settings.INVITATION_TIMEOUT),
        )
    invitee = User.objects.filter(email__iexact=email).first()
    context = {
        "inviter": invited_by.name or invited_by.email,
        "workspace": workspace.name,
        "role": Role(role).label,
        "link": public_link(f"/invitations/accept?token={workspace.pk}.{secret}"),
        "days": max(settings.INVITATION_TIMEOUT // 86400, 1),
    }
    language = invitee.language if invitee else invited_by.language
    transaction.on_commit(lambda: email_send(to=email, template="invitation", language=language, context=context))
    audit_record(
        action="invitation.created",
        actor=invited_by,
        workspace=workspace,
        target=invitation,
        after={"email": email, "role": role},
    )
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    audit_record(
        action="invitation.revoked",
        actor=actor,
        workspace=invitation.workspace,
        target=invitation,
        before={"email": invitation.email, "role": invitation.role},
    )
    invitation.delete()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the workspace an invitation (sent to this user's email address) is for. Single use."""
    workspace_part, _, secret = token.partition(".")
    if not workspace_part.isdigit() or not secret:
        raise InvitationInvalid()
    with workspace_scope(int(workspace_part)):
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("workspace")
            .filter(token_hash=secret_digest(secret))
            .first()
        )
        if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
            raise InvitationInvalid()
        if invitation.email.lower() != user.email.lower():
            raise InvitationEmailMismatch()
        membership = membership_add(workspace=invitation.workspace, user=user, role=Role(invitation.role))
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accepted",
        actor=user,
        workspace=invitation.workspace,
        target=membership,
        after={"role": membership.role},
    )
    notify(
        workspace=invitation.workspace,
        kind="member_joined",
        title=f"{user.name or user.email} joined {invitation.workspace.name}",
        payload={"user": user.pk, "role": membership.role},
        roles=[Role.OWNER],
    )
    return membership
