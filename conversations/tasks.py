"""Thin tasks (queue `messages`): load ids, call a service. Every one is safe to run twice."""

import logging

from celery import shared_task

from agent_platform.tenancy import workspace_task
from conversations import services
from integrations.channels import ChannelSendError

log = logging.getLogger(__name__)


@workspace_task(acks_late=True, ignore_result=True)
def conversation_process_task(workspace_id: int, conversation_id: int) -> None:
    services.conversation_process(conversation_id=conversation_id)


@workspace_task(acks_late=True, ignore_result=True)
def reply_generate_task(workspace_id: int, message_id: int) -> None:
    services.reply_generate(reply_id=message_id)


@workspace_task(bind=True, acks_late=True, ignore_result=True, max_retries=services.MAX_SEND_ATTEMPTS - 1)
def message_send_task(self, workspace_id: int, message_id: int) -> None:
    try:
        services.message_send(message_id=message_id, final_attempt=self.request.retries >= self.max_retries)
    except ChannelSendError as exc:
        # Exponential backoff: 2, 4, 8, 16 s.
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc


@workspace_task(bind=True, acks_late=True, ignore_result=True, max_retries=6)
def message_mirror_task(self, workspace_id: int, message_id: int) -> None:
    try:
        services.message_mirror(message_id=message_id)
    except ChannelSendError as exc:
        # The integration records the CRM's refusals where its page shows them; here: try again
        # (2, 4, … 64 s: the customer's chat may not be in the CRM yet, or the CRM may be down).
        if not exc.retryable or self.request.retries >= self.max_retries:
            log.warning("Message not mirrored", extra={"message": message_id, "detail": exc.detail})
            return
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc


@workspace_task(acks_late=True, ignore_result=True)
def scheduled_action_run_task(workspace_id: int, action_id: int) -> None:
    services.scheduled_action_run(action_id=action_id)


@shared_task(acks_late=True, ignore_result=True)
def scheduled_actions_claim_task() -> int:
    """Beat, every few seconds: claim due rows of every workspace and fan out one task per row."""
    due = services.scheduled_actions_claim()
    for workspace_id, action_id in due:
        scheduled_action_run_task.delay(workspace_id, action_id)
    return len(due)


@shared_task(acks_late=True, ignore_result=True)
def stuck_work_recover_task() -> dict:
    """Beat, every minute: generate interrupted replies again (or fail them visibly), release lost scheduled actions."""
    return services.stuck_work_recover()


@workspace_task(acks_late=True, ignore_result=True)
def unanswered_cluster_task(workspace_id: int, question_id: int) -> None:
    services.unanswered_cluster(question_id=question_id)
