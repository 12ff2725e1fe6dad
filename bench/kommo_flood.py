"""bench/kommo_flood: the Kommo webhook flood of `tests/faults/test_kommo_flood.py` at full size —
1,000 webhooks, 30 % of them exact redeliveries, shuffled, posted by 16 threads over real HTTP to the
platform's web server (uvicorn) while a real Celery worker drains them and answers through Salesbot on
the local Kommo (7 requests/s). Prints the accepted rate, the time to drain and answer everything
(with its floor: the Kommo API calls it took at 7/s), duplicates and lost messages.

    .venv/bin/python bench/kommo_flood.py [--webhooks 1000] [--timeout 300]

Runs the test with the session's test database and Redis (export DATABASE_TEST_NAME,
TEST_REDIS_URL and TEST_CELERY_BROKER_URL as for pytest); the suite runs the same test with 200.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=300, help="seconds to drain and answer everything")
    args = parser.parse_args()
    env = {**os.environ, "KOMMO_FLOOD_WEBHOOKS": str(args.webhooks), "KOMMO_FLOOD_TIMEOUT": str(args.timeout)}
    command = [sys.executable, "-m", "pytest", "tests/faults/test_kommo_flood.py", "-q", "-s"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
