"""Typed errors of the AI layer. Services raise them; the API turns them into problem responses and
the message processor into a visible failed state (branch on `code`)."""

from agent_platform.errors import DomainError, InvalidInput, NotFound, ServiceUnavailable
from billing.exceptions import BudgetExceeded

__all__ = [  # BudgetExceeded is billing's (budgets are), re-exported for the AI layer's callers
    "AIError",
    "BudgetExceeded",
    "CredentialInvalid",
    "ProviderAuthFailed",
    "ProviderBadResponse",
    "ProviderRateLimited",
    "ProviderRejected",
    "ProviderTimeout",
    "ProviderUnavailable",
    "UnknownEmbeddingModel",
    "UnknownModel",
]


class UnknownModel(NotFound):
    code, title = "unknown_model", "Unknown AI model"


class UnknownEmbeddingModel(NotFound):
    code, title = "unknown_embedding_model", "Unknown embedding model"


class AIError(DomainError):
    """Base of the provider-call failures; `retryable` says whether trying again may help."""

    code, title = "ai_error", "AI provider error"
    retryable = False

    def __init__(
        self, detail: str = "", *, retry_after: float | None = None, upstream_status: int | None = None, **extra
    ) -> None:
        super().__init__(detail, **extra)
        self.retry_after = retry_after  # seconds the provider asked us to wait (Retry-After)
        self.upstream_status = upstream_status


class ProviderUnavailable(AIError, ServiceUnavailable):
    """The provider could not be reached or kept failing (429/5xx/timeouts) after every retry."""

    status, code, title = 503, "ai_provider_unavailable", "The AI provider is unavailable"
    retryable = True


class ProviderTimeout(ProviderUnavailable):
    code, title = "ai_provider_timeout", "The AI provider did not answer in time"


class ProviderRateLimited(ProviderUnavailable):
    code, title = "ai_provider_rate_limited", "The AI provider is rate limiting"


class ProviderRejected(AIError):
    """The provider refused the request (4xx other than 429): bad key, unknown model, bad input."""

    status, code, title = 502, "ai_provider_rejected", "The AI provider rejected the request"


class ProviderAuthFailed(ProviderRejected):
    code, title = "ai_provider_auth_failed", "The AI provider rejected the credentials"


class ProviderBadResponse(AIError):
    """The provider answered something we could not read (malformed body, invalid JSON output)."""

    status, code, title = 502, "ai_provider_bad_response", "The AI provider's answer could not be read"
    retryable = True


class CredentialInvalid(InvalidInput):
    code, title = "ai_credential_invalid", "Invalid AI credential"
