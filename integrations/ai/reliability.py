"""Retries for provider calls: the only retry layer (the SDKs' own retries are switched off).

Retried: 429, 5xx, timeouts, connection failures and unreadable answers (errors with
`retryable = True`), with exponential backoff and full jitter, or exactly the provider's
`Retry-After` when it sends one. Not retried: every other 4xx. At most `AI_MAX_ATTEMPTS` (≤ 5)
attempts; a Retry-After longer than `AI_RETRY_MAX_DELAY` ends the retries at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from integrations.ai.exceptions import AIError

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS_CEILING = 5


def backoff_delay(attempt: int, *, base: float, cap: float) -> float:
    """Full jitter: a random wait in [0, min(cap, base · 2^(attempt-1))]."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))  # jitter, not crypto


def call_with_retries(
    call: Callable[[], T],
    *,
    max_attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    describe: str = "ai call",
) -> tuple[T, int]:
    """Run `call` until it succeeds or a non-retryable error / the last attempt; returns
    (result, attempts). The error raised carries `.attempts`."""
    attempts_allowed = min(MAX_ATTEMPTS_CEILING, max_attempts or settings.AI_MAX_ATTEMPTS)
    base, cap = settings.AI_RETRY_BASE_DELAY, settings.AI_RETRY_MAX_DELAY
    attempt = 0
    while True:
        attempt += 1
        try:
            return call(), attempt
        except AIError as exc:
            exc.attempts = attempt
            if not exc.retryable or attempt >= attempts_allowed:
                raise
            if exc.retry_after is not None:
                if exc.retry_after > cap:
                    log.warning(
                        "%s: provider asks to wait %.1f s, more than AI_RETRY_MAX_DELAY", describe, exc.retry_after
                    )
                    raise
                delay = exc.retry_after
            else:
                delay = backoff_delay(attempt, base=base, cap=cap)
            log.info(
                "%s failed (%s), retrying in %.2f s (attempt %d of %d)",
                describe,
                exc.code,
                delay,
                attempt + 1,
                attempts_allowed,
            )
            sleep(delay)
