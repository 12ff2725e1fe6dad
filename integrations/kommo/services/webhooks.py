"""Kommo's account webhooks (KOMMO.md A3): registered through the API on connect (and repaired on
demand), received at /api/webhooks/kommo/<secret>/… and stored, deduplicated, before anything else
(`inbox`), and processed by the drain: chat messages go to conversations as channel events, lead and
contact changes update our snapshot (and a lead's stage moves its conversations).

Receiving acknowledges in milliseconds (parse, check the account, store, wake the drain): Kommo waits
2 s and disables a hook after too many slow or failed answers. REST webhooks carry no signature, so the
defences are the per-workspace secret in the URL, the account named in the body matching the
connected one, and idempotency (the same body twice is one delivery; message ids are unique)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import workspace_scope
from integrations.channels import Channel, InboundMessage, LeadMoved, channel_event
from integrations.kommo.exceptions import KommoError
from integrations.kommo.models import KommoIntegration, KommoWebhookDelivery
from integrations.kommo.services import inbox
from integrations.kommo.services.chats_hook import (
    ChatNotMirroredYet,
    chats_hook_process,
    chats_link,
    is_own_channel_chat,
)
from integrations.kommo.services.crm import entity_get, entity_store, normalised_from_webhook
from integrations.kommo.services.salesbot import dispatch_echo
from integrations.kommo.services.tokens import client_for, integration_mark_error
from integrations.kommo.webhook_parser import WebhookEvent, parse_webhook

log = logging.getLogger(__name__)

# The events subscribed on connect (`settings` of POST /api/v4/webhooks; the message and talk codes are [M]).
EVENTS = [
    "add_lead",
    "update_lead",
    "status_lead",
    "responsible_lead",
    "add_contact",
    "update_contact",
    "add_talk",
    "update_talk",
    "add_message",
    "add_unsorted",
]

# A chat's `origin` in Kommo → our channel. Unknown origins (a new messenger) are web chats.
ORIGINS = {
    "whatsapp": Channel.WHATSAPP,
    "waba": Channel.WHATSAPP,
    "com.amocrm.amocrmwa": Channel.WHATSAPP,
    "telegram": Channel.TELEGRAM,
    "instagram": Channel.INSTAGRAM,
    "instagram_business": Channel.INSTAGRAM,
    "facebook": Channel.FACEBOOK,
    "viber": Channel.VIBER,
    "email": Channel.EMAIL,
}


def channel_of(origin: str) -> str:
    origin = (origin or "").lower()
    return next((channel for key, channel in ORIGINS.items() if key in origin), Channel.WEB_CHAT)


def webhook_url(integration: KommoIntegration, kind: str = "") -> str:
    url = f"{settings.PUBLIC_URL}/api/webhooks/kommo/{integration.webhook_secret}"
    return f"{url}/{kind}" if kind else url


def webhook_register(integration: KommoIntegration) -> KommoIntegration:
    """Subscribe (or re-subscribe: "repair") the account's webhooks to this workspace's URL."""
    client = client_for(integration)
    destination = webhook_url(integration)
    if integration.webhook_destination and integration.webhook_destination != destination:
        client.webhook_unsubscribe(integration.webhook_destination)
    client.webhook_subscribe(destination, EVENTS)
    KommoIntegration.objects.filter(pk=integration.pk).update(
        webhook_destination=destination, webhook_registered_at=timezone.now()
    )
    integration.webhook_destination, integration.webhook_registered_at = destination, timezone.now()
    realtime.publish(
        integration.workspace_id, "integration.updated", {"provider": "kommo", "status": integration.status}
    )
    return integration


def webhook_health(integration: KommoIntegration) -> dict[str, Any]:
    """What Kommo says of our hook (it disables hooks that keep failing), and what we received."""
    health: dict[str, Any] = {"registered": bool(integration.webhook_destination), "disabled": None}
    if integration.is_active and integration.webhook_destination:
        try:
            found = client_for(integration).webhooks(integration.webhook_destination)
            health["disabled"] = bool(found and found[0].get("disabled"))
            health["registered"] = bool(found)
        except KommoError as exc:
            health["error"] = exc.detail
    return health


# -- processing (the drain, a task) ---------------------------------------------------------------


def delivery_process(*, delivery_id: int) -> KommoWebhookDelivery | None:
    """Act on a stored delivery's events (claimed by the drain; in its workspace's scope)."""
    claimed = KommoWebhookDelivery.objects.filter(pk=delivery_id, status=KommoWebhookDelivery.Status.RECEIVED)
    delivery = claimed.first()
    integration = KommoIntegration.objects.first()
    if delivery is None or integration is None or not integration.is_active:
        return None
    KommoIntegration.objects.filter(pk=integration.pk).update(last_webhook_at=delivery.received_at)
    if delivery.kind == "chats":
        return _chats_delivery_process(integration, delivery, claimed)
    errors = []
    for event in parse_webhook(delivery.body.encode()).events:
        try:
            with transaction.atomic():
                _handle(integration, event)
        except Exception as exc:  # one bad event must not lose the others
            log.exception("Kommo webhook event failed", extra={"delivery": delivery.pk, "entity": event.entity})
            errors.append(f"{event.entity}[{event.action}] {event.entity_id}: {type(exc).__name__}: {exc}"[:300])
    status = KommoWebhookDelivery.Status.FAILED if errors else KommoWebhookDelivery.Status.PROCESSED
    claimed.update(status=status, error="\n".join(errors), processed_at=timezone.now())
    if errors:
        integration_mark_error(integration, errors[0], where="webhook")
    return delivery


def _chats_delivery_process(
    integration: KommoIntegration, delivery: KommoWebhookDelivery, claimed
) -> KommoWebhookDelivery:
    try:
        with transaction.atomic():
            chats_hook_process(integration, delivery)
    except Exception as exc:
        log.exception("Kommo Chats API hook failed", extra={"delivery": delivery.pk})
        error = f"chats hook: {type(exc).__name__}: {exc}"[:300]
        claimed.update(status=KommoWebhookDelivery.Status.FAILED, error=error, processed_at=timezone.now())
        integration_mark_error(integration, error, where="chats")
        return delivery
    claimed.update(status=KommoWebhookDelivery.Status.PROCESSED, error="", processed_at=timezone.now())
    return delivery


def _handle(integration: KommoIntegration, event: WebhookEvent) -> None:
    if event.entity == "message" and event.action == "add":
        _message(integration, event.data)
    elif event.entity in ("leads", "contacts") and event.action != "delete" and event.entity_id.isdigit():
        snapshot, updated = normalised_from_webhook(event.data)
        entity_store(
            workspace_id=integration.workspace_id,
            entity=event.entity,
            kommo_id=int(event.entity_id),
            snapshot=snapshot,
            updated_at=updated,
        )
        if event.entity == "leads" and snapshot.get("status_id") is not None:
            channel_event(
                LeadMoved(
                    workspace_id=integration.workspace_id,
                    lead_id=event.entity_id,
                    pipeline_id=snapshot.get("pipeline_id"),
                    stage_id=snapshot.get("status_id"),
                )
            )


def _message(integration: KommoIntegration, data: dict[str, Any]) -> None:
    if not data.get("id"):
        log.warning("Kommo chat message without an id ignored", extra={"chat": data.get("chat_id")})
        return
    author = data.get("author") if isinstance(data.get("author"), dict) else {}
    lead_id = str(data.get("entity_id") or "") if data.get("entity_type", "lead") == "lead" else ""
    chat_id = str(data.get("chat_id") or "")
    if is_own_channel_chat(integration, origin=str(data.get("origin", "")), kommo_chat_id=chat_id):
        link = {"kommo_chat_id": chat_id, "lead_id": lead_id, "contact_id": str(data.get("contact_id") or "")}
        link["talk_id"] = str(data.get("talk_id") or "")
        try:
            chats_link(integration, **link)
        except ChatNotMirroredYet:  # Kommo told its subscribers before it answered us: shortly
            enqueue_on_commit("integrations.tasks.kommo_chats_link_task", integration.workspace_id, link, countdown=2)
        return
    text = str(data.get("text") or "")
    outgoing = data.get("type") == "outgoing"
    if outgoing and dispatch_echo(lead_id=lead_id, text=text, author_type=str(author.get("type", ""))):
        return  # our own reply, sent by the Salesbot: already in the conversation
    pipeline_id = stage_id = None
    if lead_id.isdigit():
        lead, _ = entity_get(integration, entity="leads", kommo_id=int(lead_id))
        if lead is not None:
            pipeline_id, stage_id = lead.data.get("pipeline_id"), lead.data.get("status_id")
    attachment = data.get("attachment") if isinstance(data.get("attachment"), dict) else None
    channel_event(
        InboundMessage(
            workspace_id=integration.workspace_id,
            channel=channel_of(str(data.get("origin", ""))),
            external_chat_id=str(data.get("chat_id") or data.get("talk_id") or f"lead-{lead_id}"),
            external_message_id=str(data.get("id") or ""),
            text=text,
            direction="out" if outgoing else "in",
            sent_at=_timestamp(data.get("created_at")),
            author_name=str(author.get("name") or ""),
            attachments=({"type": attachment.get("type", ""), "url": attachment.get("link", "")},)
            if attachment
            else (),
            lead_id=lead_id,
            contact_id=str(data.get("contact_id") or ""),
            talk_id=str(data.get("talk_id") or ""),
            pipeline_id=pipeline_id,
            stage_id=stage_id,
        )
    )


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def deliveries_prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Processed deliveries older than a week (ops: across workspaces); failed ones stay for inspection."""
    deleted, _ = (
        KommoWebhookDelivery.objects.unscoped_across_workspaces()
        .filter(status=KommoWebhookDelivery.Status.PROCESSED, received_at__lt=timezone.now() - older_than)
        .delete()
    )
    return deleted


def deliveries_drain(*, batch: int = 25, budget: timedelta = timedelta(seconds=60)) -> int:
    """Process stored deliveries until none is left (or `budget` is spent: then another drain is
    woken to go on), each claimed once and processed in its workspace's scope. Run by the wake a new
    delivery sends and by beat every few seconds (ops: across workspaces). How many were processed."""
    inbox.drain_started()
    deadline = time.monotonic() + budget.total_seconds()
    processed = 0
    while time.monotonic() < deadline:
        claimed = inbox.deliveries_claim(limit=batch)
        if not claimed:
            return processed
        for workspace_id, delivery_id in claimed:
            with workspace_scope(workspace_id):
                delivery_process(delivery_id=delivery_id)
        processed += len(claimed)
    inbox.drain_wake()
    return processed
