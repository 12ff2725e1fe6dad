"""Writes of the Kommo integration; the API, the tasks and other apps import from here
(`integrations.kommo.services`).

    connection  OAuth connect/callback, long-lived token, disconnect, the access-revoked hook
    tokens      the integration's tokens (refresh under a row lock) and its API client
    inbox       receiving webhooks (one statement: secret → workspace, store, dedupe) and the
                deliveries' queue (the row is the job: wake, claim with SKIP LOCKED)
    webhooks    registration and repair, and processing (the drain)
    sync        pipelines, fields and users, on connect, on a schedule and on demand
    crm         snapshots of leads and contacts, and the CRM fields an agent may read
    salesbot    replies through Salesbot: the adapter, widget_request, continue
    chats       the Chats API channel: connect, and the mirror of our API channel's conversations
    chats_hook  the channel's signed hook (a manager wrote in Kommo) and the chats' leads
    crm_write   what the automations change in the CRM: stage, fields (with their old values), tags,
                notes, tasks
"""

from __future__ import annotations

from integrations.channels import ChannelAdapter
from integrations.kommo.models import KommoIntegration
from integrations.kommo.services.chats import chats_mirror
from integrations.kommo.services.chats_hook import ChatNotMirroredYet, chats_hook_receive, chats_link
from integrations.kommo.services.connection import (
    access_revoked,
    connect_long_lived,
    connection_setup,
    disconnect,
    oauth_authorize,
    oauth_callback,
    settings_update,
    setup_urls,
)
from integrations.kommo.services.crm import crm_fields_for_prompt
from integrations.kommo.services.crm_write import (
    FieldRef,
    field_definition,
    field_items,
    field_values_current,
    fields_write,
    lead_move,
    lead_tags_add,
    note_add,
    task_create,
)
from integrations.kommo.services.inbox import deliveries_claim, delivery_receive, drain_wake
from integrations.kommo.services.salesbot import SalesbotAdapter, salesbot_continue, widget_request_receive
from integrations.kommo.services.sync import integrations_due_for_sync, sync_request, sync_run, sync_scheduled
from integrations.kommo.services.webhooks import (
    deliveries_drain,
    deliveries_prune,
    delivery_process,
    webhook_health,
    webhook_register,
)


def reply_adapter() -> ChannelAdapter:
    """The adapter that delivers replies on the active workspace's Kommo channels."""
    return SalesbotAdapter(KommoIntegration.objects.first())


def chats_link_now(**link: str) -> None:
    """Link a mirrored chat to its lead (the retry of a webhook that came early)."""
    integration = KommoIntegration.objects.first()
    if integration is not None and integration.is_active:
        chats_link(integration, **link)


def crm_context(*, lead_id: str, contact_id: str, allowed: list[dict]) -> dict:
    """The allowed CRM fields with their values for the active workspace's conversation (nothing when
    Kommo is not connected)."""
    return crm_fields_for_prompt(
        KommoIntegration.objects.first(), lead_id=lead_id, contact_id=contact_id, allowed=allowed
    )


__all__ = [
    "ChatNotMirroredYet",
    "FieldRef",
    "access_revoked",
    "chats_hook_receive",
    "chats_link_now",
    "chats_mirror",
    "connect_long_lived",
    "connection_setup",
    "crm_context",
    "deliveries_claim",
    "deliveries_drain",
    "deliveries_prune",
    "delivery_process",
    "delivery_receive",
    "disconnect",
    "drain_wake",
    "field_definition",
    "field_items",
    "field_values_current",
    "fields_write",
    "integrations_due_for_sync",
    "lead_move",
    "lead_tags_add",
    "note_add",
    "oauth_authorize",
    "oauth_callback",
    "reply_adapter",
    "salesbot_continue",
    "settings_update",
    "setup_urls",
    "sync_request",
    "sync_run",
    "sync_scheduled",
    "task_create",
    "webhook_health",
    "webhook_register",
    "widget_request_receive",
]
