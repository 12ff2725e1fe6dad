"""The dashboard's live part: today's counters and what needs attention now.

Billing sits below the apps that own most of what these show (approvals and handoffs in
conversations, indexing in knowledge, Kommo in integrations, chains in automations), so each of those
registers its sources here from its AppConfig.ready(), like the plan's usage counters
(`billing.selectors.usage_counter_register`). Every source is a cheap count over an indexed column of
the (scoped) workspace's rows; none scans messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agent_platform.tenancy import workspace_scope
from billing.models import ActivityDaily
from billing.selectors import billing_account_get, plan_usage, workspace_today
from billing.types import AttentionItem, AttentionSeverity

if TYPE_CHECKING:
    from accounts.models import Workspace

# name → counter(workspace=…) -> int: "right now" figures the apps above billing own.
LIVE_COUNTERS: dict[str, Callable[..., int]] = {}
# source(workspace=…) -> list[AttentionItem] (an empty list when all is well).
ATTENTION_SOURCES: list[Callable[..., list[AttentionItem]]] = []

SEVERITY_ORDER = {AttentionSeverity.CRITICAL: 0, AttentionSeverity.WARNING: 1, AttentionSeverity.INFO: 2}
QUOTA_ATTENTION_PERCENT = 80


def live_counter_register(name: str, counter: Callable[..., int]) -> None:
    LIVE_COUNTERS[name] = counter


def attention_source_register(source: Callable[..., list[AttentionItem]]) -> None:
    if source not in ATTENTION_SOURCES:
        ATTENTION_SOURCES.append(source)


def dashboard_live(*, workspace: Workspace) -> dict[str, Any]:
    """Today's conversations and AI replies (the workspace's day, from the daily aggregate) and the
    registered "now" counters (replies waiting for approval, conversations handed to a person…)."""
    today = workspace_today(workspace=workspace)
    with workspace_scope(workspace.pk):
        row = {"conversations_started": 0, "ai_replies": 0, "handoffs": 0}
        for day in ActivityDaily.objects.filter(workspace=workspace, date=today).values(*row):
            for name in row:
                row[name] += day[name]
        counters = {name: counter(workspace=workspace) for name, counter in LIVE_COUNTERS.items()}
    return {
        "date": today,
        "conversations_today": row["conversations_started"],
        "ai_replies_today": row["ai_replies"],
        "handoffs_today": row["handoffs"],
        **counters,
    }


def attention_list(*, workspace: Workspace) -> list[AttentionItem]:
    """What needs someone now, worst first: the registered sources' items and the plan's limits at
    80 % or more (100 %: critical)."""
    items = _quota_items(workspace) + _payment_items(workspace)
    with workspace_scope(workspace.pk):
        for source in ATTENTION_SOURCES:
            items.extend(item for item in source(workspace=workspace) if item.count > 0)
    return sorted(items, key=lambda item: (SEVERITY_ORDER.get(item.severity, 9), item.kind))


def _payment_items(workspace: Workspace) -> list[AttentionItem]:
    """A failed payment: in its grace period (a warning, with the day replies pause), or past it with
    AI replies paused (critical) — until the invoice is paid."""
    account = billing_account_get(workspace=workspace)
    if account is None or account.payment_failed_at is None:
        return []
    if account.replies_paused_at is not None:
        return [AttentionItem(kind="replies_paused", count=1, severity=AttentionSeverity.CRITICAL, link="/billing")]
    pauses_on = account.grace_until.isoformat() if account.grace_until else None
    return [
        AttentionItem(
            kind="payment_failed",
            count=1,
            severity=AttentionSeverity.WARNING,
            link="/billing",
            extra={"pauses_at": pauses_on},
        )
    ]


def _quota_items(workspace: Workspace) -> list[AttentionItem]:
    items = []
    for limit in plan_usage(workspace=workspace)["limits"]:
        percent = limit["percent"]
        if percent is None or percent < QUOTA_ATTENTION_PERCENT:
            continue
        severity = AttentionSeverity.CRITICAL if percent >= 100 else AttentionSeverity.WARNING
        items.append(
            AttentionItem(
                kind="quota",
                count=1,
                severity=severity,
                link="/billing",
                extra={"metric": limit["metric"], "used": limit["used"], "limit": limit["limit"], "percent": percent},
            )
        )
    return items
