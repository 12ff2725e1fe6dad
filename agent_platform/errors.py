"""Domain errors: raised by services, turned into RFC 9457 problem responses by the API layer.

`code` is a stable, snake_case API: the SPA branches on it. Apps subclass these in their own
`exceptions.py` (e.g. `class AgentNotFound(NotFound): code = "agent_not_found"`).
"""

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "domain_error"
    title: str = "Request could not be processed"

    def __init__(self, detail: str = "", *, errors: dict[str, list[str]] | None = None, **extra: Any) -> None:
        self.detail = detail or self.title
        self.errors = errors
        self.extra = extra
        super().__init__(self.detail)


class InvalidInput(DomainError):
    status, code, title = 400, "invalid", "Invalid input"


class NotAuthenticated(DomainError):
    status, code, title = 401, "not_authenticated", "Authentication required"


class PermissionDenied(DomainError):
    status, code, title = 403, "permission_denied", "Permission denied"


class NotFound(DomainError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict"


class QuotaExceeded(DomainError):
    status, code, title = 402, "quota_exceeded", "Plan limit reached"


class RateLimited(DomainError):
    status, code, title = 429, "rate_limited", "Too many requests"


class UpstreamFailed(DomainError):
    """A service we called for the request (a fetched page, Kommo, an AI provider) failed: not us."""

    status, code, title = 502, "upstream_failed", "An upstream service failed"


class ServiceUnavailable(DomainError):
    status, code, title = 503, "service_unavailable", "Service unavailable"


class WorkspaceRequired(InvalidInput):
    code, title = "workspace_required", "Choose a workspace"


class WorkspaceNotFound(NotFound):
    code, title = "workspace_not_found", "Workspace not found"
