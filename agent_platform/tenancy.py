"""Tenancy by construction: every workspace-owned query is scoped, or it raises.

The active workspace lives in a context variable, set in exactly four places: the workspace base
viewset (`agent_platform.api.viewsets.WorkspaceViewSet`), Celery tasks (`workspace_task`, whose first
argument is the workspace id), websocket consumers (`workspace_scope` around each database call), and
external entry points — webhooks that name their workspace by a secret in the URL or a verified
signature — through `entry_point_scope` (Kommo's account webhook, the hottest, fuses that lookup
with its insert in one SQL statement: `integrations.kommo.services.inbox`).
`WorkspaceOwned.objects` refuses to run a query without it; `unscoped_across_workspaces()` is the
long, greppable escape hatch for the admin, migrations and operations commands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from celery import shared_task
from django.db import models

_active_workspace: ContextVar[int | None] = ContextVar("workspace_id", default=None)


class Role(models.TextChoices):
    """A member's role in a workspace. Members read and work; admins configure; owners bill and
    manage the team. Each role includes the ones below it."""

    MEMBER = "member", "Member"
    ADMIN = "admin", "Admin"
    OWNER = "owner", "Owner"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def includes(self, other: Role) -> bool:
        return self.rank >= Role(other).rank


_ROLE_RANK = {Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


class TenantScopeMissing(RuntimeError):
    """A workspace-owned model was queried with no workspace scope active."""

    def __init__(self, model_name: str) -> None:
        super().__init__(
            f"{model_name}.objects was used without a workspace scope. Run inside workspace_scope(), "
            f"or use {model_name}.objects.unscoped_across_workspaces() in admin/ops code."
        )


class TenantScopeMismatch(RuntimeError):
    """A row of one workspace was written while another workspace's scope was active."""


def active_workspace_id() -> int | None:
    return _active_workspace.get()


@contextmanager
def workspace_scope(workspace_id: int) -> Iterator[None]:
    if not isinstance(workspace_id, int) or isinstance(workspace_id, bool):
        raise TypeError(f"workspace_scope() needs an integer workspace id, not {workspace_id!r}")
    token = _active_workspace.set(workspace_id)
    try:
        yield
    finally:
        _active_workspace.reset(token)


def entry_point_rows(
    model: type[WorkspaceOwned], *, only: tuple[str, ...] = (), **lookup: Any
) -> Iterator[WorkspaceOwned]:
    """The rows of `model` that an external entry point's secret or verified signature names (`lookup`,
    e.g. `webhook_secret_digest=…`), found across workspaces; each is yielded with its workspace's scope
    active. This is how a webhook (Kommo's, Salesbot's widget_request, Stripe's) enters a workspace.
    `only` names the fields a hot path reads (the rest load when touched)."""
    rows = model.all_workspaces.filter(**lookup).order_by("pk")
    for row in rows.only("pk", "workspace_id", *only) if only else rows:
        with workspace_scope(row.workspace_id):
            yield row


@contextmanager
def entry_point_scope(
    model: type[WorkspaceOwned], *, only: tuple[str, ...] = (), **lookup: Any
) -> Iterator[WorkspaceOwned | None]:
    """`entry_point_rows` for a lookup that names one row (a unique secret): that row, in its scope, or
    None — the caller then answers exactly as for any unknown URL, so a guess learns nothing about
    which workspaces exist."""
    rows = entry_point_rows(model, only=only, **lookup)
    try:
        yield next(rows, None)
    finally:
        rows.close()


def enter_workspace_scope(workspace_id: int):
    """Set the scope for code that cannot use a `with` block (a view's initial/finalize pair)."""
    return _active_workspace.set(workspace_id)


def exit_workspace_scope(token) -> None:
    _active_workspace.reset(token)


class WorkspaceQuerySet(models.QuerySet):
    pass


class WorkspaceManager(models.Manager.from_queryset(WorkspaceQuerySet)):
    """Fail-closed manager: scoped to the active workspace, raises when there is none."""

    def get_queryset(self) -> WorkspaceQuerySet:
        workspace_id = _active_workspace.get()
        if workspace_id is None:
            raise TenantScopeMissing(self.model.__name__)
        return super().get_queryset().filter(workspace_id=workspace_id)

    def unscoped_across_workspaces(self) -> WorkspaceQuerySet:
        return super().get_queryset()


class WorkspaceOwned(models.Model):
    """Base of every tenant-owned model."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceManager()
    # Framework internals (related managers, the admin, migrations) use this one.
    all_workspaces = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True
        default_manager_name = "all_workspaces"

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = _active_workspace.get()
        if active is not None and self.workspace_id is None:
            self.workspace_id = active
        if active is not None and self.workspace_id != active:
            raise TenantScopeMismatch(
                f"{type(self).__name__} of workspace {self.workspace_id} saved inside workspace {active}'s scope"
            )
        super().save(*args, **kwargs)


def workspace_task(*task_args: Any, **task_options: Any) -> Callable:
    """`shared_task` for tenant work: the first argument is the workspace id, and the task body
    runs inside that workspace's scope.

        @workspace_task(queue="indexing")
        def article_index_task(workspace_id: int, article_id: int) -> None: ...
    """

    def decorate(func: Callable) -> Callable:
        if task_options.get("bind"):

            @functools.wraps(func)
            def run_in_scope(task: Any, workspace_id: int, *args: Any, **kwargs: Any) -> Any:
                with workspace_scope(int(workspace_id)):
                    return func(task, workspace_id, *args, **kwargs)

        else:

            @functools.wraps(func)
            def run_in_scope(workspace_id: int, *args: Any, **kwargs: Any) -> Any:
                with workspace_scope(int(workspace_id)):
                    return func(workspace_id, *args, **kwargs)

        return shared_task(**task_options)(run_in_scope)

    if task_args and callable(task_args[0]):
        return decorate(task_args[0])
    return decorate
