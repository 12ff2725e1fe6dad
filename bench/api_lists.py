"""bench/api_lists: the lists a user opens every day, each holding 10,000 rows in one workspace, over
HTTP through the platform's web server (uvicorn, two workers, DEBUG off) under wrk — and, in the same
run, a bare endpoint (/healthz) before and after, for the ratios.

    .venv/bin/python bench/api_lists.py [--rows 10000] [--seconds 8] [--connections 4] [--workers 2]
                                        [--only conversations,articles] [--keep]

The lists: the inbox (`/api/conversations`, every conversation with three messages, 1 % holding a
reply for approval), one conversation's thread (`/messages`, 10,000 messages of its own), knowledge
articles (in 20 categories), the user's notifications, the audit log, and one trigger's evaluation
log. Rows are written with bulk_create (no API), timestamps spread over the past. For each list it
requests the first page, a later page (page 200 of a page-numbered list; the 20th `next` link of a
cursor-paginated one), a filtered and a searched or ordered variant, authenticated with a member's
JWT; before the load it checks each answers 200 with rows, and counts its SQL queries in-process
(CaptureQueriesContext: a count that grows with the page is an N+1). Prints req/s, p50/p95/p99,
errors and the p95 against the bare endpoint's. Removes its rows at the end unless --keep.

Goal (docs/performance.md): p95 ≤ 100 ms per list at 10,000 rows. Needs `wrk` (apt-get install wrk).
Point it at a database of its own with BENCH_DATABASE_URL (created and migrated when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import urllib.request
import uuid
from urllib.parse import urlsplit

from _lists_seed import seed, unseed
from _setup import asgi_server, percentile, prepare, wrk
from kommo_webhooks import cpu_model

GOAL_P95_MS = 100.0
LATER_CURSOR_PAGES = 20


def variants(ids: dict, rows: int) -> list[tuple[str, str, str]]:
    """(list, variant, path); a path ending in `#cursor` is followed LATER_CURSOR_PAGES `next` links.
    The later page of a page-numbered list is the middle one (page 200 of 400 at 10,000 rows)."""
    page = max(1, rows // 50)
    thread = f"/api/conversations/{ids['hot']}/messages"
    logs = f"/api/triggers/{ids['trigger']}/logs"
    return [
        ("conversations", "first page", "/api/conversations"),
        ("conversations", f"page {page}", f"/api/conversations?page={page}"),
        ("conversations", "filter status=human", "/api/conversations?status=human"),
        ("conversations", "approvals (needs_approval)", "/api/conversations?needs_approval=true"),
        ("conversations", "search name", "/api/conversations?search=Elena+42"),
        ("conversations", "order -unread_count", "/api/conversations?ordering=-unread_count"),
        ("messages", "first page", thread),
        ("messages", "20th cursor page", f"{thread}#cursor"),
        ("articles", "first page", "/api/knowledge/articles"),
        ("articles", f"page {page}", f"/api/knowledge/articles?page={page}"),
        ("articles", "published in a category", f"/api/knowledge/articles?status=published&category={ids['category']}"),
        ("articles", "search title", "/api/knowledge/articles?search=refund+works%2C+part+77"),
        ("articles", "order title", "/api/knowledge/articles?ordering=title"),
        ("notifications", "first page", "/api/notifications"),
        ("notifications", "20th cursor page", "/api/notifications#cursor"),
        ("notifications", "filter unread", "/api/notifications?unread=true"),
        ("notifications", "filter kind", "/api/notifications?kind=message_failed"),
        ("audit-log", "first page", "/api/audit-log"),
        ("audit-log", "20th cursor page", "/api/audit-log#cursor"),
        ("audit-log", "filter action", "/api/audit-log?action=article.updated"),
        ("audit-log", "filter actor", f"/api/audit-log?actor={ids['member']}"),
        ("trigger-logs", "first page", logs),
        ("trigger-logs", f"page {page}", f"{logs}?page={page}"),
        ("trigger-logs", "filter fired", f"{logs}?outcome=fired"),
    ]


def get(url: str, headers: dict) -> dict:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own loopback URL)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 200, (url, response.status)
        return json.loads(response.read())


def resolve(base: str, path: str, headers: dict, depth: int) -> tuple[str, int]:
    """The path to load (a later cursor page resolved by following `next`) and its row count."""
    if path.endswith("#cursor"):
        path = path.removesuffix("#cursor")
        for _ in range(depth):
            following = get(f"{base}{path}", headers)["next"]
            assert following, f"{path}: fewer than {depth} pages"
            parts = urlsplit(following)
            path = f"{parts.path}?{parts.query}"
    body = get(f"{base}{path}", headers)
    rows = len(body["results"])
    assert rows > 0, f"{path} answered no rows: the seed does not exercise it"
    return path, rows


def profile(path: str, user, workspace_id: int, repeat: int = 5) -> dict:
    """One request in-process, `repeat` times (no network, no other request): its SQL queries (a
    count that grows with the page is an N+1), the median time in SQL and in all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST="localhost")
    client.force_authenticate(user)
    totals, sqls, count = [], [], 0
    for _ in range(repeat):
        begin = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_X_WORKSPACE=str(workspace_id))
        totals.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        count = len(queries)
    return {"queries": count, "total_ms": percentile(totals, 50), "sql_ms": percentile(sqls, 50)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn's worker processes")
    parser.add_argument("--only", default="", help="comma-separated list names (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded rows")
    args = parser.parse_args()
    prepare()

    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.services import membership_add
    from agent_platform.tenancy import Role
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    run = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"lists-{run}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Lists {run}", owner=owner)
    members = [UserFactory(email=f"lists-{run}-{n}@example.com", password=None) for n in range(3)]
    for member in members:
        membership_add(workspace=workspace, user=member, role=Role.ADMIN)
    started = time.monotonic()
    ids = seed(workspace=workspace, owner=owner, members=members, rows=args.rows)
    print(f"seeded {args.rows:,} rows per list in {time.monotonic() - started:.1f} s", flush=True)

    only = {name for name in args.only.split(",") if name}
    chosen = [v for v in variants(ids, args.rows) if not only or v[0] in only]
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(owner).access_token}", "X-Workspace": str(workspace.pk)}
    load = {"seconds": args.seconds, "connections": args.connections, "script": "api_lists.lua"}
    load["headers"] = [f"{name}: {value}" for name, value in headers.items()]
    results = []
    try:
        with asgi_server("uvicorn", args.workers) as url:
            depth = min(LATER_CURSOR_PAGES, args.rows // 100)
            resolved = [(name, variant, *resolve(url, path, headers, depth)) for name, variant, path in chosen]
            queries = {path: profile(path, owner, workspace.pk) for _, _, path, _ in resolved}
            wrk(url, **{**load, "seconds": 3}, args=["/healthz"])  # warm-up
            bare_before = wrk(url, **load, args=["/healthz"])
            for name, variant, path, rows in resolved:
                wrk(url, **{**load, "seconds": 1}, args=[path])  # every worker's first request
                results.append((name, variant, path, rows, wrk(url, **load, args=[path])))
                print(f"  {name} {variant}: p95 {results[-1][4]['p95_ms']:.1f} ms", flush=True)
            bare_after = wrk(url, **load, args=["/healthz"])
    finally:
        if not args.keep:
            unseed(workspace.pk)
    report(args, bare_before, bare_after, results, queries)


def report(args, bare_before: dict, bare_after: dict, results: list, queries: dict) -> None:
    print(f"host: {cpu_model()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", end="; ")
    print(f"{args.connections} connections, {args.seconds} s each, uvicorn × {args.workers}, {args.rows:,} rows a list")
    for label, bare in (("bare /healthz before", bare_before), ("bare /healthz after", bare_after)):
        print(
            f"{label}: {bare['rps']:.0f} req/s, p50 {bare['p50_ms']:.1f} / p95 {bare['p95_ms']:.1f}"
            f" / p99 {bare['p99_ms']:.1f} ms, errors {int(bare['errors'])}"
        )
    bare_p95 = max(bare_before["p95_ms"], bare_after["p95_ms"])
    print(
        f"{'list':14s} {'variant':28s} {'rows':>4s} {'SQL':>3s} {'req/s':>7s} {'p50':>6s} {'p95':>6s} {'p99':>6s}"
        f" {'errors':>11s} {'p95/bare':>8s} {'alone':>6s} {'in SQL':>6s}  goal p95 ≤ {GOAL_P95_MS:.0f} ms"
    )
    worst = 0.0
    for name, variant, path, rows, result in results:
        worst, alone = max(worst, result["p95_ms"]), queries[path]
        print(
            f"{name:14s} {variant:28s} {rows:4d} {alone['queries']:3d} {result['rps']:7.1f} {result['p50_ms']:6.1f}"
            f" {result['p95_ms']:6.1f} {result['p99_ms']:6.1f} {int(result['errors']):4d}/{int(result['requests']):6d}"
            f" {result['p95_ms'] / bare_p95:8.1f} {alone['total_ms']:6.1f} {alone['sql_ms']:6.1f}"
            f"  {'ok' if result['p95_ms'] <= GOAL_P95_MS else 'SLOW'}"
        )
    print(f"worst p95 {worst:.1f} ms (goal ≤ {GOAL_P95_MS:.0f} ms); load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
