"""Writes of the billing app; other apps import from here (`billing.services`).

    usage     the AI usage ledger (every call, its daily aggregate) and the money/token budget
    activity  the activity statistics: one upsert per event into the day's counters
    quotas    plans and quotas: the workspace's plan, the atomic consumption of a metered limit, the
              checks of counted limits (agents, seats, channels, storage), the 80 %/100 % notices
    stripe_billing  Stripe through dj-stripe: plans as products/prices, the workspace's customer,
              Checkout, plan change with proration, cancel/resume, the portal, invoices
    stripe_client   the `stripe` library's key and API base, its errors as one problem
    stripe_events   the webhooks (converge to the subscription as Stripe has it now) and the payment
              grace period that pauses AI replies

The AI budget (money or tokens the workspace chose) and the plan's quotas (what the plan includes)
are separate: either may stop a reply.
"""

from billing.services.activity import ACTIVITY_COUNTERS, activity_record
from billing.services.quotas import (
    QUOTA_WARNING_PERCENT,
    counted_quota_check,
    plan_save,
    plan_usage_changed,
    plan_usage_invalidate,
    quota_check,
    quota_consume,
    quota_release,
    seat_quota_check,
    storage_quota_check,
    workspace_plan_ensure,
    workspace_plan_set,
)
from billing.services.stripe_billing import (
    checkout_start,
    customer_ensure,
    customer_invoices_sync,
    plan_change,
    plan_sync_to_stripe,
    plans_sync_to_stripe,
    portal_session,
    subscription_cancel,
    webhook_endpoint_register,
)
from billing.services.stripe_client import stripe_configured
from billing.services.stripe_events import billing_grace_expire, stripe_event_handlers_connect, subscription_refresh
from billing.services.usage import (
    BUDGET_WARNING_SHARE,
    budget_enforce,
    budget_notify_thresholds,
    budget_set,
    usage_record,
)

__all__ = [
    "ACTIVITY_COUNTERS",
    "BUDGET_WARNING_SHARE",
    "QUOTA_WARNING_PERCENT",
    "activity_record",
    "billing_grace_expire",
    "budget_enforce",
    "budget_notify_thresholds",
    "budget_set",
    "checkout_start",
    "counted_quota_check",
    "customer_ensure",
    "customer_invoices_sync",
    "plan_change",
    "plan_save",
    "plan_sync_to_stripe",
    "plan_usage_changed",
    "plan_usage_invalidate",
    "plans_sync_to_stripe",
    "portal_session",
    "quota_check",
    "quota_consume",
    "quota_release",
    "seat_quota_check",
    "storage_quota_check",
    "stripe_configured",
    "stripe_event_handlers_connect",
    "subscription_cancel",
    "subscription_refresh",
    "usage_record",
    "webhook_endpoint_register",
    "workspace_plan_ensure",
    "workspace_plan_set",
]
