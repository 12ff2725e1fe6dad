"""bench/statistics: the dashboard endpoint in a workspace with 1 million messages.

    .venv/bin/python bench/statistics.py [--messages 1000000] [--days 365] [--agents 5] [--requests 300]

Seeds one workspace with `messages` messages (10 per conversation, spread over `days` days) and a
year of daily aggregates — what `GET /api/statistics/dashboard` reads (ActivityDaily per day and
agent, UsageDaily per day, agent and two models) — with generate_series, in a few seconds. The
messages are there to show the endpoint never scans them. Then, through the real ASGI server (one
Daphne process) with a member's JWT, requests the dashboard `requests` times per period (7d, 30d,
90d, round robin; each also reads the previous period) and prints p50/p95/max, and the in-process
selector alone. Removes its rows at the end. Goal: p95 ≤ 50 ms.

Measured 2026-12-04 on 2 vCPU (AMD EPYC), shared with other work (load ≈ 2.5), 600 requests:
  7d: p50 13.3 ms, p95 19.1 ms · 30d: p50 15.2 ms, p95 23.4 ms · 90d: p50 22.8 ms, p95 33.0 ms
  all: p50 16.8 ms, p95 28.6 ms (goal ≤ 50 ms); the selector alone 2.9 ms (p50, this month).
  Under heavier load (≈ 7) the same run measured p95 68 ms: the numbers follow the machine's load.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import urllib.request
import uuid
from pathlib import Path

from _setup import daphne, percentile, prepare


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def get(url: str, headers: dict[str, str]) -> dict:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own loopback URL)
    with urllib.request.urlopen(request) as response:  # noqa: S310 (our own loopback URL)
        return json.loads(response.read())


def seed(cursor, *, workspace_id: int, messages: int, days: int, agents: list[int]) -> None:
    """Conversations and messages (10 each), then the aggregates, all with generate_series."""
    conversations = max(1, messages // 10)
    cursor.execute(
        """
        INSERT INTO conversations_conversation (workspace_id, channel, external_chat_id, external_talk_id,
            external_lead_id, external_contact_id, customer_name, customer_handle, status, ai_reply_count,
            unread_count, created_at, updated_at, last_message_at)
        SELECT %(ws)s, 'api', 'bench-' || n, '', '', '', 'Customer ' || n, '', 'open', 5, 0,
               now() - make_interval(secs => (n %% %(days)s) * 86400), now(), now()
        FROM generate_series(1, %(conversations)s) AS n
        """,
        {"ws": workspace_id, "days": days, "conversations": conversations},
    )
    cursor.execute(
        """
        INSERT INTO conversations_message (workspace_id, conversation_id, channel, direction, author, text,
            attachments, external_id, source_timestamp, status, status_reason, answers, trace, metadata,
            original_text, failure_stage, send_attempts, created_at, updated_at, sent_at)
        SELECT c.workspace_id, c.id, 'api', CASE WHEN m %% 2 = 0 THEN 'in' ELSE 'out' END,
               CASE WHEN m %% 2 = 0 THEN 'customer' ELSE 'ai' END, 'Message ' || m, '[]', '',
               c.created_at + make_interval(secs => m * 60), CASE WHEN m %% 2 = 0 THEN 'answered' ELSE 'sent' END,
               '', '{}', '[]', '{}', '', '', 0, c.created_at + make_interval(secs => m * 60), now(),
               CASE WHEN m %% 2 = 0 THEN NULL ELSE c.created_at + make_interval(secs => m * 60) END
        FROM conversations_conversation AS c
        CROSS JOIN generate_series(0, 9) AS m
        WHERE c.workspace_id = %(ws)s
        """,
        {"ws": workspace_id},
    )
    from billing.statistics import BUCKETS

    cursor.execute(
        """
        INSERT INTO activity_statistics (workspace_id, date, agent_id, conversations_started, ai_replies,
            approvals_approved, approvals_rejected, handoffs, first_response_count, first_response_seconds_sum,
            first_response_histogram, trigger_fires, chain_runs_started, chain_runs_finished,
            chain_runs_converted, field_writes)
        SELECT %(ws)s, current_date - d, a, 50 + d %% 7, 250 + d %% 11, 20, 3, 4, 50, 50 * 7.5,
               (SELECT array_agg(CASE WHEN b < 40 THEN (b * d) %% 5 ELSE 0 END) FROM generate_series(1, %(buckets)s) b),
               30, 12, 10, 6, 40
        FROM generate_series(0, %(days)s - 1) AS d, unnest(%(agents)s::bigint[]) AS a
        """,
        {"ws": workspace_id, "days": days, "agents": agents, "buckets": BUCKETS},
    )
    cursor.execute(
        """
        INSERT INTO usage_statistics (workspace_id, date, agent_id, provider, model_id, calls, failures,
            input_tokens, output_tokens, cached_tokens, cost)
        SELECT %(ws)s, current_date - d, a, 'openai', model, 300, 2, 400000, 60000, 0, 1.234567
        FROM generate_series(0, %(days)s - 1) AS d, unnest(%(agents)s::bigint[]) AS a,
             unnest(ARRAY['gpt-4o', 'gpt-4o-mini']) AS model
        """,
        {"ws": workspace_id, "days": days, "agents": agents},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--agents", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}", flush=True)
    prepare()

    from django.db import connection
    from rest_framework_simplejwt.tokens import RefreshToken

    from agent_platform.tenancy import workspace_scope
    from billing.selectors import dashboard_statistics, workspace_today
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    tag = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"bench-statistics-{tag}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Statistics {tag}", owner=owner)
    agents = [1_000_000 + n for n in range(args.agents)]  # plain ids: billing knows agents by id only
    started = time.monotonic()
    with connection.cursor() as cursor:
        seed(cursor, workspace_id=workspace.pk, messages=args.messages, days=args.days, agents=[*agents, None])
        cursor.execute("ANALYZE conversations_message; ANALYZE activity_statistics; ANALYZE usage_statistics")
        cursor.execute("SELECT count(*) FROM conversations_message WHERE workspace_id = %s", [workspace.pk])
        (count,) = cursor.fetchone()
    print(f"seeded {count:,} messages and {args.days} days of aggregates in {time.monotonic() - started:.1f} s")

    try:
        token = str(RefreshToken.for_user(owner).access_token)
        headers = {"Authorization": f"Bearer {token}", "X-Workspace": str(workspace.pk)}
        periods = ["7d", "30d", "90d"]
        with daphne() as url:
            for period in periods:  # warm-up: the server's first requests import and connect
                get(f"{url}/api/statistics/dashboard?period={period}", headers)
            timings: dict[str, list[float]] = {period: [] for period in periods}
            body: dict = {}
            for n in range(args.requests):
                period = periods[n % len(periods)]
                begin = time.perf_counter()
                body = get(f"{url}/api/statistics/dashboard?period={period}", headers)
                timings[period].append((time.perf_counter() - begin) * 1000)
        every = [ms for values in timings.values() for ms in values]
        for period, values in timings.items():
            print(
                f"GET /api/statistics/dashboard?period={period}: n={len(values)} "
                f"p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, max {max(values):.1f} ms"
            )
        print(f"all periods: p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms (goal ≤ 50 ms)")
        print(f"last answer (90d): {body['current']['conversations']:,} conversations, {len(body['series'])} days")

        selector: list[float] = []
        today = workspace_today(workspace=workspace)
        with workspace_scope(workspace.pk):
            for _ in range(50):
                begin = time.perf_counter()
                dashboard_statistics(workspace=workspace, date_from=today.replace(day=1), date_to=today)
                selector.append((time.perf_counter() - begin) * 1000)
        print(
            f"selector alone (this month): p50 {percentile(selector, 50):.1f} ms, p95 {percentile(selector, 95):.1f} ms"
        )
    finally:
        with connection.cursor() as cursor:
            for table in (
                "conversations_message",
                "conversations_conversation",
                "activity_statistics",
                "usage_statistics",
            ):
                cursor.execute(f"DELETE FROM {table} WHERE workspace_id = %s", [workspace.pk])


if __name__ == "__main__":
    main()
