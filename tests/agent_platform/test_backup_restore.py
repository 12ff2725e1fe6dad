"""Backups restore (docs/operations.md, "Backups and restore"): a populated database dumped with
`pg_dump -Fc` and restored with `pg_restore` into a new database has the same rows in every table,
and the platform runs on it — a login through the API and ORM queries against the restored copy.
The same commands as the runbook; bounded (< 60 s, about 20 s on an idle machine; every command
has a timeout) and the restored database is dropped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.accounts.factories import PASSWORD, UserFactory, WorkspaceFactory
from tests.conversations.factories import ConversationFactory, MessageFactory

# Committed rows: pg_dump is another session and sees no open test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

SMOKE = """
import json, sys
from django.test import Client
from accounts.models import User, Workspace
from conversations.models import Message

email, password, workspace_id = sys.argv[1:4]
client = Client()
login = client.post("/api/auth/login", {"email": email, "password": password}, content_type="application/json")
profile = client.get("/api/user/profile", HTTP_AUTHORIZATION="Bearer " + login.json()["access"])
print(json.dumps({
    "login": login.status_code,
    "profile": profile.json().get("email"),
    "workspace": Workspace.objects.get(pk=workspace_id).name,
    "messages": Message.objects.unscoped_across_workspaces().filter(workspace_id=workspace_id).count(),
    "users": User.objects.count(),
}))
"""


def _libpq_env(settings: dict) -> dict[str, str]:
    return {
        **os.environ,
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"] or "postgres",
        "PGPASSWORD": settings["PASSWORD"] or "",
    }


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{command[0]}: {result.stderr}"
    return result


def _row_counts(env: dict[str, str], database: str) -> dict[str, int]:
    with psycopg.connect(dbname=database, host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"]) as db:
        tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}


def test_a_dump_restores_into_a_new_database_that_serves_the_platform(tmp_path):
    started = time.monotonic()
    owner = UserFactory(verified=True, prefix="backup")
    workspace = WorkspaceFactory(owner=owner, name="Restored Co")
    MessageFactory.create_batch(5, conversation=ConversationFactory(workspace=workspace))
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    env = _libpq_env(connection.settings_dict)
    dump = tmp_path / "platform.dump"

    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], env)
    _run(["dropdb", "--if-exists", "--force", restored], env)
    _run(["createdb", restored], env)
    try:
        restore = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={restored}"]
        _run([*restore, str(dump)], env)
        source_counts, restored_counts = _row_counts(env, source), _row_counts(env, restored)
        assert source_counts == restored_counts
        assert restored_counts["conversations_message"] == 5 and len(restored_counts) > 100

        smoke_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "agent_platform.settings.test",
            "DATABASE_URL": f"postgresql://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{restored}",
            "DATABASE_POOL_MAX_SIZE": "0",
        }
        script = [sys.executable, "-c", f"import django; django.setup()\n{SMOKE}", owner.email, PASSWORD]
        result = subprocess.run(
            [*script, str(workspace.pk)], env=smoke_env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        assert figures == {
            "login": 200,
            "profile": owner.email,
            "workspace": "Restored Co",
            "messages": 5,
            "users": source_counts["accounts_user"],
        }
        elapsed = time.monotonic() - started
    finally:
        # Not in the figure: DROP DATABASE waits for a checkpoint of the whole server, as long as
        # whatever else is writing makes it (bounded by _run's timeout all the same).
        _run(["dropdb", "--if-exists", "--force", restored], env)
    print(f"\nbackup + restore + smoke checks: {elapsed:.1f} s, dump {dump.stat().st_size // 1024} KiB")
    assert elapsed < 60
