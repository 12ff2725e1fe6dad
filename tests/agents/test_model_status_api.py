"""The agents API says whether an agent's model answers, or which model answers instead — never a key."""

import pytest

from agent_platform.tenancy import workspace_scope
from integrations.models import AICredential
from tests.agents.factories import AgentFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
SECRET = "sk-workspace-secret-4242"


@pytest.fixture
def gpt_agent(workspace, owner):
    return AgentFactory(workspace=workspace, actor=owner, name="Sales", model_provider="openai", model_id="gpt-4o-mini")


def test_an_agent_without_its_providers_key_shows_what_answers_instead(owner_client, gpt_agent):
    listed = owner_client.get("/api/agents").json()["results"][0]["model_status"]
    detail = owner_client.get(f"/api/agents/{gpt_agent.pk}").json()["model_status"]
    assert listed == detail
    assert detail == {
        "chosen": {"provider": "openai", "model_id": "gpt-4o-mini", "name": "GPT-4o mini"},
        "provider_name": "OpenAI",
        "credentials": "none",
        "ready": False,
        "problem": "no_credentials",
        "answers_instead": {
            "provider": "offline",
            "model_id": "offline-extractive",
            "name": "Offline (extractive, no network)",
        },
    }


def test_the_workspaces_own_key_makes_it_ready_and_stays_secret(owner_client, workspace, gpt_agent):
    with workspace_scope(workspace.pk):
        AICredential.objects.create(workspace=workspace, provider="openai", api_key=SECRET)
    response = owner_client.get(f"/api/agents/{gpt_agent.pk}")
    status = response.json()["model_status"]
    assert (status["ready"], status["credentials"], status["answers_instead"]) == (True, "workspace", None)
    assert SECRET not in response.content.decode() and "4242" not in response.content.decode()


def test_saving_an_embedding_model_as_the_chat_model_is_refused(owner_client, gpt_agent):
    response = owner_client.patch(
        f"/api/agents/{gpt_agent.pk}",
        {"model_provider": "openai", "model_id": "text-embedding-3-small"},
        format="json",
    )
    assert response.status_code == 400 and "model_id" in response.json()["errors"]


def test_another_workspaces_agent_and_its_status_are_404(gpt_agent, stranger, other_workspace):
    assert client_for(stranger).get(f"/api/agents/{gpt_agent.pk}").status_code == 404
    assert client_for(stranger).get("/api/agents").json()["count"] == 0
