"""One mechanism for role-based access: `WorkspaceRolePermission`, applied by every workspace viewset.

Safe methods need the `member` role and unsafe ones `admin`, unless the viewset names another role
for an action in `action_roles` (e.g. `{"destroy": Role.OWNER}`). A request made with a
workspace API key is judged by the key's scopes against the viewset's `api_key_scopes` instead.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from agent_platform.api.keys import ApiKeyPrincipal
from agent_platform.tenancy import Role


class WorkspaceRolePermission(BasePermission):
    message = "Your role in this workspace does not allow this action."
    code = "role_forbidden"

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, ApiKeyPrincipal):
            view.membership  # noqa: B018 (the key's workspace is checked against X-Workspace first: 404)
            return request.user.allows(view.api_key_scopes.get(view.action), request.method)
        needed = view.required_role()
        return Role(view.membership.role).includes(needed)


def default_role(request) -> Role:
    return Role.MEMBER if request.method in SAFE_METHODS else Role.ADMIN
