from celery import shared_task

from accounts.services import notification_email_send, notification_emails_recover
from agent_platform.tenancy import workspace_task


@workspace_task(
    name="accounts.tasks.notification_email_task",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notification_email_task(workspace_id: int, notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)


@shared_task(name="accounts.tasks.notification_emails_recover_task", ignore_result=True)
def notification_emails_recover_task() -> int:
    return notification_emails_recover()
