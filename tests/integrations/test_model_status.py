"""What answers for a chosen chat model: the registry's kinds, the status an agent's page shows, and
the substitution `generate` reports when a provider has no key."""

import pytest

from agent_platform.tenancy import workspace_scope
from integrations.ai.selectors import ModelStatusReader
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest
from integrations.models import AICredential

pytestmark = pytest.mark.django_db


def status(workspace, provider, model_id):
    return ModelStatusReader(workspace_id=workspace.pk).status(provider, model_id)


def test_the_chat_picker_lists_chat_models_by_their_names(member_client):
    chat = member_client.get("/api/ai/models?kind=chat").json()
    ids = {row["model_id"] for row in chat}
    assert "gpt-4o-mini" in ids and "offline-extractive" in ids
    assert not ids & {"text-embedding-3-small", "gemini-embedding-001"}
    mini = next(row for row in chat if row["model_id"] == "gpt-4o-mini")
    assert (mini["display_name"], mini["provider_name"], mini["kind"]) == ("GPT-4o mini", "OpenAI", "chat")
    every = {row["model_id"] for row in member_client.get("/api/ai/models").json()}
    assert "text-embedding-3-small" in every


def test_no_key_anywhere_means_the_offline_model_answers(workspace):
    result = status(workspace, "openai", "gpt-4o-mini")
    assert (result.ready, result.problem, result.credentials) == (False, "no_credentials", "none")
    assert result.chosen.name == "GPT-4o mini" and result.provider_name == "OpenAI"
    assert (result.answers_instead.provider, result.answers_instead.model_id) == ("offline", "offline-extractive")


def test_a_platform_or_workspace_key_makes_the_model_ready(workspace, other_workspace, settings):
    settings.ANTHROPIC_API_KEY = "sk-ant-platform"
    platform = status(workspace, "anthropic", "claude-haiku-4-5")
    assert (platform.credentials, platform.ready) == ("platform", True)
    with workspace_scope(other_workspace.pk):
        AICredential.objects.create(workspace=other_workspace, provider="gemini", api_key="elsewhere")
    assert status(workspace, "gemini", "gemini-2.5-flash").problem == "no_credentials"  # another workspace's key
    with workspace_scope(workspace.pk):
        AICredential.objects.create(workspace=workspace, provider="gemini", api_key="own-key")
    own = status(workspace, "gemini", "gemini-2.5-flash")
    assert (own.credentials, own.ready, own.answers_instead) == ("workspace", True, None)


def test_offline_needs_no_key_and_unknown_or_embedding_models_are_problems(workspace):
    offline = status(workspace, "offline", "offline-extractive")
    assert (offline.credentials, offline.ready) == ("not_needed", True)
    assert status(workspace, "openai", "gpt-0").problem == "unknown_model"
    assert status(workspace, "openai", "text-embedding-3-small").problem == "not_a_chat_model"


def test_generate_reports_the_substitution_it_makes(workspace):
    request = GenerationRequest(messages=[{"role": "user", "content": "Hello"}], provider="openai", model="gpt-4o-mini")
    result = generate(workspace=workspace, request=request, purpose="reply")
    assert (result.provider, result.model) == ("offline", "offline-extractive")
    assert (result.substituted_for, result.substitution_reason) == ("openai:gpt-4o-mini", "no_credentials")


def test_a_model_with_its_key_is_no_substitution(fake_ai, workspace):
    request = GenerationRequest(messages=[{"role": "user", "content": "Hello"}], provider="openai", model="gpt-4o-mini")
    result = generate(workspace=workspace, request=request, purpose="reply")
    assert (result.provider, result.substituted_for, result.substitution_reason) == ("openai", "", "")


def test_the_fallback_model_is_recorded_as_standing_in(fake_ai, workspace):
    fake_ai.fail("500", times=None, model="gpt-4o")
    request = GenerationRequest(messages=[{"role": "user", "content": "Hello"}], provider="openai", model="gpt-4o")
    result = generate(
        workspace=workspace, request=request, purpose="reply", fallback_model="anthropic:claude-haiku-4-5"
    )
    assert (result.substituted_for, result.substitution_reason) == ("openai:gpt-4o", "fallback")
