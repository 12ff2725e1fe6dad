"""Billing's beat tasks (thin: call the service)."""

from celery import shared_task

from billing.services import billing_grace_expire


@shared_task(name="billing.tasks.billing_grace_expire_task", ignore_result=True, acks_late=True)
def billing_grace_expire_task() -> int:
    """Pause AI replies of workspaces whose payment grace period ended."""
    return billing_grace_expire()
