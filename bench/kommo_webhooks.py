"""bench/kommo_webhooks: Kommo's webhooks arriving at /api/webhooks/kommo/<secret>/message under load
from a second process (wrk, 16 connections) against the platform's web server (uvicorn, two workers;
`--server daphne` for the one-process server it replaced), with the bench database — and, in the same
run, a bare endpoint (/healthz) on the same server, to print the ratio.

    .venv/bin/python bench/kommo_webhooks.py [--seconds 20] [--connections 16] [--server uvicorn|daphne] [--workers 2]

Each request is a unique chat message (no deduplication hit): parse, check the account and store
the delivery (one SQL statement), wake the drain (a Redis flag) — on the webhooks' own ASGI
application (integrations/api/webhook_asgi.py), as in production. No worker runs, so this measures the
acknowledgement Kommo waits for (it gives up after 2 s). Needs `wrk` (Debian: apt-get install wrk).
The host is shared and loaded by others: compare the webhook / bare ratio, not the absolute rates.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import uuid

from _setup import SERVERS, asgi_server, prepare, wrk


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--server", choices=SERVERS, default="uvicorn")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn's worker processes")
    args = parser.parse_args()
    prepare()

    from agent_platform.celery import app
    from agent_platform.crypto import secret_digest
    from agent_platform.tenancy import workspace_scope
    from integrations.kommo.models import KommoIntegration
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    run = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"kommo-{run}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Kommo {run}", owner=owner)
    secret = secrets.token_urlsafe(32)
    account_id = 7_000_000 + int(run[:5], 16)
    with workspace_scope(workspace.pk):
        KommoIntegration.objects.create(
            workspace=workspace,
            base_domain="bench.kommo.com",
            account_id=account_id,
            account_subdomain="bench",
            client_id="bench",
            access_token="not-used",  # noqa: S106 (never sent: no call to Kommo here)
            webhook_secret=secret,
            webhook_secret_digest=secret_digest(secret),
        )
    load = {"seconds": args.seconds, "connections": args.connections, "headers": [], "script": "kommo_webhooks.lua"}
    try:
        with asgi_server(args.server, args.workers) as url:
            path = f"/api/webhooks/kommo/{secret}/message"
            wrk(url, **{**load, "seconds": 3}, args=["webhook", path, str(account_id), f"warm-{run}"])  # warm up
            bare = wrk(url, **load, args=["bare", "/healthz", "0", run])
            hooks = wrk(url, **load, args=["webhook", path, str(account_id), run])
    finally:
        app.control.purge()  # the processing tasks the load enqueued (no worker ran)
    print(f"host: {cpu_model()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", end="; ")
    print(f"{args.connections} connections, {args.seconds} s each")
    print(f"server: {args.server}" + (f", {args.workers} workers" if args.server == "uvicorn" else ""))
    for name, result in (("bare /healthz", bare), ("kommo webhook", hooks)):
        print(
            f"{name:14s} {result['rps']:8.1f} requests/s  p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms"
            f"  p99 {result['p99_ms']:.1f} ms  non-2xx/errors {int(result['errors'])} of {int(result['requests'])}"
        )
    print(
        f"webhook / bare: {hooks['rps'] / bare['rps']:.2f} of the bare endpoint's rate, "
        f"p95 {hooks['p95_ms'] / bare['p95_ms']:.2f} of its p95"
    )


if __name__ == "__main__":
    main()
