from agent_platform.errors import Conflict, DomainError, InvalidInput, NotAuthenticated, NotFound, PermissionDenied


class WorkspaceHeaderInvalid(InvalidInput):
    code, title = "workspace_header_invalid", "X-Workspace must be a workspace id"


class MemberExists(Conflict):
    code, title = "member_exists", "Already a member"


class EmailTaken(Conflict):
    code, title = "email_taken", "Email already registered"


class InvalidCredentials(NotAuthenticated):
    """Wrong email or password: one answer for both, so accounts cannot be enumerated."""

    code, title = "invalid_credentials", "Invalid email or password"


class EmailNotVerified(PermissionDenied):
    code, title = "email_not_verified", "Confirm your email address first"


class LoginLocked(DomainError):
    """Too many failed logins for this account or from this address; `retry_after` says for how long."""

    status, code, title = 429, "login_locked", "Too many failed login attempts"


class TokenInvalid(InvalidInput):
    """An emailed link's token is unknown, used or expired (one answer for the three)."""

    code, title = "token_invalid", "This link is invalid or has expired"


class RefreshTokenInvalid(NotAuthenticated):
    code, title = "token_not_valid", "Refresh token is invalid, expired or revoked"


class PasswordIncorrect(InvalidInput):
    code, title = "password_incorrect", "The current password is not correct"


class AvatarInvalid(InvalidInput):
    code, title = "avatar_invalid", "The avatar must be a PNG, JPEG, GIF or WebP image"


class AvatarTooLarge(InvalidInput):
    code, title = "avatar_too_large", "The avatar file is too large"


class LastOwner(Conflict):
    code, title = "last_owner", "A workspace needs at least one owner"


class MemberNotFound(NotFound):
    code, title = "member_not_found", "Member not found"


class InvitationInvalid(InvalidInput):
    code, title = "invitation_invalid", "This invitation is invalid, used or expired"


class InvitationEmailMismatch(PermissionDenied):
    code, title = "invitation_email_mismatch", "This invitation was sent to another email address"


class PasswordInvalid(InvalidInput):
    """Too short, too common or too like the email/name; messages under `errors.password`."""

    code, title = "password_invalid", "Choose a stronger password"


class ApiKeyInvalid(NotAuthenticated):
    """Unknown, malformed or revoked: one answer for all, so keys cannot be probed."""

    code, title = "api_key_invalid", "Invalid API key"


class OriginNotAllowed(PermissionDenied):
    """A call that sets or uses the session cookie from a page not of this deployment (CSRF)."""

    code, title = "origin_not_allowed", "This request must come from the platform's own pages"
