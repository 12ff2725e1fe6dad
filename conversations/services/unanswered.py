"""Unanswered-question mining: customer questions the agent could not ground in the knowledge base,
recorded as they happen and clustered by meaning (SPEC §3.9, the Statistics page).

Three signals record a question, each where it happens (never a scan of messages):
    low_score  the processor's knowledge step found no passage of "high" relevance (services/grounding.py)
    handoff    the conversation went to a person (services/handoff.py; not for a used-up plan quota)
    rejected   a reviewer rejected the AI's reply (services/approvals.py)
One row per customer message (the turn's last): a second signal adds its reason to the same row.

Clustering runs after the commit, in a task (`unanswered_cluster_task`): the question's vector from
the local multilingual model (`UNANSWERED_EMBEDDING_MODEL`) joins the nearest open cluster when its
cosine distance to the cluster's centroid is at most `UNANSWERED_CLUSTER_MAX_DISTANCE`, else starts a
cluster; the cluster's title is its question nearest the centroid (the most typical wording).
Measured with that model: paraphrases (also across English and Russian) sit at 0.16–0.30, "refund
policy" vs "return a broken product" at 0.48, unrelated questions at 0.71 and more.
A workspace's clustering is serialised by an advisory lock, so two similar questions clustered at
the same moment cannot start two clusters. Each cluster keeps its questions per day and reason in
`UnansweredDaily` (one upsert as a question joins or gains a reason), which the list's period counts
read (bench/unanswered.py: 7–45× faster than counting the questions).
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pgvector.django import CosineDistance

from accounts.models import User
from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from conversations.exceptions import UnansweredArticleMissing
from conversations.models import (
    UNANSWERED_EMBEDDING_MODEL,
    Conversation,
    Message,
    UnansweredCluster,
    UnansweredQuestion,
)
from integrations.ai.selectors import embedding_model_get
from integrations.channels import Channel
from knowledge.selectors import article_list

Reason = UnansweredQuestion.Reason
# pg_advisory_xact_lock(key1, key2): key1 names this lock's kind, key2 the workspace.
_CLUSTER_LOCK = 0x5E7A


def unanswered_record(*, conversation: Conversation, messages: list[Message], reason: str) -> UnansweredQuestion | None:
    """Record the customer's turn `messages` as not grounded for `reason` (idempotent per message)."""
    turn = [m for m in messages if m.direction == Message.Direction.IN and m.text.strip()]
    if not turn or conversation.channel == Channel.PLAYGROUND:  # the team's own tests are not customers'
        return None
    anchor = turn[-1]
    with transaction.atomic():
        try:
            with transaction.atomic():
                question, created = UnansweredQuestion.objects.get_or_create(
                    message=anchor,
                    defaults={
                        "workspace_id": conversation.workspace_id,
                        "conversation": conversation,
                        "text": "\n".join(m.text.strip() for m in turn)[:2000],
                        "reasons": [reason],
                    },
                )
        except IntegrityError:  # recorded by a concurrent signal in between
            question, created = UnansweredQuestion.objects.get(message=anchor), False
        if created:
            enqueue_on_commit("conversations.tasks.unanswered_cluster_task", conversation.workspace_id, question.pk)
        elif reason not in question.reasons:
            # Locked against the clustering, which counts the reasons it reads (see unanswered_cluster).
            question = UnansweredQuestion.objects.select_for_update().get(pk=question.pk)
            if reason not in question.reasons:
                question.reasons = [*question.reasons, reason]
                question.save(update_fields=["reasons"])
                if question.cluster_id is not None:
                    _count_day(question, questions=0, reasons=[reason])
    return question


def unanswered_record_latest(*, conversation: Conversation, reason: str) -> UnansweredQuestion | None:
    """Record the conversation's latest customer message (a handoff names no particular turn)."""
    latest = (
        Message.objects.filter(conversation=conversation, direction=Message.Direction.IN)
        .order_by("-source_timestamp", "-id")
        .first()
    )
    return unanswered_record(conversation=conversation, messages=[latest], reason=reason) if latest else None


def unanswered_cluster(*, question_id: int) -> UnansweredCluster | None:
    """Put a recorded question into the nearest open cluster of its meaning, or a new one."""
    question = UnansweredQuestion.objects.filter(pk=question_id, cluster__isnull=True).first()
    if question is None:
        return None  # clustered already (the task ran twice)
    vector = _unit(embedding_model_get(UNANSWERED_EMBEDDING_MODEL).embed_query(question.text))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CLUSTER_LOCK, question.workspace_id])
        question = UnansweredQuestion.objects.select_for_update().get(pk=question_id)
        if question.cluster_id is not None:
            return question.cluster
        nearest = (
            UnansweredCluster.objects.filter(status=UnansweredCluster.Status.OPEN)
            .annotate(distance=CosineDistance("centroid", vector))
            .order_by("distance")
            .first()
        )
        joins = nearest is not None and nearest.distance <= settings.UNANSWERED_CLUSTER_MAX_DISTANCE
        if joins:
            cluster = nearest
            count = cluster.question_count
            cluster.centroid = [(c * count + v) / (count + 1) for c, v in zip(cluster.centroid, vector, strict=True)]
            cluster.question_count = count + 1
            cluster.last_seen_at = max(cluster.last_seen_at, question.created_at)
            cluster.save(update_fields=["centroid", "question_count", "last_seen_at"])
        else:
            cluster = UnansweredCluster.objects.create(
                workspace_id=question.workspace_id,
                title=_title(question.text),
                centroid=vector,
                question_count=1,
                first_seen_at=question.created_at,
                last_seen_at=question.created_at,
            )
        question.cluster, question.embedding = cluster, vector
        question.save(update_fields=["cluster", "embedding"])
        _count_day(question, questions=1, reasons=question.reasons)
        if joins:
            _title_update(cluster)
    return cluster


def _title_update(cluster: UnansweredCluster) -> None:
    """The representative question: the cluster's question nearest its centroid (a medoid, so the
    title the "create article" action suggests is the most typical wording, not whichever came first)."""
    typical = (
        UnansweredQuestion.objects.filter(cluster=cluster, embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", cluster.centroid))
        .order_by("distance", "id")
        .values_list("text", flat=True)
        .first()
    )
    if typical is not None and _title(typical) != cluster.title:
        cluster.title = _title(typical)
        cluster.save(update_fields=["title"])


def _title(text: str) -> str:
    return " ".join(text.split())[:300]


def unanswered_cluster_recover(
    *, older_than: timedelta = timedelta(minutes=5), give_up: timedelta = timedelta(days=1)
) -> int:
    """The stuck-work sweep's part (every minute): questions whose clustering task was lost (the
    broker down at enqueue) or failed are queued again, for a day; the admin lists those left."""
    now = timezone.now()
    lost = list(
        UnansweredQuestion.objects.unscoped_across_workspaces()
        .filter(cluster__isnull=True, created_at__lt=now - older_than, created_at__gt=now - give_up)
        .values_list("workspace_id", "pk")[:500]
    )
    for workspace_id, question_id in lost:
        enqueue_on_commit("conversations.tasks.unanswered_cluster_task", workspace_id, question_id)
    return len(lost)


@transaction.atomic
def unanswered_dismiss(*, cluster: UnansweredCluster, user: User | None) -> UnansweredCluster:
    """Not worth an article: the cluster leaves the open list (new questions of it start a new one)."""
    return _set_status(cluster, UnansweredCluster.Status.DISMISSED, user)


@transaction.atomic
def unanswered_resolve(*, cluster: UnansweredCluster, article_id: int, user: User | None) -> UnansweredCluster:
    """An article now answers the cluster's questions."""
    if not article_list().filter(pk=article_id).exists():
        raise UnansweredArticleMissing(f"No article {article_id} in this workspace.", field="article")
    cluster.article_id = article_id
    return _set_status(cluster, UnansweredCluster.Status.RESOLVED, user, extra=["article"])


def _set_status(
    cluster: UnansweredCluster, status: str, user: User | None, extra: list[str] | None = None
) -> UnansweredCluster:
    cluster.status, cluster.status_changed_at, cluster.status_changed_by = status, timezone.now(), user
    cluster.save(update_fields=["status", "status_changed_at", "status_changed_by", *(extra or [])])
    _publish_changed(cluster.workspace_id)
    return cluster


def _count_day(question: UnansweredQuestion, *, questions: int, reasons: list[str]) -> None:
    """Add to the question's cluster's row of the question's day, in the workspace's time zone: one
    upsert (raw: INSERT … ON CONFLICT with the day computed from the workspace's row, whose id the
    question carries; the same shape as billing's activity counters)."""
    counts = [int(r in reasons) for r in (Reason.LOW_SCORE, Reason.HANDOFF, Reason.REJECTED)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_unanswereddaily AS t
                (workspace_id, cluster_id, date, questions, low_score, handoff, rejected)
            SELECT w.id, %s, (%s::timestamptz AT TIME ZONE w.time_zone)::date, %s, %s, %s, %s
            FROM accounts_workspace w WHERE w.id = %s
            ON CONFLICT (cluster_id, date) DO UPDATE SET
                questions = t.questions + EXCLUDED.questions, low_score = t.low_score + EXCLUDED.low_score,
                handoff = t.handoff + EXCLUDED.handoff, rejected = t.rejected + EXCLUDED.rejected
            """,
            [question.cluster_id, question.created_at, questions, *counts, question.workspace_id],
        )
    _publish_changed(question.workspace_id)


def _publish_changed(workspace_id: int) -> None:
    """The Statistics page's unanswered list is live: its sockets refetch the statistics reads."""
    realtime.publish(workspace_id, "statistics.updated", {"counters": ["unanswered_questions"]})


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]
