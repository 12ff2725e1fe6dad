"""The "call a webhook" action's request: the event as JSON, POSTed and signed exactly like the API
channel's webhooks (`X-Timestamp`, `X-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`), so a
receiver verifies both the same way. The secret is the action's own, else the API channel's."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from automations.exceptions import WebhookFailed
from conversations.selectors import api_channel_settings_get
from conversations.services import webhook_signature

TIMEOUT_SECONDS = 10.0


def webhook_post(*, url: str, event: dict[str, Any], secret: str | None) -> int:
    """POST the event; returns the receiver's status. Raises WebhookFailed (retryable on a network
    error, a 5xx or a 429)."""
    body = json.dumps(event, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Timestamp": timestamp}
    if not secret:
        channel = api_channel_settings_get()
        secret = channel.signing_secret if channel else ""
    if secret:
        headers["X-Signature"] = "sha256=" + webhook_signature(secret, timestamp, body)
    origin = event.get("origin") or {}
    if origin.get("log"):
        headers["Idempotency-Key"] = f"automation-{origin.get('kind')}-{origin['log']}"
    try:
        response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise WebhookFailed(f"Webhook unreachable: {type(exc).__name__}", retryable=True) from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise WebhookFailed(f"Webhook answered {response.status_code}", retryable=True)
    if response.status_code >= 400:
        raise WebhookFailed(f"Webhook refused the event ({response.status_code})", retryable=False)
    return response.status_code
