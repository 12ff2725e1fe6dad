"""Writes of the billing app; other apps import from here (`billing.services`).

    usage     the AI usage ledger (every call, its daily aggregate) and the money/token budget
    activity  the activity statistics: one upsert per event into the day's counters
    quotas    plans and quotas: the workspace's plan, the atomic consumption of a metered limit, the
              checks of counted limits (agents, seats, channels, storage), the 80 %/100 % notices

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
    "budget_enforce",
    "budget_notify_thresholds",
    "budget_set",
    "counted_quota_check",
    "plan_save",
    "plan_usage_changed",
    "plan_usage_invalidate",
    "quota_check",
    "quota_consume",
    "quota_release",
    "seat_quota_check",
    "storage_quota_check",
    "usage_record",
    "workspace_plan_ensure",
    "workspace_plan_set",
]
