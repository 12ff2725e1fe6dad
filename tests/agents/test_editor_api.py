"""What the agent editor relies on: one PATCH saves fields and configuration tables as one version
(all or nothing, errors keyed by table), which channels can reach an agent, and the playground being
no agent channel."""

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from agents.models import AgentChannel, AgentVersion
from conversations.services import playground_message
from tests.agents.factories import AgentFactory
from tests.conftest import client_for
from tests.conversations.flow import process
from tests.integrations.kommo.factories import KommoIntegrationFactory
from tests.knowledge.factories import CategoryFactory

pytestmark = pytest.mark.django_db

AGENTS = "/api/agents"
STATUS = "/api/agents/channel-status"


@pytest.fixture
def agent(owner_client) -> dict:
    response = owner_client.post(AGENTS, {"name": "Sales bot"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def versions(workspace, agent_id: int) -> int:
    with workspace_scope(workspace.pk):
        return AgentVersion.objects.filter(agent_id=agent_id).count()


class OneSaveTests:
    def test_fields_and_tables_from_several_tabs_are_one_version(self, owner_client, agent, workspace):
        category = CategoryFactory(workspace=workspace, name="Shipping")
        body = {
            "name": "Sales assistant",
            "temperature": 0.7,
            "channels": ["whatsapp", "api"],
            "pipelines": [{"pipeline_id": 7, "stage_ids": [3, 1]}],
            "category_ids": [category.pk],
            "crm_fields": [{"entity": "lead", "field_id": 3001, "field_name": "Budget", "can_write": True}],
        }
        response = owner_client.patch(f"{AGENTS}/{agent['id']}", body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["name"] == "Sales assistant"
        assert response.json()["channels"] == ["api", "whatsapp"]
        assert response.json()["version"] == 2
        assert versions(workspace, agent["id"]) == 2
        with workspace_scope(workspace.pk):
            snapshot = AgentVersion.objects.get(agent_id=agent["id"], number=2).snapshot
        assert snapshot["agent"]["temperature"] == 0.7
        assert snapshot["pipelines"] == [{"pipeline_id": 7, "stage_ids": [1, 3]}]
        assert snapshot["knowledge_categories"] == [category.pk]
        assert snapshot["crm_fields"][0]["field_id"] == 3001 and snapshot["crm_fields"][0]["can_write"] is True

    def test_a_table_left_out_is_left_alone(self, owner_client, agent, workspace):
        owner_client.put(f"{AGENTS}/{agent['id']}/channels", {"channels": ["telegram"]}, format="json")
        response = owner_client.patch(f"{AGENTS}/{agent['id']}", {"description": "Hi"}, format="json")
        assert response.status_code == 200
        assert response.json()["channels"] == ["telegram"]

    def test_errors_in_fields_and_tables_come_together_and_nothing_is_saved(self, owner_client, agent, workspace):
        body = {
            "name": "",
            "channels": ["whatsapp", "pigeon"],
            "pipelines": [{"stage_ids": [1]}],
            "crm_fields": [{"entity": "lead", "field_id": 1}, {"entity": "lead"}],
        }
        response = owner_client.patch(f"{AGENTS}/{agent['id']}", body, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"name", "channels.1", "pipelines.0.pipeline_id", "crm_fields.1.field_id"}
        assert versions(workspace, agent["id"]) == 1

    def test_a_model_error_rolls_back_the_tables(self, owner_client, agent, workspace):
        body = {"model_provider": "openai", "model_id": "gpt-99", "channels": ["whatsapp"]}
        response = owner_client.patch(f"{AGENTS}/{agent['id']}", body, format="json")
        assert response.status_code == 400 and "model_id" in response.json()["errors"]
        with workspace_scope(workspace.pk):
            assert not AgentChannel.objects.exists()

    def test_another_workspaces_category_is_refused(self, owner_client, agent, other_workspace):
        theirs = CategoryFactory(workspace=other_workspace, name="Theirs")
        response = owner_client.patch(f"{AGENTS}/{agent['id']}", {"category_ids": [theirs.pk]}, format="json")
        assert response.status_code == 400 and "category_ids" in response.json()["errors"]

    def test_a_member_cannot_save(self, member, agent):
        response = client_for(member).patch(f"{AGENTS}/{agent['id']}", {"channels": ["api"]}, format="json")
        assert response.status_code == 403


class PlaygroundIsNoAgentChannelTests:
    def test_the_playground_cannot_be_switched_on(self, owner_client, agent):
        url = f"{AGENTS}/{agent['id']}"
        assert owner_client.put(f"{url}/channels", {"channels": ["playground"]}, format="json").status_code == 400
        assert owner_client.patch(url, {"channels": ["playground"]}, format="json").status_code == 400

    def test_restoring_an_older_version_that_named_it_drops_it(self, owner_client, agent, workspace, owner):
        with workspace_scope(workspace.pk):
            version = AgentVersion.objects.get(agent_id=agent["id"], number=1)
            version.snapshot = {**version.snapshot, "channels": ["api", "playground"]}
            version.save()
        owner_client.patch(f"{AGENTS}/{agent['id']}", {"description": "v2"}, format="json")
        response = owner_client.post(f"{AGENTS}/{agent['id']}/versions/1/restore", {}, format="json")
        assert response.status_code == 200 and response.json()["agent"]["channels"] == ["api"]

    def test_an_agent_switched_off_without_channels_still_answers_in_the_playground(self, owner, workspace):
        agent = AgentFactory(workspace=workspace, actor=owner, answering=True, is_active=False, channels=[])
        with workspace_scope(workspace.pk):
            message = playground_message(agent=agent, user=owner, text="Hello")
        reply = process(workspace, message.conversation_id)
        assert reply is not None and reply.trace[0]["agent"] == agent.pk


def status_of(client, channel: str, **kwargs) -> dict:
    response = client.get(STATUS, **kwargs)
    assert response.status_code == 200, response.content
    return next(row for row in response.json()["channels"] if row["channel"] == channel)


class ChannelStatusTests:
    def test_without_kommo_only_the_api_channel_reaches_an_agent(self, member_client):
        rows = member_client.get(STATUS).json()["channels"]
        assert [row["channel"] for row in rows] == [
            "whatsapp", "telegram", "instagram", "facebook", "viber", "email", "web_chat", "api",
        ]  # fmt: skip
        assert status_of(member_client, "api") == {"channel": "api", "via": "platform", "ready": True, "problem": ""}
        assert status_of(member_client, "whatsapp") == {
            "channel": "whatsapp",
            "via": "kommo",
            "ready": False,
            "problem": "kommo_not_connected",
        }

    @pytest.mark.parametrize(
        ("row", "problem"),
        [
            ({"status": "revoked"}, "kommo_needs_reconnect"),
            ({"status": "error"}, "kommo_needs_reconnect"),
            ({"status": "disconnected"}, "kommo_not_connected"),
            ({"webhook_destination": ""}, "kommo_no_webhooks"),
            ({"salesbot_bot_id": None}, "kommo_no_salesbot"),
            ({}, ""),
        ],
    )
    def test_what_a_kommo_connection_lacks(self, owner_client, workspace, row, problem):
        ready = {"webhook_destination": "https://x.example/hook", "salesbot_bot_id": 55, "status": "connected"}
        KommoIntegrationFactory(workspace=workspace, webhook_registered_at=timezone.now(), **{**ready, **row})
        telegram = status_of(owner_client, "telegram")
        assert (telegram["ready"], telegram["problem"]) == (not problem, problem)

    def test_another_workspaces_kommo_is_not_this_ones(self, workspace, stranger, other_workspace, owner_client):
        KommoIntegrationFactory(workspace=workspace, webhook_destination="https://x.example/hook", salesbot_bot_id=5)
        assert status_of(owner_client, "whatsapp")["ready"] is True
        assert status_of(client_for(stranger), "whatsapp")["ready"] is False  # their own workspace: no Kommo
        # Naming a workspace the user is not a member of answers 404, as any other workspace's data.
        assert client_for(stranger, workspace).get(STATUS).status_code == 404
