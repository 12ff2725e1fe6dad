"""A Celery worker as a child process: its command line (`worker_command`) and a launcher that returns
once the worker answers a ping (`worker_start`). The test fixtures and the benchmarks start their
workers with both; `make run` (scripts/run.py) builds its worker's command here and supervises it
with the web server and beat."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from agent_platform.celery import app

ROOT = Path(__file__).resolve().parent.parent


def worker_command(
    *,
    queues: Iterable[str] | str,
    name: str,
    concurrency: int | str | None = None,
    pool: str | None = None,
    loglevel: str = "INFO",
    mingle: bool = False,
    python: str = sys.executable,
) -> list[str]:
    """`python -m celery -A agent_platform worker …` consuming `queues`, named `name` (`%h` is the host)."""
    command = [python, "-m", "celery", "-A", "agent_platform", "worker", "-Q"]
    command.append(queues if isinstance(queues, str) else ",".join(queues))
    if pool is not None:
        command += ["--pool", pool]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]
    command += ["--loglevel", loglevel, "-n", name, "--without-gossip"]
    if not mingle:
        # Mingling syncs with the other workers at start-up: a lone worker waits for replies that never come.
        command.append("--without-mingle")
    return command


def worker_start(
    command: list[str],
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    stdout: int | IO | None = None,
    stderr: int | IO | None = None,
    timeout: float = 60,
) -> subprocess.Popen:
    """Start the worker from the repository root and return once a worker answers a ping through
    this process's Celery app, so its broker must be the worker's. With `log`, the worker's output
    goes to that file and its tail is in the error when the worker exits or never answers; else to
    `stdout`/`stderr` (inherited when None)."""
    # The child keeps its own descriptor of the log file: this process closes its copy at once.
    with log.open("w") if log is not None else contextlib.nullcontext() as out:
        worker = subprocess.Popen(  # noqa: S603 (a command line from worker_command)
            command,
            cwd=ROOT,
            env=env,
            stdout=stdout if out is None else out,
            stderr=stderr if out is None else subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"celery worker exited with {worker.returncode}{_tail(log)}")
        if app.control.ping(timeout=0.5):
            return worker
    worker.kill()
    worker.wait()
    raise RuntimeError(f"celery worker did not come up in {timeout:g} s{_tail(log)}")


def _tail(log: Path | None) -> str:
    return f": {log.read_text()[-2000:]}" if log is not None and log.exists() else ""
