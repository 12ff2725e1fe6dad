"""OpenAPI: every operation documents its problem responses and the X-Workspace header."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import workspace_scope


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, the body of every error response."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Stable, machine-readable snake_case error code.")
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field errors: field path → messages (validation_error only).",
    )


UPSTREAM_FAILURES = {
    502: "A service the operation calls failed (the problem's code says which)",
    503: "A service the operation calls could not be reached (the problem's code says which)",
    422: "The address the request names could not be fetched (the problem's code says why)",
}


def calls_upstream(view_method=None, *, status: int | tuple[int, ...] = 502):
    """Marks an API action that calls another service for the request: its schema documents the
    failure's status — 502 when a service we use fails (Kommo, a model; 503 too where it may not be
    reachable at all), 422 when it is the page the client itself named (`@calls_upstream(status=422)`):
    the platform is not at fault either way."""

    def mark(method):
        method.upstream_failure_statuses = status if isinstance(status, tuple) else (status,)
        return method

    return mark(view_method) if view_method is not None else mark


class ProblemAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return any(isinstance(p, AllowAny) or p is AllowAny for p in self.view.get_permissions())

    def _is_workspace_view(self) -> bool:
        return isinstance(self.view, WorkspaceViewSet)

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._is_workspace_view():
            params.append(
                OpenApiParameter(
                    "X-Workspace",
                    int,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Workspace id; optional when the user belongs to exactly one workspace.",
                )
            )
        return params

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        # Introspection builds (never runs) querysets of workspace-owned models; workspace 0 has no rows.
        with workspace_scope(0):
            operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        problem = {"application/problem+json": {"schema": self.resolve_serializer(ProblemSerializer, "response").ref}}
        # Every operation may meet a malformed request (a NUL in a query parameter, a broken body).
        statuses = {"400": "Invalid input", "429": "Too many requests"}
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            statuses["409"] = "Conflict with the current state (the problem's code says which)"
        handler = getattr(self.view, getattr(self.view, "action", None) or method.lower(), None)
        for upstream in getattr(handler, "upstream_failure_statuses", ()):
            statuses[str(upstream)] = UPSTREAM_FAILURES[upstream]
        if not self._is_public():
            statuses["401"] = "Not authenticated"
            statuses["403"] = "Permission denied"
        if "{" in path or self._is_workspace_view():
            statuses["404"] = "Not found"
        for status, description in statuses.items():
            operation["responses"].setdefault(status, {"description": description, "content": problem})
        # Every error is a problem+json, also where a view documents its own problems (`OpenApiResponse`).
        for status, response in operation["responses"].items():
            content = response.get("content") or {}
            if status.startswith(("4", "5")) and "application/json" in content:
                content["application/problem+json"] = content.pop("application/json")
        return operation


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents `Authorization: Api-Key apk_…` (accepted only where a viewset lists key scopes)."""

    target_class = "accounts.api.authentication.ApiKeyAuthentication"
    name = "workspaceApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A workspace API key: `Authorization: Api-Key apk_…` (see /api/workspaces/{id}/api-keys).",
        }


class PlatformJWTScheme(SimpleJWTScheme):
    """The platform's JWT authentication is simplejwt's plus session revocation: the same scheme."""

    target_class = "agent_platform.api.authentication.JWTAuthentication"
