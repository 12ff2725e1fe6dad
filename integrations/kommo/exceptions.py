"""Typed errors of the Kommo integration. The client maps Kommo's answers onto them where they enter;
services raise them; the API renders them as problems (branch on `code`)."""

from agent_platform.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class KommoError(DomainError):
    """Kommo answered in a way we cannot use; `retryable` says whether trying again may help."""

    status, code, title = 502, "kommo_error", "Kommo did not accept the request"
    retryable = False

    def __init__(self, detail: str = "", *, upstream_status: int | None = None, **extra) -> None:
        super().__init__(detail, **extra)
        self.upstream_status = upstream_status


class KommoUnavailable(KommoError):
    """Timeouts, connection errors and 5xx after every retry."""

    code, title = "kommo_unavailable", "Kommo is unreachable"
    retryable = True


class KommoRateLimited(KommoError):
    code, title = "kommo_rate_limited", "Kommo's rate limit was hit"
    retryable = True


class KommoAuthFailed(KommoError):
    """The account's tokens are refused even after a refresh (revoked, or the integration removed)."""

    code, title = "kommo_auth_failed", "Kommo refused the integration's credentials"


class KommoForbidden(KommoError):
    code, title = "kommo_forbidden", "Kommo refused the action (plan or rights)"


class KommoEntityNotFound(KommoError):
    code, title = "kommo_not_found", "Kommo has no such entity"


class KommoValidationFailed(KommoError):
    """A 400 with `validation-errors`: the field-level reasons are in `extra["validation_errors"]`."""

    status, code, title = 422, "kommo_validation_failed", "Kommo rejected the data"


class KommoNotConnected(Conflict):
    code, title = "kommo_not_connected", "Kommo is not connected"


class KommoAlreadyConnected(Conflict):
    code, title = "kommo_already_connected", "Kommo is already connected"


class OAuthStateInvalid(InvalidInput):
    code, title = "kommo_oauth_state_invalid", "The Kommo authorization is not valid (expired or forged)"


class WebhookBodyInvalid(InvalidInput):
    code, title = "kommo_webhook_invalid", "The webhook body is not a valid Kommo webhook"


class WebhookNotFound(NotFound):
    """An unknown secret and a secret of another account look the same from outside."""

    code, title = "not_found", "Not found"


class SignatureInvalid(PermissionDenied):
    code, title = "kommo_signature_invalid", "The request's signature is not valid"


class FieldValueInvalid(InvalidInput):
    code, title = "kommo_field_value_invalid", "The value does not fit the Kommo field"


class ChatsChannelNotConfigured(Conflict):
    code, title = "kommo_chats_not_configured", "No Chats API channel is set up"
