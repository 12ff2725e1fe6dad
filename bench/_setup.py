"""Shared set-up of the benchmarks: a bench database (created and migrated when missing), Django,
and a real Celery worker process. Not part of the test run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from agent_platform.web_process import web_command  # noqa: E402 (after the path: bench/ runs as a script)

# Production settings (DEBUG off: no per-query debug recording), served over plain HTTP on loopback.
SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "agent_platform.settings.base",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": "redis://127.0.0.1:6379/6",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
    "THROTTLE_USER": "1000000/min",
    "THROTTLE_ANON": "1000000/min",
}
BENCH_ENV = {
    **SETTINGS,
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ap_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", SETTINGS["REDIS_URL"]),
}


def use_knowledge_bench_settings() -> None:
    """The knowledge benchmarks' defaults (their own database, ap_knowledge_dev); what the
    environment sets wins."""
    for name, value in {**SETTINGS, "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/ap_knowledge_dev"}.items():
        os.environ.setdefault(name, value)


def prepare() -> None:
    """Point this process at the bench services, create and migrate the database, set up Django."""
    os.environ.update(BENCH_ENV)
    import psycopg

    url = BENCH_ENV["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True, env=dict(os.environ))
    import django

    django.setup()


def start_worker(queues: str = "default,messages,ai,indexing,notifications", concurrency: int = 2) -> subprocess.Popen:
    from agent_platform.celery import app
    from agent_platform.worker_process import worker_command, worker_start

    app.control.purge()
    return worker_start(
        worker_command(queues=queues, concurrency=concurrency, loglevel="WARNING", name=f"bench-{os.getpid()}@%h"),
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVERS = ("uvicorn", "daphne")


@contextmanager
def asgi_server(kind: str = "uvicorn", workers: int = 2) -> Iterator[str]:
    """The platform's ASGI application on a free port: its URL. "uvicorn" is the platform's web server
    (agent_platform.web_process, `workers` processes on one socket); "daphne" the one-process server
    it replaced, for comparison."""
    port = free_port()
    if kind == "daphne":
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "--access-log", os.devnull]
        command.append("agent_platform.asgi:application")
    else:
        command = web_command(host="127.0.0.1", port=port, workers=workers)
    server = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)  # noqa: S310 (our own loopback URL)
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1 if workers > 1 else 0)  # every worker up, not just the first
        yield url
    finally:
        stop(server)


def daphne() -> Iterator[str]:
    """One Daphne process (the server before uvicorn; bench/ingest.py measures it)."""
    return asgi_server("daphne", 1)


def wrk(url: str, *, script: str, seconds: int, connections: int, headers: list[str], args: list[str]) -> dict:
    """Load `url` from a second process (wrk, 2 threads) with a Lua `script` of bench/ that ends with
    bench/wrk_report.lua's `done`; the summary it prints: requests, errors, rps and percentiles."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(BENCH / script)]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run([*command, url, "--", *args], capture_output=True, text=True, check=True)
    summary = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    return {key: float(value) for key, value in (part.split("=") for part in summary.split()[1:])}
