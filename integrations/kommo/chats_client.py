"""The only code that speaks to Kommo's Chats API ("amojo", KOMMO.md A4): no OAuth token, every
request signed with the channel's secret.

    Date          RFC 2822, now (Kommo refuses one more than 15 minutes away)
    Content-MD5   lowercase hex md5 of the exact body bytes (of "" for a GET)
    X-Signature   lowercase hex HMAC-SHA1(secret, "METHOD\\nContent-MD5\\nContent-Type\\nDate\\npath"),
                  the path without host or query

The body is serialised once and those exact bytes are both signed and sent. Sending a message is not
repeated here after a timeout or a 5xx (Kommo may have stored it): the caller's task retries with
backoff and `msgid` lets Kommo recognise a repeat [M]. Errors map onto the typed Kommo errors.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from integrations.kommo.client import response_json
from integrations.kommo.exceptions import (
    KommoAuthFailed,
    KommoEntityNotFound,
    KommoError,
    KommoForbidden,
    KommoUnavailable,
    KommoValidationFailed,
)

CONTENT_TYPE = "application/json"


def signature_headers(secret: str, method: str, path: str, body: bytes, *, now: datetime | None = None) -> dict:
    date = (now or datetime.now(UTC)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    checksum = hashlib.md5(body).hexdigest()  # noqa: S324 (the protocol's checksum, not a security measure)
    text = "\n".join([method.upper(), checksum, CONTENT_TYPE, date, path])
    return {
        "Date": date,
        "Content-Type": CONTENT_TYPE,
        "Content-MD5": checksum,
        "X-Signature": hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest(),
    }


def hook_signature(secret: str, body: bytes) -> str:
    """What Kommo puts in a channel hook's X-Signature: hex HMAC-SHA1 of the body."""
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


class ChatsClient:
    def __init__(self, *, channel_id: str, secret: str, base_url: str | None = None) -> None:
        self.channel_id, self.secret = channel_id, secret
        self.base_url = (base_url or settings.KOMMO_AMOJO_URL).rstrip("/")
        self.timeout = (settings.KOMMO_CONNECT_TIMEOUT, settings.KOMMO_READ_TIMEOUT)

    def request(self, method: str, path: str, payload: Any = None) -> Any:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        url = f"{self.base_url}{path}"
        headers = signature_headers(self.secret, method, urlsplit(url).path, body)
        try:
            response = requests.request(method, url, data=body, headers=headers, timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise KommoUnavailable(f"Kommo's Chats API did not answer: {type(exc).__name__}") from exc
        return _decoded(response)

    def connect(self, amojo_id: str, *, title: str) -> dict[str, Any]:
        """Connect the channel to an account → {"scope_id", …}. Again after every reinstall."""
        return self.request(
            "POST",
            f"/v2/origin/custom/{self.channel_id}/connect",
            {"account_id": amojo_id, "title": title, "hook_api_version": "v2"},
        )

    def disconnect(self, amojo_id: str) -> None:
        self.request("DELETE", f"/v2/origin/custom/{self.channel_id}/disconnect", {"account_id": amojo_id})

    def create_chat(self, scope_id: str, amojo_id: str, conversation_id: str, user: dict[str, Any]) -> dict[str, Any]:
        """Kommo's chat for our conversation → {"id" (Kommo's chat id), "user": {…}}; the existing one when
        the conversation has a chat already (the amoCRM chats reference: "Создание нового чата")."""
        return (
            self.request(
                "POST",
                f"/v2/origin/custom/{scope_id}/chats",
                {"conversation_id": conversation_id, "user": user, "account_id": amojo_id},
            )
            or {}
        )

    def send(self, scope_id: str, amojo_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Import a client's message or send one of ours → {"msgid" (Kommo's message id), "ref_id" (ours),
        "conversation_id" and "sender_id" (as we sent them), "receiver_id"}."""
        answer = self.request(
            "POST",
            f"/v2/origin/custom/{scope_id}",
            {"account_id": amojo_id, "event_type": "new_message", "payload": payload},
        )
        return (answer or {}).get("new_message") or {}


def _decoded(response: requests.Response) -> Any:
    status = response.status_code
    body = response_json(response)
    if status < 400:
        return body
    error = body if isinstance(body, dict) else {}
    detail = str(error.get("error_description") or error.get("detail") or response.text[:200] or f"HTTP {status}")
    kind = str(error.get("error_type") or "")
    extra = {"upstream_status": status, "error_type": kind} if kind else {"upstream_status": status}
    if status == 401:
        raise KommoAuthFailed(f"Kommo's Chats API refused the signature: {detail}", **extra)
    if status == 403:
        raise KommoForbidden(f"Kommo's Chats API refused: {detail}", **extra)
    if status == 404:
        raise KommoEntityNotFound(f"Kommo's Chats API: {detail}", **extra)
    if status >= 500 or status == 429:
        raise KommoUnavailable(f"Kommo's Chats API answered {status}: {detail}", **extra)
    if status in (400, 422):
        raise KommoValidationFailed(f"Kommo's Chats API rejected the data: {detail}", **extra)
    raise KommoError(f"Kommo's Chats API answered {status}: {detail}", **extra)
