"""The embedded services behind `make run` on a machine with nothing configured."""

import shutil
import tempfile
from pathlib import Path

import psycopg
import redis

from agent_platform.embedded import EmbeddedServices, process_alive


def test_embedded_postgres_with_pgvector_and_redis_start_and_stop_cleanly():
    # Not pytest's tmp_path: as root, pgserver runs PostgreSQL as its own user, which cannot enter
    # pytest's private (0700) temporary folder.
    root = Path(__file__).resolve().parents[2] / ".data"
    root.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="test-embedded-", dir=root))
    data_dir.chmod(0o755)
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
