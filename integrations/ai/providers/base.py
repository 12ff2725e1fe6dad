"""What the SDK-backed providers share: mapping HTTP failures to our typed errors."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping

from integrations.ai.exceptions import (
    AIError,
    ProviderAuthFailed,
    ProviderRateLimited,
    ProviderRejected,
    ProviderTimeout,
    ProviderUnavailable,
)


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The wait a provider asked for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def error_for_status(status: int, message: str, *, provider: str, headers: Mapping[str, str] | None = None) -> AIError:
    """429 and 5xx (and 408) may pass; other 4xx will not, so they are not retried."""
    detail = f"{provider} answered HTTP {status}: {message[:300]}"
    common = {"upstream_status": status, "provider": provider}
    if status == 429:
        return ProviderRateLimited(detail, retry_after=retry_after_seconds(headers), **common)
    if status == 408:
        return ProviderTimeout(detail, **common)
    if status >= 500:
        return ProviderUnavailable(detail, retry_after=retry_after_seconds(headers), **common)
    if status in (401, 403):
        return ProviderAuthFailed(detail, **common)
    return ProviderRejected(detail, **common)


def normalise_finish_reason(value: object) -> str:
    raw = str(getattr(value, "value", value) or "").lower()
    if raw in ("stop", "end_turn", "stop_sequence", "tool_use"):
        return "stop"
    if raw in ("length", "max_tokens"):
        return "length"
    if raw in ("content_filter", "safety", "recitation", "blocklist", "prohibited_content", "spii", "refusal"):
        return "content_filter"
    if raw == "tool_calls":
        return "tool_calls"
    return raw or "other"
