"""Thin tasks of the Kommo integration: load ids, call a service. Every one is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from agent_platform.tenancy import workspace_task
from integrations.kommo import services as kommo
from integrations.kommo.exceptions import KommoError


@workspace_task(acks_late=True, ignore_result=True)
def kommo_connected_task(workspace_id: int, integration_id: int) -> None:
    kommo.connection_setup(integration_id=integration_id)


@workspace_task(acks_late=True, ignore_result=True)
def kommo_sync_task(workspace_id: int, integration_id: int) -> None:
    kommo.sync_run(integration_id=integration_id)


@workspace_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def kommo_salesbot_continue_task(self, workspace_id: int, dispatch_id: int, return_url: str) -> None:
    """Kommo's 429/5xx are tried again (1, 2, 4 … s apart) up to KOMMO_MAX_ATTEMPTS runs; then the
    reply fails visibly, with a retry."""
    attempt = self.request.retries + 1
    try:
        kommo.salesbot_continue(
            dispatch_id=dispatch_id,
            return_url=return_url,
            final_attempt=attempt >= settings.KOMMO_MAX_ATTEMPTS,
            retried=attempt > 1,
        )
    except KommoError as exc:  # retryable, and not the last attempt
        raise self.retry(exc=exc, countdown=2 ** (attempt - 1)) from exc


@shared_task(acks_late=True, ignore_result=True)
def kommo_sync_due_task() -> int:
    """Beat, hourly: sync each connected account not synced for six hours (one task per workspace)."""
    due = kommo.integrations_due_for_sync()
    for workspace_id, integration_id in due:
        kommo_sync_scheduled_task.delay(workspace_id, integration_id)
    return len(due)


@workspace_task(acks_late=True, ignore_result=True)
def kommo_sync_scheduled_task(workspace_id: int, integration_id: int) -> None:
    kommo.sync_scheduled(integration_id=integration_id)


@workspace_task(bind=True, acks_late=True, ignore_result=True, max_retries=5)
def kommo_chats_link_task(self, workspace_id: int, link: dict) -> None:
    """Kommo's webhook named the lead of a chat of ours before its answer told us the chat's id."""
    try:
        kommo.chats_link_now(**link)
    except kommo.ChatNotMirroredYet as exc:
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc


@shared_task(acks_late=True, ignore_result=True)
def kommo_deliveries_drain_task() -> int:
    """Woken by new webhook deliveries, and beat every few seconds: process the stored ones (each
    claimed once; a claim whose worker died is taken again after the claim timeout)."""
    return kommo.deliveries_drain()


@shared_task(acks_late=True, ignore_result=True)
def kommo_deliveries_resume_task() -> int:
    """The drain under its former name: beat's database scheduler keeps the schedule rows it stored
    (a minute sweep of this name) after the code's schedule changes, and nothing should fail there."""
    return kommo.deliveries_drain()


@shared_task(acks_late=True, ignore_result=True)
def kommo_deliveries_prune_task() -> int:
    """Beat, daily: forget processed webhook bodies after a week (failed ones stay for inspection)."""
    return kommo.deliveries_prune()
