"""The Chats API ("amojo", KOMMO.md A4) on the hub listener, for channels registered with
`FakeKommo.add_chat_channel(channel_id, secret, webhook_url)`.

Every request is checked: `Date` (RFC 2822, at most 15 min away from now) → else 401; `Content-MD5`
equal to the lowercase hex md5 of the exact body bytes → else 403; `X-Signature` equal to the
lowercase hex HMAC-SHA1(channel secret, "METHOD\\nContent-MD5\\nContent-Type\\nDate\\npath") → else
403; an unknown channel → 404. Error bodies [M]: `{"error_code": N, "error_type": "…", "error_description": "…"}`.

Calls: `POST /v2/origin/custom/{channel_id}/connect` `{"account_id": amojo_id, "title", "hook_api_version"}`
→ `{"account_id", "scope_id": "{channel_id}_{amojo_id}", "title", "hook_api_version"}`;
`DELETE /v2/origin/custom/{channel_id}/disconnect` → 200 empty; `POST /v2/origin/custom/{scope_id}`
(`event_type: new_message`, a message from the client: only `sender`; from a user: `sender.ref_id`
and `receiver`) → `{"new_message": {"conversation_id", "sender_id", "receiver_id", "msgid", "ref_id"}}` (our
conversation and sender ids echoed, Kommo's message id in `msgid`, ours in `ref_id`);
`POST /v2/origin/custom/{scope_id}/chats` → `{"id", "user": {…}}`, the chat's id, the same one its first message
then lands in (and the existing one for a known conversation);
`GET /v2/origin/custom/{scope_id}/chats/{conversation_id}/history` → `{"messages": [...]}` [M].
A client message creates the contact/lead/talk like `customer_writes` (origin = the channel's code).

Outgoing hook (a Kommo user writes into a chat of the channel: `FakeKommo.manager_writes_in_channel`):
POST the v2 body to the channel's `webhook_url` (`:scope_id` in it replaced), `Content-Type:
application/json`, `X-Signature` = hex HMAC-SHA1(key=secret, msg=body), 5 s timeout, sent once,
never retried. Body: `{"account_id", "time", "message": {"receiver": {"id", "phone", "email",
"client_id", "name"}, "sender": {"id", "name"}, "conversation": {"id", "client_id"}, "timestamp",
"msec_timestamp", "message": {"id", "type": "text", "text", "media", "thumbnail", "file_name", "file_size"}}}`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from integrations.kommo.fakes import crm
from integrations.kommo.fakes.server import Request, Response, plain_json
from integrations.kommo.fakes.state import ChatChannel, FakeAccount

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FakeKommo

DATE_WINDOW = 15 * 60
_PATH = re.compile(r"^/v2/origin/custom/(?P<id>[^/]+)(?P<rest>/.*)?$")


def _error(status: int, kind: str, description: str) -> Response:
    return plain_json({"error_code": status, "error_type": kind, "error_description": description}, status)


def sign(secret: str, method: str, body: bytes, content_type: str, date: str, path: str) -> tuple[str, str]:
    """(Content-MD5, X-Signature) for a request, as a client must compute them."""
    md5 = hashlib.md5(body).hexdigest()  # noqa: S324 (the protocol's checksum, not security)
    text = "\n".join([method.upper(), md5, content_type, date, path])
    return md5, hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest()


def verify(kommo: FakeKommo, req: Request, channel: ChatChannel) -> Response | None:
    date = req.header("date")
    try:
        sent = parsedate_to_datetime(date).timestamp() if date else None
    except (TypeError, ValueError):
        sent = None
    if sent is None or abs(kommo.now() - sent) > DATE_WINDOW:
        return _error(401, "DATE_INVALID", "The Date header is missing, malformed or more than 15 minutes away")
    md5 = hashlib.md5(req.body).hexdigest()  # noqa: S324 (the protocol's checksum)
    if not hmac.compare_digest(req.header("content-md5").lower(), md5):
        return _error(403, "CONTENT_MD5_INVALID", "Content-MD5 does not match the body")
    _, expected = sign(channel.secret, req.method, req.body, req.header("content-type"), date, req.path)
    if not hmac.compare_digest(req.header("x-signature").lower(), expected):
        return _error(403, "SIGNATURE_INVALID", "X-Signature does not match")
    return None


def _channel_and_account(kommo: FakeKommo, ident: str) -> tuple[ChatChannel | None, FakeAccount | None, str]:
    """From `{channel_id}` or `{scope_id}` = `{channel_id}_{amojo_id}`."""
    if ident in kommo.channels:
        return kommo.channels[ident], None, ""
    for channel in kommo.channels.values():
        prefix = f"{channel.channel_id}_"
        if ident.startswith(prefix):
            amojo_id = ident[len(prefix) :]
            account = next((a for a in kommo.accounts.values() if a.amojo_id == amojo_id), None)
            return channel, account, amojo_id
    return None, None, ""


def dispatch(kommo: FakeKommo, req: Request) -> Response:
    match = _PATH.match(req.path)
    if match is None:
        return _error(404, "NOT_FOUND", "Unknown path")
    ident, rest = match["id"], match["rest"] or ""
    with kommo.lock:
        channel, account, amojo_id = _channel_and_account(kommo, ident)
        if channel is None:
            return _error(404, "CHANNEL_NOT_FOUND", "No such channel")
        refused = verify(kommo, req, channel)
        if refused is not None:
            return refused
        try:
            body = req.json() if req.body.strip() else {}
        except ValueError:
            return _error(400, "BAD_REQUEST", "The body is not JSON")
        if account is None:  # channel-level calls
            if rest == "/connect" and req.method == "POST":
                return _connect(kommo, channel, body)
            if rest == "/disconnect" and req.method == "DELETE":
                return _disconnect(kommo, channel, body)
            return _error(404, "NOT_FOUND", "Unknown channel method")
        if channel.connected.get(amojo_id) is None:
            return _error(403, "SCOPE_NOT_CONNECTED", "The channel is not connected to this account")
        if rest == "" and req.method == "POST":
            return _send(kommo, channel, account, body)
        if rest == "/chats" and req.method == "POST":
            return _create_chat(kommo, channel, account, body)
        history = re.fullmatch(r"/chats/(?P<conversation>[^/]+)/history", rest)
        if history and req.method == "GET":
            return _history(account, history["conversation"])
        return _error(404, "NOT_FOUND", "Unknown scope method")


def _connect(kommo: FakeKommo, channel: ChatChannel, body: dict[str, Any]) -> Response:
    amojo_id = str(body.get("account_id") or "")
    account = next((a for a in kommo.accounts.values() if a.amojo_id == amojo_id), None)
    if account is None:
        return _error(400, "ACCOUNT_NOT_FOUND", "No account with that amojo id")
    if channel.client_id and account.id not in kommo.integrations[channel.client_id].installed_on:
        return _error(403, "INTEGRATION_NOT_INSTALLED", "The channel's integration is not installed in the account")
    scope_id = f"{channel.channel_id}_{amojo_id}"
    channel.connected[amojo_id] = scope_id
    return plain_json(
        {
            "account_id": amojo_id,
            "scope_id": scope_id,
            "title": body.get("title") or channel.code,
            "hook_api_version": body.get("hook_api_version") or "v2",
            "is_time_window_disabled": False,
        }
    )


def _disconnect(kommo: FakeKommo, channel: ChatChannel, body: dict[str, Any]) -> Response:
    channel.connected.pop(str(body.get("account_id") or ""), None)
    return Response(200)


def _send(kommo: FakeKommo, channel: ChatChannel, account: FakeAccount, body: dict[str, Any]) -> Response:
    payload = body.get("payload") if isinstance(body.get("payload"), dict) else None
    if body.get("event_type") != "new_message" or payload is None:
        return _error(400, "BAD_REQUEST", "event_type new_message with a payload is expected")
    sender = payload.get("sender") or {}
    message = payload.get("message") or {}
    conversation_id = str(payload.get("conversation_id") or "")
    if not conversation_id or not isinstance(sender, dict) or not isinstance(message, dict):
        return _error(400, "BAD_REQUEST", "conversation_id, sender and message are required")
    text = str(message.get("text") or "")
    if sender.get("ref_id"):  # outgoing, written by a Kommo user or the channel's bot
        chat = next((c for c in account.chats.values() if c.get("conversation_id") == conversation_id), None)
        if chat is None:
            return _error(404, "CHAT_NOT_FOUND", "No chat with that conversation_id")
        user = account.users.get(int(sender["ref_id"])) if str(sender["ref_id"]).isdigit() else None
        author = (
            {"id": user["id"], "type": kommo.user_author_type, "name": user["name"], "avatar_url": ""}
            if user
            else {"id": str(sender["ref_id"]), "type": "bot", "name": sender.get("name", "bot"), "avatar_url": ""}
        )
        stored = crm.outgoing_message(kommo, account, chat["lead_id"], text, author, chat=chat)
        sender_id, receiver_id = str(sender["ref_id"]), chat["client_amojo_id"]
    else:
        profile = sender.get("profile") or {}
        result = crm.customer_writes(
            kommo,
            account,
            origin=channel.code,
            text=text,
            name=str(sender.get("name") or ""),
            phone=profile.get("phone"),
            email=profile.get("email"),
            chat_id=_chat_id(account, conversation_id),
            message_type=str(message.get("type") or "text"),
            channel_id=channel.channel_id,
            conversation_id=conversation_id,
        )
        chat = account.chats[result["chat_id"]]
        chat["client_id"] = str(sender.get("id") or "")
        stored = next(m for m in account.messages if m["id"] == result["message_id"])
        sender_id, receiver_id = chat["client_amojo_id"], channel.bot_id
    return plain_json(
        {
            "new_message": {  # as the amoCRM chats reference's example: our own conversation and sender ids
                "conversation_id": conversation_id,
                "sender_id": str(sender.get("id") or sender_id),
                "receiver_id": receiver_id,
                "msgid": stored["id"],
                "ref_id": str(payload.get("msgid") or ""),
            }
        }
    )


def _create_chat(kommo: FakeKommo, channel: ChatChannel, account: FakeAccount, body: dict[str, Any]) -> Response:
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    conversation_id = str(body.get("conversation_id") or "")
    if not conversation_id:
        return _error(400, "BAD_REQUEST", "conversation_id is required")
    return plain_json(
        {
            "id": _chat_id(account, conversation_id),
            "user": {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{account.amojo_id}/user/{user.get('id')}")),
                "client_id": user.get("id"),
                "name": user.get("name"),
                "avatar": user.get("avatar", ""),
                "phone": (user.get("profile") or {}).get("phone"),
                "email": (user.get("profile") or {}).get("email"),
            },
        }
    )


def _chat_id(account: FakeAccount, conversation_id: str) -> str:
    """Kommo's id of the chat of one of the channel's conversations (the same before and after its first message)."""
    existing = next((c["id"] for c in account.chats.values() if c.get("conversation_id") == conversation_id), None)
    return existing or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{account.amojo_id}/{conversation_id}"))


def _history(account: FakeAccount, conversation_id: str) -> Response:
    chat = next((c for c in account.chats.values() if conversation_id in (c.get("conversation_id"), c["id"])), None)
    if chat is None:
        return _error(404, "CHAT_NOT_FOUND", "No chat with that conversation_id")
    messages = [
        {
            "timestamp": m["created_at"],
            "sender": {"id": str(m["author"]["id"]), "name": m["author"]["name"]},
            "message": {"id": m["id"], "type": m["message_type"], "text": m["text"]},
        }
        for m in account.messages
        if m["chat_id"] == chat["id"]
    ]
    return plain_json({"messages": list(reversed(messages))})


# -- the outgoing hook --------------------------------------------------------------------------


def manager_writes_in_channel(
    kommo: FakeKommo, account: FakeAccount, chat: dict[str, Any], text: str, user: dict[str, Any]
) -> tuple[dict[str, Any], int | None]:
    """A Kommo user answers in a chat of a custom channel: stored, webhooks emitted, the channel hook POSTed once."""
    channel = kommo.channels[chat["channel_id"]]
    author = {"id": user["id"], "type": kommo.user_author_type, "name": user["name"], "avatar_url": ""}
    with kommo.lock:
        message = crm.outgoing_message(kommo, account, chat["lead_id"], text, author, chat=chat)
        contact = account.contacts.get(chat["contact_id"]) or {}
    now = kommo.now()
    body = {
        "account_id": account.amojo_id,
        "time": int(now),
        "message": {
            "receiver": {
                "id": chat["client_amojo_id"],
                "name": chat.get("client_name") or contact.get("name", ""),
                "phone": chat.get("phone") or "",
                "email": "",
                "client_id": chat.get("client_id") or "",
            },
            "sender": {"id": user["amojo_id"], "name": user["name"]},
            "conversation": {"id": chat["id"], "client_id": chat.get("conversation_id") or ""},
            "timestamp": int(now),
            "msec_timestamp": int(now * 1000),
            "message": {
                "id": message["id"],
                "type": "text",
                "text": text,
                "media": "",
                "thumbnail": "",
                "file_name": "",
                "file_size": 0,
            },
        },
    }
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    signature = hmac.new(channel.secret.encode(), raw, hashlib.sha1).hexdigest()
    scope_id = channel.connected.get(account.amojo_id, f"{channel.channel_id}_{account.amojo_id}")
    url = channel.webhook_url.replace(":scope_id", scope_id)
    status = kommo.call_out(
        "chat_hook",
        "POST",
        url,
        timeout=5.0,
        data=raw,
        headers={"Content-Type": "application/json", "X-Signature": signature},
    )
    return message, status
