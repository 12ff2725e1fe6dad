"""The embedded services behind `make run` on a machine with nothing configured."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import redis

from agent_platform.embedded import EmbeddedServices, process_alive


def _data_dir() -> Path:
    # Not pytest's tmp_path: as root, pgserver runs PostgreSQL as its own user, which cannot enter
    # pytest's private (0700) temporary folder.
    root = Path(__file__).resolve().parents[2] / ".data"
    root.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="test-embedded-", dir=root))
    data_dir.chmod(0o755)
    return data_dir


def test_embedded_postgres_with_pgvector_and_redis_start_and_stop_cleanly():
    data_dir = _data_dir()
    services = EmbeddedServices(data_dir=data_dir / "data")
    try:
        env = services.start_postgres()
        services.start_redis()
        with psycopg.connect(dbname="agent_platform", user="postgres", host=env["PGHOST"], autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            assert conn.execute("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector").fetchone()[0] == 1.0
        client = redis.Redis.from_url(env["REDIS_URL"])
        assert client.ping()
        client.close()
        pg_pid, redis_pid = services.postgres_pid, services.redis_pid
        assert pg_pid and redis_pid
    finally:
        services.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    assert not process_alive(pg_pid)
    assert not process_alive(redis_pid)


def test_a_server_left_by_a_killed_run_is_stopped_by_the_run_that_reused_it():
    """A run killed before its cleanup leaves PostgreSQL running; the next run reuses it (pgserver
    finds it serving the data directory) and must stop it when it stops, as it would its own."""
    data_dir = _data_dir()
    killed_run = (
        "import os, pathlib; from agent_platform.embedded import EmbeddedServices; "
        f"s = EmbeddedServices(data_dir=pathlib.Path({str(data_dir / 'data')!r})); s.start_postgres(); "
        "print(s.postgres_pid, flush=True); os._exit(0)"
    )
    try:
        left = subprocess.run(
            [sys.executable, "-c", killed_run], capture_output=True, text=True, check=True, timeout=120
        )
        left_pid = int(left.stdout.split()[-1])
        assert process_alive(left_pid)
        services = EmbeddedServices(data_dir=data_dir / "data")
        services.start_postgres()
        assert services.postgres_pid == left_pid  # reused, not started anew
        services.stop()
        assert not process_alive(left_pid)
    finally:
        for pid_file in data_dir.glob("data/pg/postmaster.pid"):
            pid = int(pid_file.read_text().split()[0])
            if process_alive(pid):
                os.kill(pid, signal.SIGQUIT)
        shutil.rmtree(data_dir, ignore_errors=True)
