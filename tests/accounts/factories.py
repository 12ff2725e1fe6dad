"""Users, workspaces and memberships, made the way the platform makes them: users through the
manager's `create_user`, workspaces and memberships through the accounts services (a workspace
comes with its owner's membership)."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Membership, User, Workspace
from accounts.services import membership_add, workspace_create
from agent_platform.tenancy import Role

PASSWORD = "correct horse battery"


class UserFactory(DjangoModelFactory):
    """A user whose password is PASSWORD and whose email starts with `prefix` (owner3@example.com);
    `verified=True` for one who has verified the email."""

    class Meta:
        model = User

    class Params:
        prefix = "user"
        verified = factory.Trait(email_verified_at=factory.LazyFunction(timezone.now))

    email = factory.LazyAttributeSequence(lambda user, n: f"{user.prefix}{n}@example.com")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


class WorkspaceFactory(factory.Factory):
    """A workspace made by `workspace_create`, with `owner` as its owner member."""

    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    owner = factory.SubFactory(UserFactory, prefix="owner")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return workspace_create(**kwargs)


class MembershipFactory(factory.Factory):
    """A member added to a workspace by `membership_add` (a member, unless `role` says otherwise)."""

    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory, prefix="member")
    role = Role.MEMBER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return membership_add(**kwargs)
