"""bench/unanswered: the unanswered-question list and the clustering step in a workspace with many
mined questions.

    .venv/bin/python bench/unanswered.py [--questions 100000] [--clusters 2000] [--days 90] [--runs 50]

Seeds one workspace with `questions` customer messages, each recorded as an unanswered question, in
`clusters` open clusters (512-d random centroids), spread over `days` days, with generate_series.
Then times, in process, what `GET /api/statistics/unanswered` does for its first page (the cluster
list with its per-period counts and reasons, the examples, the serializer) per period, and the
clustering step's nearest-open-centroid query; prints p50/p95. Removes its rows at the end.

Measured 2026-12-05 on 2 vCPU (AMD EPYC) shared with five other sessions (load average ≈ 10), 50 runs:
  counting the questions per request (the first version: COUNT … FILTER over every question of the
  workspace): the cluster query alone p50 258 / 331 / 323 ms (7d / 30d / all);
  from the daily counts (UnansweredDaily): p50 38 / 34 / 7 ms, so 7–45× less; the whole first
  page (clusters, reasons and examples, serialized) p50 87 / 57 / 30 ms, p95 226 / 148 / 64 ms.
  The nearest of 2,000 open centroids (a sequential scan of 512-d vectors): p50 8 ms, p95 16 ms.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import timedelta
from pathlib import Path

from _setup import percentile, prepare


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def seed(cursor, *, workspace_id: int, questions: int, clusters: int, days: int) -> None:
    params = {"ws": workspace_id, "n": questions, "clusters": clusters, "days": days}
    cursor.execute(
        """
        INSERT INTO conversations_conversation (workspace_id, channel, external_chat_id, external_talk_id,
            external_lead_id, external_contact_id, customer_name, customer_handle, status, ai_reply_count,
            unread_count, created_at, updated_at, last_message_at)
        SELECT %(ws)s, 'api', 'unanswered-' || n, '', '', '', 'Customer ' || n, '', 'open', 1, 0, now(), now(), now()
        FROM generate_series(1, %(n)s) AS n
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO conversations_message (workspace_id, conversation_id, channel, direction, author, text,
            attachments, external_id, source_timestamp, status, status_reason, answers, trace, metadata,
            original_text, failure_stage, send_attempts, created_at, updated_at)
        SELECT %(ws)s, c.id, 'api', 'in', 'customer', 'Question ' || c.id, '[]', '', now(), 'answered', '',
               '{}', '[]', '{}', '', '', 0, now(), now()
        FROM conversations_conversation c WHERE c.workspace_id = %(ws)s
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO conversations_unansweredcluster (workspace_id, title, centroid, question_count, status,
            first_seen_at, last_seen_at)
        SELECT %(ws)s, 'Cluster ' || k,
               (SELECT array_agg(random() - 0.5) FROM generate_series(1, 512) WHERE k > 0)::vector,
               0, 'open', now() - make_interval(days => %(days)s), now()
        FROM generate_series(1, %(clusters)s) AS k
        """,
        params,
    )
    # Cluster sizes follow a long tail (a few clusters hold most questions), as real ones do.
    cursor.execute(
        """
        WITH c AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM conversations_unansweredcluster
                   WHERE workspace_id = %(ws)s),
             m AS (SELECT id, conversation_id, row_number() OVER (ORDER BY id) AS i FROM conversations_message
                   WHERE workspace_id = %(ws)s)
        INSERT INTO conversations_unansweredquestion (workspace_id, conversation_id, message_id, text, reasons,
            cluster_id, created_at)
        SELECT %(ws)s, m.conversation_id, m.id, 'Question ' || m.i,
               CASE WHEN m.i %% 7 = 0 THEN ARRAY['low_score', 'rejected'] WHEN m.i %% 5 = 0 THEN ARRAY['handoff']
                    ELSE ARRAY['low_score'] END,
               c.id, now() - make_interval(secs => ((m.i::bigint * 7919) %% (%(days)s * 86400))::int)
        FROM m JOIN c ON c.k = 1 + floor(%(clusters)s * power(((m.i * 7919) %% 1000003) / 1000003.0, 3))::int
        """,
        params,
    )
    cursor.execute(
        """
        UPDATE conversations_unansweredcluster uc SET question_count = q.n
        FROM (SELECT cluster_id, count(*) AS n FROM conversations_unansweredquestion WHERE workspace_id = %(ws)s
              GROUP BY cluster_id) q
        WHERE uc.id = q.cluster_id
        """,
        params,
    )
    # The daily counts the service keeps as questions join (one upsert each), here in one statement.
    cursor.execute(
        """
        INSERT INTO conversations_unanswereddaily (workspace_id, cluster_id, date, questions, low_score, handoff,
            rejected)
        SELECT %(ws)s, cluster_id, (created_at AT TIME ZONE 'UTC')::date, count(*),
               count(*) FILTER (WHERE 'low_score' = ANY(reasons)), count(*) FILTER (WHERE 'handoff' = ANY(reasons)),
               count(*) FILTER (WHERE 'rejected' = ANY(reasons))
        FROM conversations_unansweredquestion WHERE workspace_id = %(ws)s GROUP BY 2, 3
        """,
        params,
    )
    cursor.execute(
        "ANALYZE conversations_unansweredquestion; ANALYZE conversations_unansweredcluster; "
        "ANALYZE conversations_unanswereddaily"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--clusters", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}", flush=True)
    prepare()

    from django.db import connection
    from django.utils import timezone
    from pgvector.django import CosineDistance

    from agent_platform.tenancy import workspace_scope
    from conversations import selectors
    from conversations.api.serializers import UnansweredClusterOutput
    from conversations.models import UnansweredCluster
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    tag = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"bench-unanswered-{tag}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Unanswered {tag}", owner=owner)
    try:
        started = time.monotonic()
        with connection.cursor() as cursor:
            seed(cursor, workspace_id=workspace.pk, questions=args.questions, clusters=args.clusters, days=args.days)
        print(
            f"seeded {args.questions:,} questions in {args.clusters:,} clusters in {time.monotonic() - started:.1f} s"
        )
        with workspace_scope(workspace.pk):
            for label, days in (("7d", 7), ("30d", 30), ("all", None)):
                since = timezone.now() - timedelta(days=days) if days else None
                first_day = since.date() if since else None
                timings = []
                parts: dict[str, list[float]] = {"clusters": [], "details": []}
                for _ in range(args.runs):
                    begin = time.perf_counter()
                    page = list(selectors.unanswered_cluster_list(first_day=first_day, status="open")[:20])
                    parts["clusters"].append((time.perf_counter() - begin) * 1000)
                    details = selectors.unanswered_page_details(
                        cluster_ids=[c.pk for c in page], first_day=first_day, since=since
                    )
                    parts["details"].append((time.perf_counter() - begin) * 1000 - parts["clusters"][-1])
                    UnansweredClusterOutput(page, many=True, context=details).data  # noqa: B018
                    timings.append((time.perf_counter() - begin) * 1000)
                print("  " + ", ".join(f"{name} p50 {percentile(values, 50):.1f} ms" for name, values in parts.items()))
                print(
                    f"list, first page, period {label}: p50 {percentile(timings, 50):.1f} ms, "
                    f"p95 {percentile(timings, 95):.1f} ms (top cluster: {page[0].period_count:,} questions)"
                )
            timings = []
            for _ in range(args.runs):
                vector = [random.random() - 0.5 for _ in range(512)]
                begin = time.perf_counter()
                UnansweredCluster.objects.filter(status="open").annotate(
                    distance=CosineDistance("centroid", vector)
                ).order_by("distance").first()
                timings.append((time.perf_counter() - begin) * 1000)
            print(
                f"clustering: nearest of {args.clusters:,} open centroids: "
                f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms"
            )
    finally:
        with connection.cursor() as cursor:
            for table in ("unanswereddaily", "unansweredquestion", "unansweredcluster", "message", "conversation"):
                cursor.execute(f"DELETE FROM conversations_{table} WHERE workspace_id = %s", [workspace.pk])
        workspace.delete()
        owner.delete()


if __name__ == "__main__":
    main()
