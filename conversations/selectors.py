from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.types import AttentionItem, AttentionSeverity
from conversations.models import (
    ApiChannelSettings,
    Conversation,
    Message,
    ScheduledAction,
    UnansweredCluster,
    UnansweredDaily,
    UnansweredQuestion,
)
from integrations.channels import Channel
from integrations.kommo.selectors import crm_card


def _holds_a_reply_for_approval() -> Exists:
    return Exists(Message.objects.filter(conversation=OuterRef("pk"), status=Message.Status.PENDING_APPROVAL))


def conversations_holding_failed(conversations: QuerySet[Conversation], *, holding: bool) -> QuerySet[Conversation]:
    """The conversations holding (or not) a message that failed: the inbox's "failed" filter."""
    failed = Exists(Message.objects.filter(conversation=OuterRef("pk"), status=Message.Status.FAILED))
    return conversations.filter(failed) if holding else conversations.exclude(failed)


def conversation_list() -> QuerySet[Conversation]:
    return (
        Conversation.objects.select_related("agent")
        .annotate(needs_approval=_holds_a_reply_for_approval())
        .order_by("-last_message_at", "-id")
    )


def conversation_summary() -> dict[str, int]:
    """Workspace-wide inbox counts for badges, in one query: unread customer messages, conversations
    with unread messages, conversations holding a reply for approval, and conversations per status."""
    return Conversation.objects.aggregate(
        unread=Coalesce(Sum("unread_count"), 0),
        unread_conversations=Count("pk", filter=Q(unread_count__gt=0)),
        needs_approval=Count("pk", filter=_holds_a_reply_for_approval()),
        **{value: Count("pk", filter=Q(status=value)) for value in Conversation.Status.values},
    )


def conversation_messages(*, conversation: Conversation) -> QuerySet[Message]:
    return Message.objects.filter(conversation=conversation).select_related("author_user", "reviewed_by")


def conversation_recent_messages(*, conversation: Conversation, limit: int = 50) -> tuple[list[Message], bool]:
    """The latest `limit` messages, oldest first, and whether older ones exist (one query)."""
    recent = list(conversation_messages(conversation=conversation).order_by("-source_timestamp", "-id")[: limit + 1])
    return list(reversed(recent[:limit])), len(recent) > limit


def reply_wait(*, message_id: int, timeout_seconds: float) -> Message | None:
    """The AI reply to a customer message once its text is settled, waiting up to the timeout."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        reply = (
            Message.objects.filter(answers__contains=[message_id], author=Message.Author.AI)
            .exclude(status=Message.Status.PROCESSING)
            .order_by("-id")
            .first()
        )
        if reply is not None or time.monotonic() >= deadline:
            return reply
        time.sleep(0.05)


def conversation_exists(*, conversation_id: int) -> bool:
    return Conversation.objects.filter(pk=conversation_id).exists()


def processing_deferred(*, conversation_id: int) -> bool:
    """True while the conversation's processing waits for the agent's response delay."""
    return ScheduledAction.objects.filter(
        conversation_id=conversation_id, kind=ScheduledAction.Kind.PROCESS, status=ScheduledAction.Status.PENDING
    ).exists()


def playground_conversations(*, agent_id: int) -> QuerySet[Conversation]:
    """The playground conversations held with one agent."""
    return Conversation.objects.filter(channel=Channel.PLAYGROUND, agent_id=agent_id)


def api_channel_settings_list() -> QuerySet[ApiChannelSettings]:
    return ApiChannelSettings.objects.all()


def api_channel_settings_get() -> ApiChannelSettings | None:
    """The active workspace's API-channel settings (None until first configured)."""
    return ApiChannelSettings.objects.first()


def conversation_crm_card(*, conversation: Conversation) -> dict | None:
    """The conversation's lead and contact in the CRM, for the thread's side panel."""
    return crm_card(lead_id=conversation.external_lead_id, contact_id=conversation.external_contact_id)


# -- the dashboard's live counters and needs-attention items (registered with billing in ready()) --

FAILED_WINDOW = timedelta(days=7)


def pending_approvals_count(*, workspace) -> int:
    """AI replies waiting for a person's approval now (the (workspace, status) index)."""
    return Message.objects.filter(workspace=workspace, status=Message.Status.PENDING_APPROVAL).count()


def open_handoffs_count(*, workspace) -> int:
    """Conversations handed to a person and not handed back or closed."""
    return Conversation.objects.filter(workspace=workspace, status=Conversation.Status.HUMAN).count()


def api_channel_count(*, workspace) -> int:
    """The plan's channels the API channel holds: one once it has a webhook to post replies to."""
    return ApiChannelSettings.objects.filter(workspace=workspace).exclude(webhook_url="").count()


def conversations_attention(*, workspace) -> list[AttentionItem]:
    """Replies waiting for approval, messages that failed in the last 7 days (still failed: a retry
    moves them on), and conversations waiting for a person."""
    failed = Message.objects.filter(
        workspace=workspace, status=Message.Status.FAILED, updated_at__gte=timezone.now() - FAILED_WINDOW
    ).count()
    return [
        AttentionItem(
            "pending_approvals",
            pending_approvals_count(workspace=workspace),
            AttentionSeverity.WARNING,
            "/conversations?needs_approval=true",
        ),
        AttentionItem("failed_messages", failed, AttentionSeverity.CRITICAL, "/conversations?has_failed=true"),
        AttentionItem(
            "open_handoffs",
            open_handoffs_count(workspace=workspace),
            AttentionSeverity.INFO,
            "/conversations?status=human",
        ),
    ]


def unanswered_cluster_list(*, first_day: date | None = None, status: str = "") -> QuerySet[UnansweredCluster]:
    """Clusters of unanswered questions, most asked in the period first, each with `period_count`:
    the sum of its daily counts from `first_day` on (None: ever, its own running count)."""
    clusters = UnansweredCluster.objects.select_related("article")
    if status:
        clusters = clusters.filter(status=status)
    if first_day is None:
        clusters = clusters.annotate(period_count=F("question_count"))
    else:
        # Filtered before the annotation, the join holds only the period's days (and a cluster with
        # none drops out); the sum then reads those rows only.
        clusters = clusters.filter(days__date__gte=first_day).annotate(period_count=Sum("days__questions"))
    return clusters.order_by("-period_count", "-last_seen_at", "-id")


def unanswered_page_details(
    *, cluster_ids: list[int], first_day: date | None = None, since: datetime | None = None, per_cluster: int = 3
) -> dict[str, dict[int, Any]]:
    """For a page of clusters: each one's questions per reason in the period (its daily counts) and
    its latest few questions since `since` (one index range per cluster, in one UNION query)."""
    days = UnansweredDaily.objects.filter(cluster_id__in=cluster_ids)
    if first_day is not None:
        days = days.filter(date__gte=first_day)
    sums = days.values("cluster_id").annotate(**{f"n_{r}": Sum(r) for r in UnansweredQuestion.Reason.values})
    reasons = {row["cluster_id"]: {r: row[f"n_{r}"] for r in UnansweredQuestion.Reason.values} for row in sums}
    latest = UnansweredQuestion.objects.filter(**({"created_at__gte": since} if since else {}))
    latest = latest.order_by("-created_at", "-id")
    parts = [latest.filter(cluster_id=pk)[:per_cluster] for pk in cluster_ids]
    rows = list(parts[0].union(*parts[1:], all=True)) if parts else []
    examples: dict[int, list[UnansweredQuestion]] = {}
    for row in sorted(rows, key=lambda q: (q.created_at, q.pk), reverse=True):
        examples.setdefault(row.cluster_id, []).append(row)
    return {"reasons": reasons, "examples": examples}
