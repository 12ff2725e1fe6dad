"""The API keeps its OpenAPI schema's promises under generated input: schemathesis (the real CLI)
against the real server, as workspace A's owner, with the demo data in A and in a second workspace B.

Every operation of /api/schema/ is called with examples, boundary values and random input, then in
stateful sequences (links inferred from Location headers and from the schema's ids); the checks are
the issue's: no 5xx, only documented status codes and content types, bodies matching their schema,
authentication never ignored, a deleted resource gone. Bounded by --max-time; the seed is fixed so a
failure reproduces (`schemathesis run … --seed` printed below). Operations that end the run's own
session (logout, password change, leaving the workspace) are left out; each has its own
tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import access_token_for
from tests.demo_workspaces import demo_workspaces

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "use_after_free",
)
# Operations that would end the session the run is authenticated with.
SESSION_ENDING = (
    "POST /api/auth/logout",
    "POST /api/auth/session/logout",
    "POST /api/user/password",
    "POST /api/workspaces/{workspace_id}/leave",
)
SEED = 20261205
MAX_SECONDS = int(os.environ.get("SCHEMA_FUZZ_SECONDS", "300"))
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_every_operation_keeps_the_schema_under_generated_input(spa_server, tmp_path):
    a, _b = demo_workspaces()
    user, workspace_id = a.owner, a.workspace.pk
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{spa_server}/api/schema/",
        "--checks",
        ",".join(CHECKS),
        "--header",
        f"Authorization: Bearer {access_token_for(user)}",
        "--header",
        f"X-Workspace: {workspace_id}",
        *[arg for name in SESSION_ENDING for arg in ("--exclude-name", name)],
        "--exclude-path-regex",
        "^/api/sample/",  # the test suite's own sample app (its crash endpoint is deliberate)
        "--max-examples",
        "12",
        "--seed",
        str(SEED),
        "--max-time",
        str(MAX_SECONDS),
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 240, check=False, cwd=tmp_path)
    summary = run.stdout[-30000:]
    print(summary)
    assert run.returncode == 0, f"schemathesis found failures (seed {SEED}):\n{summary}\n{run.stderr[-3000:]}"
