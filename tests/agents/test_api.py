import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditLog
from agent_platform import realtime
from agent_platform.tenancy import workspace_scope
from agents.models import Agent, AgentChannel, UpdateRule
from agents.selectors import agent_config_get, agent_snapshot
from tests.conftest import client_for
from tests.knowledge.factories import CategoryFactory

pytestmark = pytest.mark.django_db

AGENTS = "/api/agents"
VALID = {
    "name": "Sales bot",
    "instructions": "Be helpful.",
    "model_provider": "offline",
    "model_id": "offline-extractive",
}


@pytest.fixture
def agent(owner_client, workspace) -> dict:
    response = owner_client.post(AGENTS, VALID, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def categories(workspace):
    return [CategoryFactory(workspace=workspace, name=f"Cat {i}") for i in range(3)]


def configure(client, agent_id, categories):
    base = f"{AGENTS}/{agent_id}"
    assert (
        client.put(
            f"{base}/pipelines", {"pipelines": [{"pipeline_id": 10, "stage_ids": [3, 1]}]}, format="json"
        ).status_code
        == 200
    )
    assert client.put(f"{base}/channels", {"channels": ["whatsapp", "telegram"]}, format="json").status_code == 200
    assert (
        client.put(
            f"{base}/knowledge-base", {"category_ids": [c.pk for c in categories[:2]]}, format="json"
        ).status_code
        == 200
    )
    crm = {
        "fields": [
            {"entity": "lead", "field_id": 3001, "field_name": "Budget", "field_type": "numeric", "can_write": True}
        ]
    }
    assert client.put(f"{base}/crm-access", crm, format="json").status_code == 200
    rule = {"name": "Budget", "instruction": "The customer's budget in USD", "field_id": 3001, "field_type": "numeric"}
    assert client.post(f"{base}/update-rules", rule, format="json").status_code == 201


class CreateAndValidateTests:
    def test_create_returns_the_agent_with_version_1(self, agent):
        assert agent["name"] == "Sales bot" and agent["is_active"] is False and agent["version"] == 1

    def test_unknown_model_is_a_field_error(self, owner_client, workspace):
        response = owner_client.post(
            AGENTS, {**VALID, "model_id": "gpt-99-ultra", "model_provider": "openai"}, format="json"
        )
        assert response.status_code == 400
        body = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert body["code"] == "unknown_model"
        assert "model_id" in body["errors"]

    @pytest.mark.parametrize(
        "hours",
        [
            {"funday": [{"start": "09:00", "end": "18:00"}]},
            {"mon": [{"start": "18:00", "end": "09:00"}]},
            {"mon": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "18:00"}]},
            {"mon": [{"start": "9am", "end": "18:00"}]},
            ["mon"],
        ],
    )
    def test_bad_working_hours(self, owner_client, workspace, hours):
        response = owner_client.post(AGENTS, {**VALID, "working_hours": hours}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "validation_error"
        assert "working_hours" in response.json()["errors"]

    def test_good_working_hours_are_kept(self, owner_client, workspace):
        hours = {"mon": [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}], "sat": []}
        response = owner_client.post(AGENTS, {**VALID, "working_hours": hours}, format="json")
        assert response.status_code == 201
        assert response.json()["working_hours"] == hours

    def test_duplicate_name_is_a_conflict(self, owner_client, agent):
        response = owner_client.post(AGENTS, VALID, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "agent_name_taken"

    def test_foreign_category_id_is_rejected(self, owner_client, agent, other_workspace):
        foreign = CategoryFactory(workspace=other_workspace, name="Theirs")
        response = owner_client.put(
            f"{AGENTS}/{agent['id']}/knowledge-base", {"category_ids": [foreign.pk]}, format="json"
        )
        assert response.status_code == 400
        assert "category_ids" in response.json()["errors"]

    def test_member_reads_but_does_not_configure(self, member, agent):
        client = client_for(member)
        assert client.get(f"{AGENTS}/{agent['id']}").status_code == 200
        assert client.patch(f"{AGENTS}/{agent['id']}", {"name": "x"}, format="json").status_code == 403
        assert client.post(AGENTS, {**VALID, "name": "other"}, format="json").status_code == 403


class ConfigurationTests:
    def test_put_replaces_each_table_and_get_reads_it_back(self, owner_client, agent, categories):
        configure(owner_client, agent["id"], categories)
        base = f"{AGENTS}/{agent['id']}"
        assert owner_client.get(f"{base}/pipelines").json() == {"pipelines": [{"pipeline_id": 10, "stage_ids": [1, 3]}]}
        assert owner_client.get(f"{base}/channels").json() == {"channels": ["telegram", "whatsapp"]}
        assert owner_client.get(f"{base}/knowledge-base").json() == {"category_ids": [c.pk for c in categories[:2]]}
        assert owner_client.get(f"{base}/crm-access").json()["fields"][0]["field_id"] == 3001
        owner_client.put(f"{base}/channels", {"channels": ["email"]}, format="json")
        assert owner_client.get(f"{base}/channels").json() == {"channels": ["email"]}

    def test_an_invalid_replacement_changes_nothing(self, owner_client, agent, categories):
        configure(owner_client, agent["id"], categories)
        base = f"{AGENTS}/{agent['id']}"
        response = owner_client.put(f"{base}/channels", {"channels": ["whatsapp", "carrier-pigeon"]}, format="json")
        assert response.status_code == 400
        assert owner_client.get(f"{base}/channels").json() == {"channels": ["telegram", "whatsapp"]}
        duplicate = {"pipelines": [{"pipeline_id": 1}, {"pipeline_id": 1}]}
        assert owner_client.put(f"{base}/pipelines", duplicate, format="json").status_code == 400

    def test_update_rules_crud_and_validation(self, owner_client, agent):
        rules = f"{AGENTS}/{agent['id']}/update-rules"
        select_without_options = {"name": "Temp", "instruction": "How hot", "field_id": 1, "field_type": "select"}
        assert owner_client.post(rules, select_without_options, format="json").json()["code"] == "validation_error"
        created = owner_client.post(
            rules, {**select_without_options, "enum_options": [{"id": 1, "value": "Hot"}]}, format="json"
        ).json()
        assert (
            owner_client.patch(f"{rules}/{created['id']}", {"overwrite": "always"}, format="json").json()["overwrite"]
            == "always"
        )
        assert [r["name"] for r in owner_client.get(rules).json()] == ["Temp"]
        assert owner_client.delete(f"{rules}/{created['id']}").status_code == 204
        assert owner_client.get(rules).json() == []

    def test_filters_search_and_ordering(self, owner_client, workspace):
        for name, channels in (("Alpha", ["whatsapp"]), ("Beta", ["telegram"]), ("Gamma", [])):
            created = owner_client.post(AGENTS, {**VALID, "name": name}, format="json").json()
            owner_client.put(f"{AGENTS}/{created['id']}/channels", {"channels": channels}, format="json")
        owner_client.patch(f"{AGENTS}/{created['id']}/toggle", {}, format="json")
        names = lambda query: [a["name"] for a in owner_client.get(f"{AGENTS}?{query}").json()["results"]]  # noqa: E731
        assert names("channel=whatsapp") == ["Alpha"]
        assert names("active=true") == ["Gamma"]
        assert names("search=bet") == ["Beta"]
        assert names("ordering=-name") == ["Gamma", "Beta", "Alpha"]
        assert names("model=offline-extractive") == ["Alpha", "Beta", "Gamma"]


class DuplicateTests:
    def test_duplicate_copies_everything_and_shares_nothing(self, owner_client, agent, categories, workspace):
        configure(owner_client, agent["id"], categories)
        owner_client.patch(f"{AGENTS}/{agent['id']}/toggle", {"is_active": True}, format="json")
        response = owner_client.post(f"{AGENTS}/{agent['id']}/duplicate", {}, format="json")
        assert response.status_code == 201
        copy = response.json()
        assert copy["name"] == "Sales bot (copy)" and copy["is_active"] is False
        with workspace_scope(workspace.pk):
            original, duplicate = Agent.objects.get(pk=agent["id"]), Agent.objects.get(pk=copy["id"])
            a, b = agent_snapshot(original), agent_snapshot(duplicate)
            assert {k: v for k, v in a["agent"].items() if k not in {"name", "is_active"}} == {
                k: v for k, v in b["agent"].items() if k not in {"name", "is_active"}
            }
            assert {k: a[k] for k in a if k != "agent"} == {k: b[k] for k in b if k != "agent"}
            assert not set(UpdateRule.objects.filter(agent=original).values_list("pk", flat=True)) & set(
                UpdateRule.objects.filter(agent=duplicate).values_list("pk", flat=True)
            )
        owner_client.put(f"{AGENTS}/{copy['id']}/channels", {"channels": ["viber"]}, format="json")
        assert owner_client.get(f"{AGENTS}/{agent['id']}/channels").json() == {"channels": ["telegram", "whatsapp"]}


class ToggleTests:
    def test_toggle_publishes_to_the_workspace_group(
        self, owner_client, agent, workspace, django_capture_on_commit_callbacks
    ):
        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(realtime.group(workspace.pk), channel)
        with django_capture_on_commit_callbacks(execute=True):
            response = owner_client.patch(f"{AGENTS}/{agent['id']}/toggle", {}, format="json")
        assert response.json()["is_active"] is True
        event = async_to_sync(layer.receive)(channel)
        assert event["event"] == "agent.toggled"
        assert event["payload"]["id"] == agent["id"] and event["payload"]["is_active"] is True
        assert (
            AuditLog.objects.unscoped_across_workspaces()
            .filter(action="agent.activated", target_id=str(agent["id"]))
            .exists()
        )


class VersionTests:
    def test_every_change_is_a_version_and_restore_brings_back_the_exact_configuration(
        self, owner_client, agent, categories, workspace
    ):
        configure(owner_client, agent["id"], categories)
        base = f"{AGENTS}/{agent['id']}"
        versions = owner_client.get(f"{base}/versions").json()["results"]
        assert [v["number"] for v in versions] == [6, 5, 4, 3, 2, 1]
        saved = owner_client.get(f"{base}/versions/6").json()["snapshot"]

        owner_client.patch(base, {"instructions": "Be terse.", "temperature": 1.1}, format="json")
        owner_client.put(f"{base}/channels", {"channels": ["email"]}, format="json")
        owner_client.put(f"{base}/knowledge-base", {"category_ids": [categories[2].pk]}, format="json")
        rules = owner_client.get(f"{base}/update-rules").json()
        owner_client.delete(f"{base}/update-rules/{rules[0]['id']}")

        diff = owner_client.get(f"{base}/versions/diff?from=6&to=10").json()["changes"]
        assert diff["instructions"] == {"from": "Be helpful.", "to": "Be terse."}
        assert diff["channels"] == {"added": ["email"], "removed": ["telegram", "whatsapp"]}

        restored = owner_client.post(f"{base}/versions/6/restore")
        assert restored.status_code == 200
        assert restored.json()["missing_category_ids"] == []
        with workspace_scope(workspace.pk):
            assert agent_snapshot(Agent.objects.get(pk=agent["id"])) == saved
        assert owner_client.get(f"{base}/versions").json()["results"][0]["reason"] == "restored version 6"
        assert AuditLog.objects.unscoped_across_workspaces().filter(action="agent.version_restored").count() == 1

    def test_unknown_version(self, owner_client, agent):
        response = owner_client.post(f"{AGENTS}/{agent['id']}/versions/99/restore")
        assert response.status_code == 404 and response.json()["code"] == "agent_version_not_found"

    def test_cached_configuration_is_dropped_on_change(
        self, owner_client, agent, workspace, django_capture_on_commit_callbacks
    ):
        with workspace_scope(workspace.pk):
            assert agent_config_get(agent_id=agent["id"])["channels"] == []
        with django_capture_on_commit_callbacks(execute=True):
            owner_client.put(f"{AGENTS}/{agent['id']}/channels", {"channels": ["whatsapp"]}, format="json")
        with workspace_scope(workspace.pk):
            assert agent_config_get(agent_id=agent["id"])["channels"] == ["whatsapp"]


class IsolationTests:
    ROUTES = [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "/duplicate"),
        ("patch", "/toggle"),
        ("get", "/pipelines"),
        ("put", "/pipelines"),
        ("get", "/channels"),
        ("put", "/channels"),
        ("get", "/knowledge-base"),
        ("put", "/knowledge-base"),
        ("get", "/crm-access"),
        ("put", "/crm-access"),
        ("get", "/update-rules"),
        ("post", "/update-rules"),
        ("get", "/versions"),
        ("get", "/versions/1"),
        ("get", "/versions/diff?from=1&to=1"),
        ("post", "/versions/1/restore"),
    ]

    @pytest.mark.parametrize(("method", "suffix"), ROUTES)
    def test_another_workspaces_agent_is_404_on_every_route(self, agent, stranger_client, method, suffix):
        response = getattr(stranger_client, method)(f"{AGENTS}/{agent['id']}{suffix}", {}, format="json")
        assert response.status_code == 404, (method, suffix, response.content)

    def test_another_workspaces_rule_is_404(self, owner_client, agent, stranger, other_workspace):
        rule = owner_client.post(
            f"{AGENTS}/{agent['id']}/update-rules", {"name": "r", "instruction": "i", "field_code": "X"}, format="json"
        ).json()
        their_agent = client_for(stranger).post(AGENTS, VALID, format="json").json()
        client = client_for(stranger)
        assert client.get(f"{AGENTS}/{agent['id']}/update-rules/{rule['id']}").status_code == 404
        assert (
            client.patch(
                f"{AGENTS}/{their_agent['id']}/update-rules/{rule['id']}", {"name": "x"}, format="json"
            ).status_code
            == 404
        )
        assert client.get(AGENTS).json()["count"] == 1

    def test_list_query_count_does_not_grow_with_agents(self, owner_client, workspace):
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert owner_client.get(AGENTS).status_code == 200
            return len(queries)

        for i in range(2):
            created = owner_client.post(AGENTS, {**VALID, "name": f"a{i}"}, format="json").json()
            owner_client.put(f"{AGENTS}/{created['id']}/channels", {"channels": ["whatsapp", "email"]}, format="json")
        few = count_queries()
        for i in range(2, 8):
            created = owner_client.post(AGENTS, {**VALID, "name": f"a{i}"}, format="json").json()
            owner_client.put(f"{AGENTS}/{created['id']}/channels", {"channels": ["telegram"]}, format="json")
        assert count_queries() == few
        with workspace_scope(workspace.pk):
            assert AgentChannel.objects.count() == 10


def test_an_agent_with_the_longest_name_can_be_duplicated(owner_client, workspace):
    agent = owner_client.post("/api/agents", {"name": "N" * 120}, format="json").json()
    copy = owner_client.post(f"/api/agents/{agent['id']}/duplicate", {}, format="json")
    assert copy.status_code == 201, copy.content  # its version's reason quoting the name was too long
    assert copy.json()["name"].endswith("(copy)")
