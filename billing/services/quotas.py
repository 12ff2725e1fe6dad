"""Plans and quotas: the plan a workspace is on, the one atomic consumption of a metered limit, the
checks of counted limits (agents, seats) and the 80 %/100 % notices."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from accounts.models import Workspace
from accounts.services import notify
from agent_platform.tenancy import workspace_scope
from billing.exceptions import QuotaLimitReached, RepliesPaused
from billing.models import (
    OveragePolicy,
    Plan,
    QuotaCounter,
    WorkspacePlan,
)
from billing.selectors import (
    plan_current,
    plan_usage_cache_key,
    quota_period_start,
    replies_paused,
    seats_taken,
    usage_count,
)
from billing.types import QuotaMetric

log = logging.getLogger(__name__)
QUOTA_WARNING_PERCENT = 80


def plan_usage_invalidate(*, workspace_id: int) -> None:
    """Drop the cached plan-and-usage read (after the plan or any usage changed)."""
    cache.delete(plan_usage_cache_key(workspace_id))


def plan_usage_changed(workspace_id: int) -> None:
    """Something the plan-and-usage read shows changed in this transaction (an agent was deleted…)."""
    # Now, for reads later in this transaction, and again after the commit: a concurrent read in
    # between may have cached what was true before it.
    plan_usage_invalidate(workspace_id=workspace_id)
    transaction.on_commit(lambda: plan_usage_invalidate(workspace_id=workspace_id))


def plan_save(*, plan: Plan) -> Plan:
    """Save a plan's limits or price (the admin): every workspace's cached read shows the change at once."""
    with transaction.atomic():
        plan.save()
    keys = [plan_usage_cache_key(pk) for pk in Workspace.objects.values_list("pk", flat=True)]
    cache.delete_many(keys)
    return plan


def workspace_plan_set(*, workspace: Workspace, plan: Plan) -> WorkspacePlan:
    """Put the workspace on a plan (today the admin; later Stripe's subscription webhooks)."""
    with workspace_scope(workspace.pk), transaction.atomic():
        row, _ = WorkspacePlan.objects.update_or_create(workspace=workspace, defaults={"plan": plan})
        plan_usage_changed(workspace.pk)
    return row


def workspace_plan_ensure(*, workspace: Workspace, code: str) -> None:
    """Put a workspace that has no plan of its own on the plan `code` (the offline demo's setup)."""
    with workspace_scope(workspace.pk):
        if not WorkspacePlan.objects.filter(workspace=workspace).exists():
            workspace_plan_set(workspace=workspace, plan=Plan.objects.get(code=code))


def quota_consume(*, workspace: Workspace, metric: str = QuotaMetric.AI_REPLIES, amount: int = 1) -> int:
    """Take `amount` of a metered limit for this period, or raise QuotaLimitReached: the check and
    the increment are one statement, so concurrent workers never take more than the limit (plans
    that allow overage always take it). Returns the period's use after this call. AI replies of a
    workspace whose unpaid subscription's grace period ended raise RepliesPaused (a QuotaLimitReached:
    the processor settles it the same visible way)."""
    if metric == QuotaMetric.AI_REPLIES and (paused := replies_paused(workspace=workspace)) is not None:
        raise RepliesPaused(
            "The subscription's payment failed and its grace period ended: pay the open invoice to resume.",
            metric=str(metric),
            paused_at=paused.replies_paused_at.isoformat(),
        )
    plan = plan_current(workspace=workspace)
    limit = getattr(plan, metric)
    period = quota_period_start()
    blocking = limit is not None and plan.overage_policy == OveragePolicy.BLOCK
    # Raw SQL: an upsert whose UPDATE only happens while the sum stays within the limit. The row is
    # the workspace's own (workspace_id named explicitly); RETURNING gives the new total or no row.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO billing_quotacounter (workspace_id, metric, period_start, used, warned, exhausted)
            SELECT %(ws)s, %(metric)s, %(period)s, %(amount)s, false, false
            WHERE NOT %(blocking)s OR %(amount)s <= %(limit)s
            ON CONFLICT (workspace_id, metric, period_start) DO UPDATE
                SET used = billing_quotacounter.used + EXCLUDED.used
                WHERE NOT %(blocking)s OR billing_quotacounter.used + EXCLUDED.used <= %(limit)s
            RETURNING used
            """,
            {
                "ws": workspace.pk,
                "metric": metric,
                "period": period,
                "amount": amount,
                "blocking": blocking,
                "limit": limit if limit is not None else 0,
            },
        )
        row = cursor.fetchone()
    plan_usage_invalidate(workspace_id=workspace.pk)
    if row is None:
        _quota_notify_once(workspace, plan, metric, period, field="exhausted", used=limit or 0, limit=limit or 0)
        raise _limit_reached(plan, metric, limit or 0)
    used = row[0]
    if limit:
        if used >= limit:
            _quota_notify_once(workspace, plan, metric, period, field="exhausted", used=used, limit=limit)
        elif used * 100 >= limit * QUOTA_WARNING_PERCENT:
            _quota_notify_once(workspace, plan, metric, period, field="warned", used=used, limit=limit)
    return used


def quota_release(*, workspace: Workspace, metric: str = QuotaMetric.AI_REPLIES, amount: int = 1) -> None:
    """Give back what quota_consume took for work that did not happen (the AI call failed)."""
    with workspace_scope(workspace.pk):
        QuotaCounter.objects.filter(
            workspace=workspace, metric=metric, period_start=quota_period_start(), used__gte=amount
        ).update(used=F("used") - amount)
    plan_usage_invalidate(workspace_id=workspace.pk)


def quota_check(*, workspace: Workspace, metric: str, current: int) -> None:
    """Before creating one more of a counted thing (an agent, a seat): raise QuotaLimitReached when
    `current` already fills the plan's limit. Call it inside the creating transaction: it locks the
    workspace row, so two concurrent creations are checked one after the other."""
    _workspace_lock(workspace)
    plan = plan_current(workspace=workspace)
    limit = getattr(plan, metric)
    plan_usage_changed(workspace.pk)
    if limit is not None and plan.overage_policy == OveragePolicy.BLOCK and current >= limit:
        raise _limit_reached(plan, metric, limit)


def counted_quota_check(*, workspace: Workspace, metric: str) -> None:
    """Before one more of a thing the apps above count for billing (a channel or integration): the
    registered counters (`usage_counter_register`) must leave room under the plan's limit. Call it
    inside the creating transaction: the workspace row's lock is taken before counting."""
    _workspace_lock(workspace)
    quota_check(workspace=workspace, metric=metric, current=usage_count(workspace=workspace, metric=metric) or 0)


MEGABYTE = 1024 * 1024


def storage_quota_check(*, workspace: Workspace, adding_bytes: int, used_bytes: Callable[[], int]) -> None:
    """Before the knowledge base grows by `adding_bytes`: what it holds (`used_bytes()`, measured after
    the workspace row's lock, so concurrent uploads are checked one after the other) plus the addition
    must fit the plan's storage. Call it inside the writing transaction."""
    plan_usage_changed(workspace.pk)
    plan = plan_current(workspace=workspace)
    limit = plan.kb_storage_mb
    if adding_bytes <= 0 or limit is None or plan.overage_policy != OveragePolicy.BLOCK:
        return
    _workspace_lock(workspace)
    if used_bytes() + adding_bytes > limit * MEGABYTE:
        raise _limit_reached(plan, QuotaMetric.KB_STORAGE_MB, limit)


def _workspace_lock(workspace: Workspace) -> None:
    """Serialise the checks of one workspace's counted limits until the transaction ends. NO KEY
    UPDATE: it excludes the other checkers, but not the inserts that reference the workspace (their
    foreign-key check takes KEY SHARE, which a plain FOR UPDATE would make wait — every message of
    the workspace, for as long as an import of a hundred articles holds it)."""
    Workspace.objects.select_for_update(no_key=True).filter(pk=workspace.pk).first()


def seat_quota_check(*, workspace: Workspace, email: str = "") -> None:
    """Before an invitation: members plus open invitations must stay within the plan's seats (a new
    invitation to `email` replaces that address's open one, which holds no extra seat)."""
    quota_check(workspace=workspace, metric=QuotaMetric.SEATS, current=seats_taken(workspace=workspace, besides=email))


def _limit_reached(plan: Plan, metric: str, limit: int) -> QuotaLimitReached:
    label = QuotaMetric(metric).label
    return QuotaLimitReached(
        f"The {plan.name} plan includes {label.lower()}: {limit}. The limit is reached; a higher plan raises it.",
        metric=metric,
        limit=limit,
        plan=plan.code,
    )


def _quota_notify_once(
    workspace: Workspace, plan: Plan, metric: str, period: dt.date, *, field: str, used: int, limit: int
) -> None:
    # Claim the period's notice with a conditional UPDATE, so concurrent consumers send it once (the
    # row may not exist yet when even the first unit was refused).
    with workspace_scope(workspace.pk):
        QuotaCounter.objects.bulk_create(
            [QuotaCounter(workspace=workspace, metric=metric, period_start=period)], ignore_conflicts=True
        )
        claimed = QuotaCounter.objects.filter(
            workspace=workspace, metric=metric, period_start=period, **{field: False}
        ).update(**{field: True})
    if not claimed:
        return
    label = QuotaMetric(metric).label
    percent = int(used * 100 / limit) if limit else 100
    if field == "warned":
        kind, title = "quota_warning", f"{label}: {percent}% of the plan used"
        body = f"This workspace has used {used} of the {limit} {label.lower()} the {plan.name} plan includes."
    else:
        kind, title = "quota_exhausted", f"{label}: the plan's limit is reached"
        body = f"This workspace has used all {limit} {label.lower()} the {plan.name} plan includes. " + (
            "AI replies beyond it are billed as overage."
            if plan.overage_policy == OveragePolicy.ALLOW
            else "AI replies stop until the next period or a higher plan."
        )
    log.warning("quota threshold", extra={"workspace_id": workspace.pk, "kind": kind, "metric": metric})
    notify(
        workspace=workspace,
        kind=kind,
        title=title,
        body=body,
        payload={"metric": metric, "percent": percent, "used": used, "limit": limit, "plan": plan.code},
    )
