from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.exceptions import EmailTaken, MemberExists
from accounts.models import Membership, User, Workspace
from agent_platform.tenancy import Role


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
