"""A client-chosen ordering pages stably: ties on the chosen column are broken by the id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agent_platform.tenancy import workspace_scope
from agents.models import Agent

pytestmark = pytest.mark.django_db


def test_pages_of_a_tied_ordering_hold_every_row_once(owner_client, workspace):
    with workspace_scope(workspace.pk):
        Agent.objects.bulk_create(
            Agent(workspace=workspace, name=f"Agent {i:02}", model_provider="offline", model_id="offline-extractive")
            for i in range(23)
        )
    seen = []
    for ordering, tiebreak in (("is_active", '"id" ASC'), ("-is_active", '"id" DESC')):
        seen.clear()
        page = 1
        while True:
            with CaptureQueriesContext(connection) as queries:
                body = owner_client.get(f"/api/agents?ordering={ordering}&page_size=5&page={page}").json()
            select = next(
                q["sql"] for q in queries.captured_queries if 'FROM "agents_agent"' in q["sql"] and "LIMIT" in q["sql"]
            )
            assert select.rstrip().split("ORDER BY")[1].split("LIMIT")[0].strip().endswith(tiebreak)
            seen.extend(agent["id"] for agent in body["results"])
            if not body["next"]:
                break
            page += 1
        assert len(seen) == len(set(seen)) == 23
    ids = sorted(seen, reverse=True)
    assert seen == ids  # all tie on is_active: the id decides, in the first key's direction
