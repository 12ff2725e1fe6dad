"""The Chats API route (KOMMO.md A0.2, A4): a chat channel of our own in the Kommo account.

Kommo's Chats API cannot write into WhatsApp/Telegram/Instagram chats of other integrations (that is
Salesbot's job); it carries chats whose transport is ours. So this route mirrors the conversations of
the platform's own API channel into Kommo: a customer's message is imported (Kommo makes the contact,
lead and chat, and its webhooks tell us which), the AI's and teammates' replies are sent as the
channel's bot, and what a manager writes in that chat in Kommo reaches us by the channel's signed hook
(`chats_hook`) and goes on to the customer. The channel is the workspace's own registration with
Kommo (id, secret, code) or, when it has none, the platform's (KOMMO_CHATS_CHANNEL_*).
"""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.channels import ChannelSendError, MirroredMessage
from integrations.kommo.chats_client import ChatsClient
from integrations.kommo.exceptions import ChatsChannelNotConfigured, KommoError
from integrations.kommo.models import KommoChat, KommoChatMessage, KommoIntegration
from integrations.kommo.selectors import chats_channel
from integrations.kommo.services.tokens import client_for, integration_mark_error

log = logging.getLogger(__name__)

# External ids of the messages managers wrote in Kommo: such a message is never sent back there.
FROM_KOMMO_PREFIX = "kommo-chats-"
_PHONE = re.compile(r"^\+?[\d\s()-]{6,20}$")


def chats_client(integration: KommoIntegration) -> ChatsClient:
    channel_id, secret, _ = chats_channel(integration)
    return ChatsClient(channel_id=channel_id, secret=secret)


def chats_connect(integration: KommoIntegration) -> KommoIntegration:
    """Connect the channel to the account (again after every reinstall): Kommo answers with the scope
    our calls and its hook name. Raises the typed Kommo errors; nothing is stored on a refusal."""
    channel_id, secret, _ = chats_channel(integration)
    if not (channel_id and secret):
        raise ChatsChannelNotConfigured(
            "No Chats API channel: enter the channel Kommo's support registered for you "
            "(id, secret and code), or ask the platform's operator to set KOMMO_CHATS_CHANNEL_ID and "
            "KOMMO_CHATS_CHANNEL_SECRET."
        )
    amojo_id = integration.amojo_id or str(client_for(integration).account().get("amojo_id") or "")
    if not amojo_id:
        raise KommoError("Kommo did not tell the account's Chats API id (amojo_id).")
    answer = chats_client(integration).connect(amojo_id, title=settings.KOMMO_CHATS_TITLE) or {}
    scope_id = str(answer.get("scope_id") or "")
    if not scope_id:
        raise KommoError("Kommo's Chats API connected the channel but gave no scope_id.")
    integration.amojo_id, integration.chats_scope_id = amojo_id, scope_id
    integration.chats_connected_at = timezone.now()
    integration.save(update_fields=["amojo_id", "chats_scope_id", "chats_connected_at", "updated_at"])
    return integration


def chats_disconnect(integration: KommoIntegration) -> None:
    """Best effort: Kommo may already have let go of us; the scope is forgotten either way."""
    if integration.chats_scope_id and integration.amojo_id:
        try:
            chats_client(integration).disconnect(integration.amojo_id)
        except KommoError as exc:
            log.warning("Kommo Chats API disconnect failed", extra={"integration": integration.pk, "code": exc.code})
    integration.chats_scope_id, integration.chats_connected_at = "", None
    integration.save(update_fields=["chats_scope_id", "chats_connected_at", "updated_at"])


# -- the mirror --------------------------------------------------------------------------------------


def chats_mirror() -> ChatsMirror | None:
    """The active workspace's mirror, when its replies take the Chats API route and the channel is
    connected; else None (nothing to copy)."""
    integration = KommoIntegration.objects.filter(
        status=KommoIntegration.Status.CONNECTED, reply_route=KommoIntegration.ReplyRoute.CHATS_API
    ).first()
    if integration is None or not integration.chats_scope_id:
        return None
    return ChatsMirror(integration)


class ChatsMirror:
    def __init__(self, integration: KommoIntegration) -> None:
        self.integration = integration

    def mirror(self, message: MirroredMessage) -> None:
        if message.external_message_id.startswith(FROM_KOMMO_PREFIX):
            return  # a manager wrote it in Kommo: it is there already
        if KommoChatMessage.objects.filter(message_id=message.message_id).exists():
            return  # copied before (a repeated task)
        if message.direction == "in":
            chat = _chat_for(message)
            payload = self._customer_payload(chat, message)
        else:
            chat = KommoChat.objects.filter(channel=message.channel, external_chat_id=message.external_chat_id).first()
            if chat is None:
                return  # the conversation began before the route was chosen: Kommo has no chat to add to
            if not chat.kommo_chat_id:
                raise ChannelSendError("The customer's chat is not in Kommo yet.", retryable=True)
            payload = self._reply_payload(chat, message)
        client, scope_id, amojo_id = (
            chats_client(self.integration),
            self.integration.chats_scope_id,
            self.integration.amojo_id,
        )
        try:
            kommo_chat_id = chat.kommo_chat_id
            if not kommo_chat_id:  # Kommo's id of the chat: the send's answer names only ours
                kommo_chat_id = str(
                    client.create_chat(scope_id, amojo_id, chat.conversation_key, payload["sender"]).get("id") or ""
                )
            answer = client.send(scope_id, amojo_id, payload)
        except KommoError as exc:
            integration_mark_error(self.integration, f"Chats API: {exc.detail}", where="chats")
            raise ChannelSendError(f"Kommo's Chats API: {exc.detail}", retryable=exc.retryable) from exc
        with transaction.atomic():
            if kommo_chat_id and kommo_chat_id != chat.kommo_chat_id:
                KommoChat.objects.filter(pk=chat.pk).update(kommo_chat_id=kommo_chat_id, updated_at=timezone.now())
            try:
                with transaction.atomic():
                    KommoChatMessage.objects.create(
                        workspace_id=chat.workspace_id,
                        chat=chat,
                        message_id=message.message_id,
                        kommo_message_id=str(answer.get("msgid") or ""),
                        direction=KommoChatMessage.Direction.TO_KOMMO,
                    )
            except IntegrityError:
                pass  # a concurrent run recorded it

    def _customer_payload(self, chat: KommoChat, message: MirroredMessage) -> dict:
        profile = {}
        handle = message.customer_handle.strip()
        if "@" in handle:
            profile["email"] = handle
        elif _PHONE.match(handle):
            profile["phone"] = handle
        sender = {"id": chat.client_key, "name": message.customer_name or handle or "Customer"}
        if profile:
            sender["profile"] = profile
        return {**_common(chat, message), "sender": sender}

    def _reply_payload(self, chat: KommoChat, message: MirroredMessage) -> dict:
        channel_id, _, _ = chats_channel(self.integration)
        bot = settings.KOMMO_CHATS_BOT_ID or channel_id
        return {
            **_common(chat, message),
            "sender": {"id": f"bot-{bot}", "ref_id": bot, "name": message.author_name or "AI agent"},
            "receiver": {"id": chat.client_key},
        }


def _common(chat: KommoChat, message: MirroredMessage) -> dict:
    seconds = int(message.sent_at.timestamp())
    body: dict = {"type": "text", "text": message.text}
    attachment = next(iter(message.attachments), None)
    if not message.text and isinstance(attachment, dict) and attachment.get("url"):
        body = {"type": "file", "media": attachment["url"], "file_name": attachment.get("name", "")}
    return {
        "timestamp": seconds,
        "msec_timestamp": int(message.sent_at.timestamp() * 1000),
        "msgid": f"ap-{message.message_id}",
        "conversation_id": chat.conversation_key,
        "message": body,
        "silent": False,
    }


def _chat_for(message: MirroredMessage) -> KommoChat:
    chat, _ = KommoChat.objects.get_or_create(
        channel=message.channel,
        external_chat_id=message.external_chat_id,
        defaults={
            "workspace_id": message.workspace_id,
            "conversation_key": f"ap-{uuid.uuid4().hex}",
            "client_key": f"ap-client-{uuid.uuid4().hex}",
        },
    )
    return chat
