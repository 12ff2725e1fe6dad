"""DATABASE_REPLICA_URL adds a `replica` database that lag-tolerant reads opt into with
`.using(read_replica())`; writes and migrations stay on the primary. Checked in a fresh process
with the test database standing in for both (settings are read once per process)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from agent_platform.tenancy import workspace_scope
from billing.models import ActivityDaily, UsageDaily
from tests.accounts.factories import UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the other process must see the user
ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django, json
django.setup()
from django.db import router
from accounts.models import User
from agent_platform.replica import read_replica
alias = read_replica()
print(json.dumps({
    "alias": alias,
    "users": User.objects.using(alias).filter(email__startswith="replica").count(),
    "write": router.db_for_write(User),
    "migrate_replica": router.allow_migrate("replica", "accounts"),
    "migrate_default": router.allow_migrate("default", "accounts"),
}))
"""


STATISTICS_PROBE = """
import django, datetime, json
django.setup()
from django.db import connections
from accounts.models import Workspace
from agent_platform.tenancy import workspace_scope
from billing.selectors import dashboard_statistics, usage_statistics
workspace = Workspace.objects.get(name="Replica Shop")
day = datetime.date(2026, 12, 1)
for alias in connections:
    connections[alias].force_debug_cursor = True
with workspace_scope(workspace.pk):
    figures = dashboard_statistics(workspace=workspace, date_from=day, date_to=day)
    usage = usage_statistics(workspace=workspace, date_from=day, date_to=day)
print(json.dumps({
    "ai_replies": figures["current"]["ai_replies"],
    "calls": usage["totals"]["calls"],
    "queries": {alias: len(connections[alias].queries) for alias in connections},
}))
"""


def _probe(probe: str = PROBE, **env: str) -> dict:
    settings = connection.settings_dict
    url = f"postgresql://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    inherited = {key: value for key, value in os.environ.items() if key != "DATABASE_REPLICA_URL"}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "agent_platform.settings.test",
        "DATABASE_URL": f"{url}/{settings['NAME']}",
        **{key: value.format(url=url, name=settings["NAME"]) for key, value in env.items()},
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_replica_reads_opt_in_and_writes_stay_on_the_primary():
    UserFactory(prefix="replica")
    figures = _probe(DATABASE_REPLICA_URL="{url}/{name}")
    assert figures == {
        "alias": "replica",
        "users": 1,
        "write": "default",
        "migrate_replica": False,
        "migrate_default": True,
    }


def test_without_a_replica_everything_reads_the_primary():
    UserFactory(prefix="replica")
    figures = _probe()
    assert (figures["alias"], figures["users"], figures["write"]) == ("default", 1, "default")


def test_the_statistics_read_the_replica():
    """The dashboard's and the usage statistics' reads (aggregates that may be seconds behind) go to
    the replica, none to the primary."""
    workspace = WorkspaceFactory(name="Replica Shop")
    day = dt.date(2026, 12, 1)
    with workspace_scope(workspace.pk):
        ActivityDaily.objects.create(workspace=workspace, date=day, ai_replies=3)
        UsageDaily.objects.create(workspace=workspace, date=day, provider="openai", model_id="gpt-4o-mini", calls=2)
    figures = _probe(STATISTICS_PROBE, DATABASE_REPLICA_URL="{url}/{name}")
    assert (figures["ai_replies"], figures["calls"]) == (3, 2)
    assert figures["queries"]["default"] == 0 and figures["queries"]["replica"] >= 4, figures
