"""The workspace base viewset: the one place a request's workspace is resolved and scoped."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from agent_platform.api.inputs import unknown_fields_refuse
from agent_platform.api.keys import ApiKeyScope
from agent_platform.api.permissions import WorkspaceRolePermission, default_role
from agent_platform.tenancy import Role, enter_workspace_scope, exit_workspace_scope, workspace_scope

_FINAL_METHODS = ("get_queryset", "get_permissions", "initial", "dispatch")


# `self.validated(Input, request.data)`: the data an input serializer accepted, or a 400 problem with
# the field errors; every view parses its input this way (STYLE §3). A request body with a key the
# input does not declare is a 400 `unknown_field` (agent_platform/api/inputs.py); query parameters are
# not held to that. A comment, not a docstring: drf-spectacular would show a mixin's docstring as the
# description of every operation using it.
class InputMixin:
    def validated(self, serializer_class, data, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        if data is getattr(self.request, "data", None):
            unknown_fields_refuse(serializer, data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context() if hasattr(super(), "get_serializer_context") else {}
        return {"request": self.request, "view": self, **context}


class WorkspaceViewSet(InputMixin, viewsets.GenericViewSet):
    """Base of every viewset over workspace-owned data.

    The workspace comes from the `X-Workspace` header (or the user's only workspace) and is checked
    against the user's memberships: a workspace the user is not a member of answers 404. The
    workspace scope is active for the whole request, so every `WorkspaceOwned.objects` query in
    the view, its serializers and the services it calls is filtered to it.

    Subclasses implement `scoped_queryset()`; they may not override `get_queryset`,
    `get_permissions`, `initial` or `dispatch`. Roles per action go in `action_roles`; actions a
    workspace API key may call, with the scope it needs, in `api_key_scopes`.
    """

    action_roles: dict[str, Role] = {}
    api_key_scopes: dict[str, ApiKeyScope] = {}
    extra_permission_classes: tuple = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _FINAL_METHODS:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}(); workspace viewsets implement scoped_queryset() "
                    "and action_roles instead, so tenancy cannot be bypassed by accident."
                )

    def scoped_queryset(self) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} must implement scoped_queryset()")

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation has no request workspace; workspace 0 matches no row.
            with workspace_scope(0):
                return self.scoped_queryset().none()
        return self.scoped_queryset()

    def get_authenticators(self) -> list:
        authenticators = super().get_authenticators()
        if self.api_key_scopes:
            authenticators.insert(0, import_string(settings.API_KEY_AUTHENTICATION)())
        return authenticators

    def get_permissions(self) -> list:
        return [IsAuthenticated(), WorkspaceRolePermission(), *(p() for p in self.extra_permission_classes)]

    def required_role(self) -> Role:
        return self.action_roles.get(self.action, default_role(self.request))

    @cached_property
    def membership(self):
        """The request user's membership in the request's workspace (raises 400/404 problems)."""
        resolve = import_string(settings.WORKSPACE_MEMBERSHIP_RESOLVER)
        return resolve(user=self.request.user, requested=self.request.headers.get("X-Workspace"))

    @property
    def workspace(self):
        return self.membership.workspace

    def initial(self, request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, role permission, throttles
        self._workspace_scope_token = enter_workspace_scope(self.membership.workspace_id)
        request.workspace = self.membership.workspace
        request.membership = self.membership

    def dispatch(self, request, *args: Any, **kwargs: Any):
        self._workspace_scope_token = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._workspace_scope_token is not None:
                exit_workspace_scope(self._workspace_scope_token)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "_workspace_scope_token", None) is not None:
            context["workspace"] = self.membership.workspace
        return context


class WorkspaceModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    WorkspaceViewSet,
):
    """CRUD over one workspace-owned model; `perform_create` attaches the request's workspace."""

    def get_serializer(self, *args: Any, **kwargs: Any):
        serializer = super().get_serializer(*args, **kwargs)
        if kwargs.get("data") is not None and kwargs["data"] is self.request.data:
            unknown_fields_refuse(serializer, kwargs["data"])
        return serializer

    def perform_create(self, serializer) -> None:
        serializer.save(workspace=self.membership.workspace)
