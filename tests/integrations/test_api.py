import logging

import pytest

from agent_platform.tenancy import workspace_scope
from integrations.models import AICredential
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
SECRET = "sk-live-very-secret-key-7777"


def create(client, workspace, **fields):
    return client.post(
        "/api/ai/credentials",
        {"provider": "openai", "label": "main", "api_key": SECRET, **fields},
        format="json",
        HTTP_X_WORKSPACE=str(workspace.pk),
    )


def test_the_model_registry_is_listed(member_client):
    response = member_client.get("/api/ai/models?provider=anthropic")
    assert response.status_code == 200
    assert {row["provider"] for row in response.json()} == {"anthropic"}


def test_credentials_are_write_only_and_admin_only(admin, member, workspace, caplog):
    with caplog.at_level(logging.DEBUG):
        response = create(client_for(admin), workspace)
        assert response.status_code == 201, response.content
        assert SECRET not in response.content.decode()
        assert response.json()["api_key_masked"].endswith("7777")
        listed = client_for(member, workspace).get("/api/ai/credentials")
        assert listed.status_code == 200 and SECRET not in listed.content.decode()
    assert SECRET not in caplog.text
    assert create(client_for(member), workspace).status_code == 403
    with workspace_scope(workspace.pk):
        assert AICredential.objects.get().api_key == SECRET


def test_an_openai_compatible_credential_needs_a_base_url(admin, workspace):
    response = create(client_for(admin), workspace, provider="openai_compatible")
    assert response.status_code == 400 and "base_url" in response.json()["errors"]


def test_a_stranger_gets_404(admin, stranger, workspace):
    credential_id = create(client_for(admin), workspace).json()["id"]
    client = client_for(stranger, workspace)
    assert client.get("/api/ai/credentials").status_code == 404
    assert client.get(f"/api/ai/credentials/{credential_id}").status_code == 404
    assert client.post("/api/ai/test", {"provider": "offline"}, format="json").status_code == 404
    assert client.get("/api/statistics/usage").status_code == 404


def test_connection_test_reports_ok_or_a_problem(fake_ai, admin, workspace):
    client = client_for(admin, workspace)
    credential_id = create(client_for(admin), workspace, base_url=fake_ai.openai_base_url).json()["id"]

    ok = client.post("/api/ai/test", {"provider": "openai", "credential_id": credential_id}, format="json")
    assert ok.status_code == 200 and ok.json()["ok"] is True and ok.json()["model"] == "gpt-4o-mini"

    fake_ai.valid_keys = {"another-key"}
    rejected = client.post("/api/ai/test", {"provider": "openai", "credential_id": credential_id}, format="json")
    assert rejected.status_code == 502 and rejected.json()["code"] == "ai_provider_auth_failed"
    assert SECRET not in rejected.content.decode()


def test_usage_statistics_by_day_and_model(fake_ai, member, workspace):
    from integrations.ai.services import generate
    from integrations.ai.types import GenerationRequest

    fake_ai.usage = (1000, 100, 0)
    for model in ("gpt-4o-mini", "gpt-4o-mini", "gpt-4o"):
        request = GenerationRequest(messages=[{"role": "user", "content": "Hi"}], provider="openai", model=model)
        generate(workspace=workspace, request=request, purpose="reply", agent_id=1)

    response = client_for(member, workspace).get("/api/statistics/usage", {"group_by": "date,model"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totals"]["calls"] == 3 and body["totals"]["total_tokens"] == 3300
    by_model = {row["model_id"]: row for row in body["rows"]}
    assert by_model["gpt-4o-mini"]["calls"] == 2
    assert client_for(member, workspace).get("/api/statistics/usage", {"group_by": "color"}).status_code == 400
