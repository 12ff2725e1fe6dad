"""The chains API: CRUD with nested steps replaced on PATCH, one 400 problem with field errors by path,
runs with their timelines, manual start (409 when running), stop; members read, admins write, another
workspace's user gets 404."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from automations import services
from automations.models import ChainRun, ChainRunStep, ChainStep
from integrations.kommo.models import KommoPipeline
from tests.automations.factories import ChainFactory, ChainStepFactory
from tests.conftest import client_for
from tests.conversations.factories import ConversationFactory

pytestmark = pytest.mark.django_db

HOURS = {"mon": [{"start": "09:00", "end": "18:00"}], "sat": [{"start": "10:00", "end": "14:00"}]}


def _body(**overrides):
    return {
        "name": "Quote follow-up",
        "stop_on": ["customer_replied", "human_took_over"],
        "working_hours": HOURS,
        "holidays": ["2026-12-25"],
        "steps": [
            {"delay_minutes": 60, "template": "Hi {customer_name}, any questions about {lead.budget}?"},
            {
                "delay_minutes": 1440,
                "kind": "ai",
                "ai_instruction": "Remind them of express delivery",
                "actions": [{"kind": "add_tag", "params": {"tags": ["followed-up"]}}],
            },
        ],
        **overrides,
    }


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


def test_an_admin_creates_reads_and_replaces_the_steps_of_a_chain(admin_client, member_client):
    created = admin_client.post("/api/chains", _body(), format="json")
    assert created.status_code == 201, created.json()
    chain = created.json()
    assert [step["order"] for step in chain["steps"]] == [0, 1]
    assert chain["steps"][1]["actions"] == [{"kind": "add_tag", "params": {"tags": ["followed-up"]}}]
    assert chain["holidays"] == ["2026-12-25"] and chain["working_hours"] == HOURS
    listed = member_client.get("/api/chains").json()
    assert [row["name"] for row in listed["results"]] == ["Quote follow-up"]
    first_id = chain["steps"][0]["id"]
    patched = admin_client.patch(
        f"/api/chains/{chain['id']}",
        {
            "steps": [
                {"delay_minutes": 0, "kind": "actions", "actions": [{"kind": "handoff", "params": {}}]},
                {"id": first_id, "delay_minutes": 30, "template": "Still there?"},
            ]
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    steps = patched.json()["steps"]
    assert [(s["kind"], s["delay_minutes"]) for s in steps] == [("actions", 0), ("template", 30)]
    assert steps[1]["id"] == first_id  # kept, with its runs' history
    assert patched.json()["name"] == "Quote follow-up"


def test_a_bad_chain_is_one_problem_with_errors_by_path(admin_client):
    body = _body(
        working_hours={"mon": [{"start": "18:00", "end": "09:00"}], "funday": []},
        holidays=["not-a-date"],
        start_on="stage",
        start_stage_id=999,
        steps=[
            {"delay_minutes": 10, "template": "Hi {favourite_colour}"},
            {"delay_minutes": 10, "kind": "ai"},
            {"delay_minutes": 10, "kind": "actions", "actions": [{"kind": "add_tag", "params": {}}]},
        ],
    )
    response = admin_client.post("/api/chains", body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "validation_error" and "holidays.0" in problem["errors"]
    del body["holidays"]
    problem = admin_client.post("/api/chains", body, format="json").json()
    assert problem["code"] == "chain_invalid"
    assert set(problem["errors"]) == {
        "working_hours",
        "start_stage_id",
        "steps[0].template",
        "steps[1].ai_instruction",
        "steps[2].actions[0].params.tags",
    }
    assert "{favourite_colour}" in problem["errors"]["steps[0].template"][0]
    assert len(problem["errors"]["working_hours"]) == 2


def test_the_start_stage_is_checked_against_the_synced_pipelines(admin_client, workspace):
    with workspace_scope(workspace.pk):
        KommoPipeline.objects.create(
            workspace=workspace,
            kommo_id=7,
            name="Sales",
            statuses=[{"id": 142, "name": "Won"}],
            synced_at=timezone.now(),
        )
    good = admin_client.post(
        "/api/chains", _body(start_on="stage", start_pipeline_id=7, start_stage_id=142), format="json"
    )
    assert good.status_code == 201, good.json()
    bad = admin_client.post(
        "/api/chains", _body(name="Other", start_on="stage", start_pipeline_id=7, start_stage_id=143), format="json"
    ).json()
    assert bad["errors"] == {"start_stage_id": ["No stage of the synced pipeline(s) has this id."]}
    taken = admin_client.post("/api/chains", _body(), format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "chain_name_taken"


def test_members_read_admins_write_and_another_workspace_gets_404(
    admin_client, member_client, stranger_client, workspace
):
    chain = ChainFactory(workspace=workspace)
    ChainStepFactory(chain=chain, workspace=workspace)
    conversation = ConversationFactory(workspace=workspace)
    assert member_client.get(f"/api/chains/{chain.pk}").status_code == 200
    assert member_client.patch(f"/api/chains/{chain.pk}", {"name": "x"}, format="json").status_code == 403
    assert member_client.post(f"/api/chains/{chain.pk}/start", {"conversation": conversation.pk}).status_code == 403
    assert member_client.post("/api/chains", _body(), format="json").status_code == 403
    for method, url in [
        ("get", f"/api/chains/{chain.pk}"),
        ("get", f"/api/chains/{chain.pk}/runs"),
        ("patch", f"/api/chains/{chain.pk}"),
        ("delete", f"/api/chains/{chain.pk}"),
        ("get", f"/api/conversations/{conversation.pk}/chain-runs"),
    ]:
        assert getattr(stranger_client, method)(url).status_code == 404, url
    assert admin_client.delete(f"/api/chains/{chain.pk}").status_code == 204


def test_a_manual_start_its_timeline_the_conversations_runs_and_a_stop(admin_client, member_client, workspace):
    workspace.time_zone = "Europe/Madrid"
    workspace.save()
    chain = ChainFactory(workspace=workspace)
    ChainStepFactory(chain=chain, workspace=workspace, order=0, delay_minutes=0, template="Hi {customer_name}")
    ChainStepFactory(chain=chain, workspace=workspace, order=1, delay_minutes=60, kind=ChainStep.Kind.TEMPLATE)
    conversation = ConversationFactory(workspace=workspace)
    started = admin_client.post(f"/api/chains/{chain.pk}/start", {"conversation": conversation.pk}, format="json")
    assert started.status_code == 201, started.json()
    run_id = started.json()["id"]
    again = admin_client.post(f"/api/chains/{chain.pk}/start", {"conversation": conversation.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "chain_already_running"
    with workspace_scope(workspace.pk):
        now = datetime.now(UTC)
        for _, row_id in services.chain_steps_claim(now=now):
            services.chain_step_run(row_id=row_id, now=now)
    run = member_client.get(f"/api/chains/{chain.pk}/runs/{run_id}").json()
    assert run["status"] == "active" and run["started_by"] == "manual"
    assert [(step["order"], step["status"]) for step in run["timeline"]] == [(0, "done"), (1, "pending")]
    assert run["timeline"][0]["message"]["text"] == "Hi Ana"
    listed = member_client.get(f"/api/chains/{chain.pk}/runs?status=active").json()
    assert [row["id"] for row in listed["results"]] == [run_id]
    assert member_client.get(f"/api/chains/{chain.pk}/runs?status=stopped").json()["count"] == 0
    panel = member_client.get(f"/api/conversations/{conversation.pk}/chain-runs").json()
    assert [row["id"] for row in panel] == [run_id] and panel[0]["chain"]["name"] == chain.name
    stopped = admin_client.post(f"/api/chains/{chain.pk}/runs/{run_id}/stop")
    assert stopped.status_code == 200
    assert stopped.json()["status"] == "stopped" and stopped.json()["stop_reason"].startswith("Stopped by")
    assert stopped.json()["timeline"][1]["status"] == "cancelled"
    assert admin_client.post(f"/api/chains/{chain.pk}/runs/{run_id}/stop").json()["code"] == "chain_run_not_active"
    with workspace_scope(workspace.pk):
        assert ChainRun.objects.get(pk=run_id).status == ChainRun.Status.STOPPED


def test_removing_the_step_a_run_waits_for_moves_it_to_the_next_one(admin_client, workspace):
    chain = ChainFactory(workspace=workspace)
    first = ChainStepFactory(chain=chain, workspace=workspace, order=0)
    second = ChainStepFactory(chain=chain, workspace=workspace, order=1, template="Second")
    with workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="x")
    response = admin_client.patch(
        f"/api/chains/{chain.pk}",
        {"steps": [{"id": second.pk, "delay_minutes": 5, "template": "Second"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    with workspace_scope(workspace.pk):
        rows = list(ChainRunStep.objects.filter(run=run).values_list("step_id", "status"))
        assert not ChainStep.objects.filter(pk=first.pk).exists()
    assert rows == [(second.pk, "pending")]


def test_the_admin_lists_runs_with_their_steps_and_stops_them(client, workspace, django_user_model):

    staff = django_user_model.objects.create_superuser(email="root@example.com", password="pw-1234567890")
    client.force_login(staff)
    chain = ChainFactory(workspace=workspace)
    ChainStepFactory(chain=chain, workspace=workspace)
    with workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="x")
    assert client.get(reverse("admin:automations_chain_change", args=[chain.pk])).status_code == 200
    assert client.get(reverse("admin:automations_chainrun_change", args=[run.pk])).status_code == 200
    response = client.post(
        reverse("admin:automations_chainrun_changelist"), {"action": "stop", "_selected_action": [run.pk]}
    )
    assert response.status_code == 302
    with workspace_scope(workspace.pk):
        run.refresh_from_db()
    assert run.status == ChainRun.Status.STOPPED and "admin" in run.stop_reason


def test_an_unknown_key_inside_a_step_is_named_by_its_path(admin_client):
    body = _body()
    body["steps"][1]["delay"] = 5
    body["steps"][1]["actions"][0]["param"] = {}
    response = admin_client.post("/api/chains", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unknown_field"
    assert sorted(response.json()["errors"]) == ["steps[1].actions[0].param", "steps[1].delay"]
