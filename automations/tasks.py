"""Thin tasks (queue `chains`): the chain scheduler's beat claim, one task per due step, the sweep."""

from celery import shared_task

from agent_platform.tenancy import workspace_task
from automations import services


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
