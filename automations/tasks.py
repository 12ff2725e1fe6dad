"""Thin tasks of the automations app: load ids, call a service. The trigger and chain tasks run on the `chains`
queue (the automations' timing work; routed in agent_platform.celery_config)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from agent_platform.tenancy import workspace_task
from automations import services
from automations.exceptions import WebhookFailed
from automations.services.silence import silence_timer_run, silence_timers_claim
from automations.services.webhooks import webhook_post

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def trigger_timers_claim_task() -> int:
    """Beat: claim the due "customer silent" timers of every workspace and fan out one task per timer."""
    due = silence_timers_claim(now=timezone.now())
    for workspace_id, timer_id in due:
        trigger_timer_run_task.delay(workspace_id, timer_id)
    return len(due)


@workspace_task(acks_late=True, ignore_result=True)
def trigger_timer_run_task(workspace_id: int, timer_id: int) -> None:
    silence_timer_run(timer_id=timer_id)


@workspace_task(bind=True, acks_late=True, ignore_result=True, max_retries=5)
def trigger_webhook_post_task(self, workspace_id: int, url: str, event: dict, secret: str | None) -> None:
    try:
        webhook_post(url=url, event=event, secret=secret)
    except WebhookFailed as exc:
        if not exc.retryable or self.request.retries >= self.max_retries:
            log.warning("Automation webhook not delivered", extra={"url": url, "detail": exc.detail})
            return
        # Exponential backoff: 2, 4, 8, 16, 32 s.
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc


@workspace_task(acks_late=True, ignore_result=True)
def chain_step_run_task(workspace_id: int, row_id: int) -> None:
    services.chain_step_run(row_id=row_id)


@shared_task(acks_late=True, ignore_result=True)
def chain_steps_claim_task() -> int:
    """Beat, every few seconds: claim the due steps of every workspace, one task per step."""
    claimed = 0
    while due := services.chain_steps_claim():
        for workspace_id, row_id in due:
            chain_step_run_task.delay(workspace_id, row_id)
        claimed += len(due)
        if len(due) < services.CLAIM_BATCH:
            break
    return claimed


@shared_task(acks_late=True, ignore_result=True)
def chain_steps_recover_task() -> int:
    """Beat, every minute: steps claimed but never finished (a worker died) are claimed again."""
    return services.chain_steps_recover()
