"""GET /api/billing/plans and /api/billing/usage, and the agent and seat limits answered through the
API with the stable code `quota_exceeded`."""

import pytest

from accounts.models import Invitation, Membership
from agent_platform.tenancy import workspace_scope
from agents.models import Agent
from billing.models import Plan
from billing.selectors import plan_current
from billing.services import plan_save, quota_consume
from tests.accounts.factories import UserFactory
from tests.agents.factories import AgentFactory
from tests.billing.factories import plan_make, put_on_plan
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AGENT = {
    "name": "Sales bot",
    "instructions": "Be helpful.",
    "model_provider": "offline",
    "model_id": "offline-extractive",
}


def test_the_plans_are_the_seeded_four_with_their_limits_and_the_current_one(member, workspace):
    put_on_plan(workspace, "starter")
    response = client_for(member).get("/api/billing/plans")
    assert response.status_code == 200
    body = response.json()
    assert body["current"] == "starter"
    assert [p["code"] for p in body["plans"]] == ["free", "starter", "pro", "business"]
    free = body["plans"][0]
    assert free["monthly_price"] == "0.00" and free["overage_policy"] == "block"
    assert free == {**free, "ai_replies_per_month": 100, "agents": 1, "seats": 2}


def test_usage_numbers_equal_direct_counts(owner, member, workspace, other_workspace):
    plan = put_on_plan(workspace, plan_make(replies=10, agents=4, seats=5))
    AgentFactory(workspace=workspace, actor=owner)
    AgentFactory(workspace=workspace, actor=owner)
    AgentFactory(workspace=other_workspace, actor=None)  # another workspace's agent does not count
    for _ in range(8):
        quota_consume(workspace=workspace)
    quota_consume(workspace=other_workspace)
    client = client_for(member)
    body = client.get("/api/billing/usage").json()
    limits = {row["metric"]: row for row in body["limits"]}
    with workspace_scope(workspace.pk):
        agents = Agent.objects.count()
        seats = Membership.objects.filter(workspace=workspace).count() + Invitation.objects.count()
    assert body["plan"]["code"] == plan.code
    assert limits["ai_replies_per_month"] == {**limits["ai_replies_per_month"], "used": 8, "limit": 10, "percent": 80.0}
    assert limits["agents"]["used"] == agents == 2 and limits["agents"]["percent"] == 50.0
    assert limits["seats"]["used"] == seats == 2
    assert limits["kb_storage_mb"]["used"] == 0
    assert limits["channels"]["used"] == 0  # no Kommo account, no API-channel webhook
    assert body["period_start"].endswith("-01")

    # The read is cached, and a consumption or a new agent refreshes it.
    quota_consume(workspace=workspace)
    AgentFactory(workspace=workspace, actor=owner)
    limits = {row["metric"]: row for row in client.get("/api/billing/usage").json()["limits"]}
    assert limits["ai_replies_per_month"]["used"] == 9 and limits["agents"]["used"] == 3


def test_a_plan_change_refreshes_the_cached_usage(member, workspace):
    client = client_for(member)
    put_on_plan(workspace, "free")
    assert client.get("/api/billing/usage").json()["plan"]["code"] == "free"
    put_on_plan(workspace, "pro")
    assert client.get("/api/billing/usage").json()["plan"]["code"] == "pro"


def test_an_edited_plan_shows_at_once_in_the_cached_usage(member, workspace):
    plan = put_on_plan(workspace, plan_make(replies=10))
    client = client_for(member)
    assert client.get("/api/billing/usage").json()["limits"][0]["limit"] == 10
    plan.ai_replies_per_month = 20
    plan_save(plan=plan)
    assert client.get("/api/billing/usage").json()["limits"][0]["limit"] == 20


def test_the_admin_lists_plans_and_counters_and_sets_a_workspaces_plan(client, workspace):
    client.force_login(UserFactory(prefix="staff", is_staff=True, is_superuser=True))
    quota_consume(workspace=workspace)
    for path in ("plan", "workspaceplan", "quotacounter"):
        assert client.get(f"/admin/billing/{path}/").status_code == 200, path
    pro = Plan.objects.get(code="pro")
    response = client.post("/admin/billing/workspaceplan/add/", {"workspace": workspace.pk, "plan": pro.pk})
    assert response.status_code == 302, response.content[:2000]
    assert plan_current(workspace=workspace) == pro


def test_the_agent_beyond_the_plan_is_refused_with_a_stable_code(owner, workspace):
    put_on_plan(workspace, "free")  # one agent
    client = client_for(owner)
    assert client.post("/api/agents", AGENT, format="json").status_code == 201
    response = client.post("/api/agents", {**AGENT, "name": "Second"}, format="json")
    assert response.status_code == 402
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "quota_exceeded" and response.json()["metric"] == "agents"
    first = client.get("/api/agents").json()
    agent_id = (first["results"] if isinstance(first, dict) else first)[0]["id"]
    assert client.post(f"/api/agents/{agent_id}/duplicate", {}, format="json").json()["code"] == "quota_exceeded"
    with workspace_scope(workspace.pk):
        assert Agent.objects.count() == 1


def test_the_seat_beyond_the_plan_is_refused_with_a_stable_code(owner, workspace):
    put_on_plan(workspace, "free")  # two seats: the owner and one more
    client = client_for(owner)
    url = f"/api/workspaces/{workspace.pk}/invitations"
    assert client.post(url, {"email": "one@example.com", "role": "member"}).status_code == 201
    response = client.post(url, {"email": "two@example.com", "role": "member"})
    assert response.status_code == 402
    assert response.json()["code"] == "quota_exceeded" and response.json()["metric"] == "seats"
    # Inviting the invited address again replaces its invitation: no extra seat.
    assert client.post(url, {"email": "one@example.com", "role": "admin"}).status_code == 201
    put_on_plan(workspace, "starter")
    assert client.post(url, {"email": "two@example.com", "role": "member"}).status_code == 201


def test_an_outsider_gets_404_and_anonymous_401(stranger, workspace):
    client = client_for(stranger, workspace)
    assert client.get("/api/billing/usage").status_code == 404
    assert client.get("/api/billing/plans").status_code == 404
    assert client_for(None).get("/api/billing/usage").status_code == 401


def test_the_seed_migration_is_reversible():
    from importlib import import_module

    from django.apps import apps

    seed = import_module("billing.migrations.0003_quotas_plans")
    seed.plans_delete(apps, None)
    assert not Plan.objects.filter(code__in=["free", "starter", "pro", "business"]).exists()
    seed.plans_create(apps, None)
    seed.plans_create(apps, None)  # idempotent
    assert Plan.objects.filter(is_default=True).get().code == "free"
    assert Plan.objects.count() == 4
