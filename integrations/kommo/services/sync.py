"""Sync of what the agent editor and the prompt need from Kommo: pipelines with their stages, the
custom fields of leads, contacts and companies (with enums), and users — on connect, on a schedule
(beat) and on demand, with its progress and result on the integration and pushed as
`integration.sync` events. Something deleted in Kommo is kept, marked `deleted_in_kommo`, so an
agent that still names it shows it as such instead of a bare id."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from integrations.kommo.exceptions import KommoError, KommoNotConnected
from integrations.kommo.models import KommoField, KommoIntegration, KommoPipeline, KommoUser
from integrations.kommo.services.tokens import client_for, integration_mark_error

log = logging.getLogger(__name__)

RUNNING_TOO_LONG = timedelta(minutes=15)  # a sync "running" longer than this died with its worker
STEPS = ("pipelines", "leads", "contacts", "companies", "users")


def sync_request(*, integration: KommoIntegration) -> KommoIntegration:
    """Queue a sync (once: a running one is not started twice)."""
    if not integration.is_active:
        raise KommoNotConnected("Connect Kommo before syncing.")
    row, started = sync_start(integration=integration)
    if started:
        enqueue_on_commit("integrations.tasks.kommo_sync_task", row.workspace_id, row.pk)
    return row


def sync_start(*, integration: KommoIntegration) -> tuple[KommoIntegration, bool]:
    """Mark a sync as running, unless one already runs: (integration, started)."""
    with transaction.atomic():
        row = KommoIntegration.objects.select_for_update().get(pk=integration.pk)
        running = row.sync_status == KommoIntegration.SyncStatus.RUNNING
        if running and row.sync_started_at and timezone.now() - row.sync_started_at < RUNNING_TOO_LONG:
            return row, False
        row.sync_status, row.sync_progress, row.sync_started_at = KommoIntegration.SyncStatus.RUNNING, 0, timezone.now()
        row.sync_error = ""
        row.save(update_fields=["sync_status", "sync_progress", "sync_started_at", "sync_error", "updated_at"])
    _publish(row)
    return row, True


def sync_scheduled(*, integration_id: int) -> KommoIntegration | None:
    """Beat's sync of one account: skipped when another is running."""
    integration = KommoIntegration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active:
        return None
    _, started = sync_start(integration=integration)
    return sync_run(integration_id=integration_id) if started else None


def sync_run(*, integration_id: int) -> KommoIntegration | None:
    integration = KommoIntegration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active:
        return None
    client = client_for(integration)
    now = timezone.now()
    result: dict[str, Any] = {}
    try:
        for done, step in enumerate(STEPS):
            _progress(integration, int(100 * done / len(STEPS)))
            if step == "pipelines":
                result["pipelines"], result["stages"] = _pipelines(integration, client.pipelines(), now)
            elif step == "users":
                result["users"] = _users(integration, client.users(), now)
            else:
                result[f"{step}_fields"] = _fields(integration, step, client.custom_fields(step), now)
    except KommoError as exc:
        _finish(integration, KommoIntegration.SyncStatus.FAILED, result, exc.detail)
        integration_mark_error(integration, exc.detail, where="sync")
        return integration
    _finish(integration, KommoIntegration.SyncStatus.OK, result, "")
    return integration


def _pipelines(integration: KommoIntegration, pipelines: list[dict[str, Any]], now) -> tuple[int, int]:
    seen, stages = [], 0
    with transaction.atomic():
        for pipeline in pipelines:
            statuses = [
                {key: status.get(key) for key in ("id", "name", "sort", "color", "type")}
                for status in ((pipeline.get("_embedded") or {}).get("statuses") or [])
            ]
            stages += len(statuses)
            KommoPipeline.objects.update_or_create(
                kommo_id=pipeline["id"],
                defaults={
                    "workspace_id": integration.workspace_id,
                    "name": pipeline.get("name", ""),
                    "sort": pipeline.get("sort") or 0,
                    "is_main": bool(pipeline.get("is_main")),
                    "is_archive": bool(pipeline.get("is_archive")),
                    "statuses": sorted(statuses, key=lambda s: (s.get("sort") or 0, s.get("id") or 0)),
                    "deleted_in_kommo": False,
                    "synced_at": now,
                },
            )
            seen.append(pipeline["id"])
        KommoPipeline.objects.exclude(kommo_id__in=seen).update(deleted_in_kommo=True, synced_at=now)
    return len(seen), stages


def _fields(integration: KommoIntegration, entity: str, fields: list[dict[str, Any]], now) -> int:
    seen = []
    with transaction.atomic():
        for field in fields:
            KommoField.objects.update_or_create(
                entity=entity,
                kommo_id=field["id"],
                defaults={
                    "workspace_id": integration.workspace_id,
                    "name": field.get("name", ""),
                    "code": field.get("code") or "",
                    "type": field.get("type", ""),
                    "enums": [
                        {key: enum.get(key) for key in ("id", "value", "sort", "code") if key in enum}
                        for enum in field.get("enums") or []
                    ],
                    "sort": field.get("sort") or 0,
                    "is_api_only": bool(field.get("is_api_only")),
                    "deleted_in_kommo": False,
                    "synced_at": now,
                },
            )
            seen.append(field["id"])
        KommoField.objects.filter(entity=entity).exclude(kommo_id__in=seen).update(deleted_in_kommo=True, synced_at=now)
    return len(seen)


def _users(integration: KommoIntegration, users: list[dict[str, Any]], now) -> int:
    with transaction.atomic():
        for user in users:
            rights = user.get("rights") or {}
            KommoUser.objects.update_or_create(
                kommo_id=user["id"],
                defaults={
                    "workspace_id": integration.workspace_id,
                    "name": user.get("name", ""),
                    "email": user.get("email", ""),
                    "is_admin": bool(rights.get("is_admin")),
                    "is_active": rights.get("is_active", True) is not False,
                    "synced_at": now,
                },
            )
    return len(users)


def _progress(integration: KommoIntegration, percent: int) -> None:
    KommoIntegration.objects.filter(pk=integration.pk).update(sync_progress=percent)
    integration.sync_progress = percent
    _publish(integration)


def _finish(integration: KommoIntegration, status: str, result: dict[str, Any], error: str) -> None:
    integration.sync_status, integration.sync_result, integration.sync_error = status, result, error
    integration.sync_progress, integration.sync_finished_at = (
        100 if not error else integration.sync_progress,
        timezone.now(),
    )
    KommoIntegration.objects.filter(pk=integration.pk).update(
        sync_status=status,
        sync_result=result,
        sync_error=error,
        sync_progress=integration.sync_progress,
        sync_finished_at=integration.sync_finished_at,
    )
    _publish(integration)


def _publish(integration: KommoIntegration) -> None:
    realtime.publish(
        integration.workspace_id,
        "integration.sync",
        {
            "provider": "kommo",
            "status": integration.sync_status,
            "progress": integration.sync_progress,
            "result": integration.sync_result,
            "error": integration.sync_error,
        },
    )


def integrations_due_for_sync(*, every: timedelta = timedelta(hours=6)) -> list[tuple[int, int]]:
    """(workspace id, integration id) of connected integrations not synced for a while (ops: reads
    across workspaces)."""
    cutoff = timezone.now() - every
    rows = KommoIntegration.objects.unscoped_across_workspaces().filter(status=KommoIntegration.Status.CONNECTED)
    rows = rows.exclude(sync_status=KommoIntegration.SyncStatus.RUNNING, sync_started_at__gte=cutoff)
    rows = rows.filter(Q(sync_finished_at__lt=cutoff) | Q(sync_finished_at__isnull=True))
    return list(rows.values_list("workspace_id", "pk"))
