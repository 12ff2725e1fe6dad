"""bench/ingest: the ingest endpoint (POST /api/channels/api/messages) under load from a second
process — wrk on loopback — against Daphne, the platform's ASGI server, with the bench database.

    .venv/bin/python bench/ingest.py [--seconds 20] [--connections 16]

Needs `wrk` (Debian: apt-get install wrk). Prints requests/s and the latency percentiles.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from _setup import ROOT, prepare, stop

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    prepare()

    from accounts.services import api_key_issue
    from agent_platform.celery import app
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    run = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"ingest-{run}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Ingest {run}", owner=owner)
    # A server delivers with a workspace API key (the way the README tells integrators to).
    _, key = api_key_issue(workspace=workspace, name="bench", scopes=["channel_api"], actor=owner)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "--access-log",
            os.devnull,
            "agent_platform.asgi:application",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(HERE / "ingest.lua"),
                "-H",
                f"Authorization: Api-Key {key}",
                "-H",
                "Content-Type: application/json",
                f"http://127.0.0.1:{port}",
                "--",
                run,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        summary = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
        fields = dict(part.split("=") for part in summary.split()[1:])
        print(
            f"ingest: {fields['rps']} requests/s over {fields['duration_s']} s, {args.connections} connections, "
            f"p50 {fields['p50_ms']} ms, p95 {fields['p95_ms']} ms, p99 {fields['p99_ms']} ms, "
            f"non-2xx/errors {fields['errors']} of {fields['requests']}"
        )
    finally:
        stop(server)
        app.control.purge()  # the processing tasks the load enqueued (no worker ran)


if __name__ == "__main__":
    main()
