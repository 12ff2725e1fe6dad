"""Reads of the Kommo integration: its status as the Integrations page shows it, and the synced
pipelines, fields and users the agent editor picks from."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from billing.types import AttentionItem, AttentionSeverity
from integrations.kommo.models import (
    KommoEntity,
    KommoField,
    KommoIntegration,
    KommoPipeline,
    KommoUser,
    KommoWebhookDelivery,
)


def integration_get() -> KommoIntegration | None:
    """The active workspace's Kommo integration (connected or not), if it ever connected."""
    return KommoIntegration.objects.select_related("connected_by").first()


def integration_status(integration: KommoIntegration | None) -> dict[str, Any]:
    """Everything the Integrations page shows (never a token or a secret)."""
    if integration is None:
        return {"connected": False, "status": KommoIntegration.Status.DISCONNECTED}
    since = timezone.now() - timedelta(hours=24)
    counts = KommoWebhookDelivery.objects.filter(received_at__gte=since).aggregate(
        received=Count("pk"), failed=Count("pk", filter=Q(status=KommoWebhookDelivery.Status.FAILED))
    )
    connected_by = integration.connected_by
    return {
        "connected": integration.is_active,
        "status": integration.status,
        "auth_kind": integration.auth_kind,
        "account": {
            "id": integration.account_id,
            "subdomain": integration.account_subdomain,
            "name": integration.account_name,
            "domain": integration.base_domain,
        },
        "connected_at": integration.connected_at,
        "connected_by": connected_by.email if connected_by else "",
        "token_expires_at": integration.access_expires_at,
        "reply_route": integration.reply_route,
        "salesbot_bot_id": integration.salesbot_bot_id,
        "sync": {
            "status": integration.sync_status,
            "progress": integration.sync_progress,
            "started_at": integration.sync_started_at,
            "finished_at": integration.sync_finished_at,
            "result": integration.sync_result,
            "error": integration.sync_error,
        },
        "webhook": {
            "registered": bool(integration.webhook_destination),
            "registered_at": integration.webhook_registered_at,
            "last_received_at": integration.last_webhook_at,
            "received_24h": counts["received"],
            "failed_24h": counts["failed"],
        },
        "last_errors": integration.last_errors[:10],
        "chats": chats_status(integration),
    }


def messenger_problem(integration: KommoIntegration | None) -> str:
    """Why the messengers Kommo carries (WhatsApp, Telegram, …) cannot reach an agent, or "" when they
    can: Kommo connected, its webhooks registered (the customer's messages come in), a Salesbot chosen
    (the replies go out)."""
    if integration is None or integration.status == KommoIntegration.Status.DISCONNECTED:
        return "kommo_not_connected"
    if not integration.is_active:
        return "kommo_needs_reconnect"
    if not integration.webhook_destination:
        return "kommo_no_webhooks"
    if not integration.salesbot_bot_id:
        return "kommo_no_salesbot"
    return ""


def pipeline_list(*, include_deleted: bool = False) -> QuerySet[KommoPipeline]:
    pipelines = KommoPipeline.objects.all()
    return pipelines if include_deleted else pipelines.filter(deleted_in_kommo=False)


def field_list(*, entity: str | None = None, include_deleted: bool = False) -> QuerySet[KommoField]:
    fields = KommoField.objects.all()
    if entity:
        fields = fields.filter(entity=entity)
    return fields if include_deleted else fields.filter(deleted_in_kommo=False)


def user_list() -> QuerySet[KommoUser]:
    return KommoUser.objects.filter(is_active=True)


def chats_channel(integration: KommoIntegration) -> tuple[str, str, str]:
    """(channel id, secret, code): the workspace's own channel, else the platform's."""
    if integration.chats_channel_id:
        return integration.chats_channel_id, integration.chats_secret, integration.chats_channel_code
    return settings.KOMMO_CHATS_CHANNEL_ID, settings.KOMMO_CHATS_CHANNEL_SECRET, settings.KOMMO_CHATS_CHANNEL_CODE


def chats_hook_url() -> str:
    """The URL to give Kommo with the channel's registration; Kommo puts the scope in `:scope_id`."""
    return f"{settings.PUBLIC_URL}/api/webhooks/kommo/chats/:scope_id"


def chats_status(integration: KommoIntegration) -> dict[str, object]:
    channel_id, secret, code = chats_channel(integration)
    return {
        "available": bool(channel_id and secret),
        "own_channel": bool(integration.chats_channel_id),
        "channel_id": channel_id,
        "channel_code": code,
        "connected": bool(integration.chats_scope_id),
        "scope_id": integration.chats_scope_id,
        "connected_at": integration.chats_connected_at,
        "hook_url": chats_hook_url(),
    }


def crm_card(*, lead_id: str, contact_id: str) -> dict[str, Any] | None:
    """The lead and contact of a conversation as our snapshot knows them (no call to Kommo): names,
    the lead's price and stage, the contact's phones and e-mails, every other filled field by its
    name, and links to them in Kommo. None when the workspace has no Kommo or the chat no CRM ids."""
    integration = integration_get()
    ids = {"leads": _int_or_none(lead_id), "contacts": _int_or_none(contact_id)}
    if integration is None or not any(ids.values()):
        return None
    snapshots = {
        row.entity: row.data
        for row in KommoEntity.objects.filter(
            Q(entity="leads", kommo_id=ids["leads"] or 0) | Q(entity="contacts", kommo_id=ids["contacts"] or 0)
        )
    }
    fields = {(f.entity, str(f.kommo_id)): f for f in KommoField.objects.filter(entity__in=("leads", "contacts"))}
    account_url = f"{_scheme(integration.base_domain)}://{integration.base_domain}"
    card: dict[str, Any] = {"account": integration.base_domain}
    for entity, kommo_id in ids.items():
        if kommo_id is None:
            card[entity[:-1]] = None
            continue
        data = snapshots.get(entity, {})
        values = [
            {"name": field.name, "code": field.code, "value": ", ".join(_field_text(field, v) for v in given)}
            for field_id, given in (data.get("fields") or {}).items()
            if (field := fields.get((entity, field_id))) and any(given)
        ]
        card[entity[:-1]] = {
            "id": kommo_id,
            "name": data.get("name") or " ".join(filter(None, (data.get("first_name"), data.get("last_name")))),
            "url": f"{account_url}/{entity}/detail/{kommo_id}",
            "known": bool(data),
            "fields": [v for v in values if v["code"] not in ("PHONE", "EMAIL")],
            "phones": next((v["value"].split(", ") for v in values if v["code"] == "PHONE"), []),
            "emails": next((v["value"].split(", ") for v in values if v["code"] == "EMAIL"), []),
        }
    if card["lead"] is not None:
        card["lead"]["price"] = snapshots.get("leads", {}).get("price")
        card["lead"]["stage"] = _stage(
            snapshots.get("leads", {}).get("pipeline_id"), snapshots.get("leads", {}).get("status_id")
        )
    return card


def lead_snapshot(*, lead_id: str) -> dict[str, Any] | None:
    """Our snapshot of a lead (no call to Kommo): pipeline_id, status_id, tags, price and fields
    ({field id: [values]}); None when we hold none."""
    kommo_id = _int_or_none(lead_id)
    if kommo_id is None:
        return None
    row = KommoEntity.objects.filter(entity="leads", kommo_id=kommo_id).first()
    return row.data if row is not None else None


def _int_or_none(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _field_text(field: KommoField, value: str) -> str:
    """A select's stored enum id as the option's name (webhooks send names, the API ids)."""
    option = next((e for e in field.enums if str(e.get("id")) == str(value)), None)
    return str(option["value"]) if option else str(value)


def _stage(pipeline_id: int | None, status_id: int | None) -> dict[str, Any] | None:
    pipeline = KommoPipeline.objects.filter(kommo_id=pipeline_id or 0).first()
    if pipeline is None:
        return None
    status = next((s for s in pipeline.statuses if s.get("id") == status_id), None)
    return {"pipeline": pipeline.name, "name": status["name"] if status else "", "color": (status or {}).get("color")}


def _scheme(base_domain: str) -> str:
    """Kommo accounts are HTTPS; the local Kommo (an allowed insecure host) is plain HTTP."""
    host = base_domain.split(":")[0]
    return "http" if host in settings.KOMMO_INSECURE_HOSTS else "https"


# A connected account holds one of the plan's channels, and so does one whose tokens need renewing:
# reconnecting it takes no new place.
CHANNEL_HOLDING = (KommoIntegration.Status.CONNECTED, KommoIntegration.Status.ERROR)
WEBHOOK_PROBLEM_WINDOW = timedelta(hours=24)


def kommo_channel_count(*, workspace) -> int:
    """The workspace's part of the plan's channels / integrations that Kommo holds (0 or 1)."""
    return KommoIntegration.objects.filter(workspace=workspace, status__in=CHANNEL_HOLDING).count()


def kommo_attention(*, workspace) -> list[AttentionItem]:
    """The dashboard's Kommo problems: the connection refused or revoked, the last sync failed,
    webhook deliveries that failed in the last 24 hours."""
    integration = KommoIntegration.objects.filter(workspace=workspace).first()
    if integration is None or integration.status == KommoIntegration.Status.DISCONNECTED:
        return []
    items = []
    if integration.status in (KommoIntegration.Status.ERROR, KommoIntegration.Status.REVOKED):
        extra = {"status": integration.status}
        items.append(AttentionItem("kommo_error", 1, AttentionSeverity.CRITICAL, "/integrations", extra))
    if integration.sync_status == KommoIntegration.SyncStatus.FAILED:
        items.append(AttentionItem("kommo_sync_failed", 1, AttentionSeverity.WARNING, "/integrations"))
    failed = KommoWebhookDelivery.objects.filter(
        workspace=workspace,
        received_at__gte=timezone.now() - WEBHOOK_PROBLEM_WINDOW,
        status=KommoWebhookDelivery.Status.FAILED,
    ).count()
    items.append(AttentionItem("kommo_webhooks_failed", failed, AttentionSeverity.WARNING, "/integrations"))
    return items
