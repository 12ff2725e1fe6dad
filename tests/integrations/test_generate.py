"""generate() through the real SDKs against the local fake servers."""

import logging
import time
from decimal import Decimal

import pytest

from agent_platform.tenancy import workspace_scope
from billing.models import UsageDaily, UsageEvent
from integrations.ai.exceptions import ProviderRateLimited, ProviderRejected, ProviderUnavailable, UnknownModel
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest, Passage

pytestmark = pytest.mark.django_db

PROVIDERS = [("openai", "gpt-4o-mini"), ("gemini", "gemini-2.5-flash"), ("anthropic", "claude-haiku-4-5")]
SCHEMA = {
    "type": "object",
    "properties": {"phone": {"type": "string"}, "wants_call": {"type": "boolean"}},
    "required": ["phone", "wants_call"],
}


def ask(provider, model, **extra):
    return GenerationRequest(
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello there"}],
        provider=provider,
        model=model,
        **extra,
    )


def events(workspace):
    with workspace_scope(workspace.pk):
        return list(UsageEvent.objects.order_by("id"))


@pytest.mark.parametrize(("provider", "model"), PROVIDERS)
class ProviderTests:
    def test_a_completion_is_answered_and_recorded_with_its_cost(self, fake_ai, workspace, provider, model):
        fake_ai.reply_text = f"Hi from {provider}"
        fake_ai.usage = (1_000, 500, 200)

        result = generate(workspace=workspace, request=ask(provider, model), purpose="reply", agent_id=7)

        assert result.text == f"Hi from {provider}"
        assert (result.provider, result.model, result.finish_reason) == (provider, model, "stop")
        assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.cached_tokens) == (1000, 500, 200)
        assert len(fake_ai.calls(provider)) == 1
        [event] = events(workspace)
        prices = {
            "gpt-4o-mini": ("0.15", "0.60", "0.075"),
            "gemini-2.5-flash": ("0.30", "2.50", "0.075"),
            "claude-haiku-4-5": ("1.00", "5.00", "0.10"),
        }[model]
        expected = (800 * Decimal(prices[0]) + 500 * Decimal(prices[1]) + 200 * Decimal(prices[2])) / 1_000_000
        assert event.cost == expected
        assert (event.status, event.purpose, event.agent_id, event.input_tokens) == ("ok", "reply", 7, 1000)
        assert event.request_id
        with workspace_scope(workspace.pk):
            daily = UsageDaily.objects.get()
        assert (daily.calls, daily.failures, daily.cost, daily.agent_id) == (1, 0, expected, 7)

    def test_a_json_schema_extraction_returns_parsed_json(self, fake_ai, workspace, provider, model):
        fake_ai.reply_json = {"phone": "+15551234567", "wants_call": True}

        result = generate(workspace=workspace, request=ask(provider, model, json_schema=SCHEMA), purpose="extraction")

        assert result.parsed == {"phone": "+15551234567", "wants_call": True}

    def test_retries_honour_retry_after_then_succeed(self, fake_ai, workspace, provider, model):
        fake_ai.fail("429", times=1, retry_after=1)
        fake_ai.fail("500", times=1)
        started = time.monotonic()

        result = generate(workspace=workspace, request=ask(provider, model), purpose="reply")

        calls = fake_ai.calls(provider)
        assert len(calls) == 3 and result.attempts == 3
        assert calls[1].at - calls[0].at >= 1.0  # Retry-After: 1 was waited for
        assert time.monotonic() - started < 3
        [event] = events(workspace)
        assert (event.status, event.attempts) == ("ok", 3)

    def test_retries_exhausted_raise_a_typed_error_and_record_a_failure(self, fake_ai, workspace, provider, model):
        fake_ai.fail("503", times=None)

        with pytest.raises(ProviderUnavailable) as caught:
            generate(workspace=workspace, request=ask(provider, model), purpose="reply", conversation_id=3)

        assert caught.value.code == "ai_provider_unavailable"
        assert len(fake_ai.calls(provider)) == 5  # ours only: the SDK's own retries are off
        [event] = events(workspace)
        assert (event.status, event.error_code, event.attempts, event.conversation_id) == (
            "failed",
            "ai_provider_unavailable",
            5,
            3,
        )
        with workspace_scope(workspace.pk):
            assert UsageDaily.objects.get().failures == 1

    def test_a_4xx_is_not_retried(self, fake_ai, workspace, provider, model):
        fake_ai.fail("400", times=None)
        with pytest.raises(ProviderRejected):
            generate(workspace=workspace, request=ask(provider, model), purpose="reply")
        assert len(fake_ai.calls(provider)) == 1

    def test_a_timeout_is_retried_then_reported(self, fake_ai, workspace, provider, model, settings):
        settings.AI_MAX_ATTEMPTS = 2
        fake_ai.slow_seconds = 1.0
        fake_ai.fail("slow", times=None)
        with pytest.raises(ProviderUnavailable) as caught:
            generate(workspace=workspace, request=ask(provider, model, timeout=0.3), purpose="reply")
        assert caught.value.code == "ai_provider_timeout"
        assert len(fake_ai.calls(provider)) == 2


def test_the_fallback_model_answers_when_the_primary_fails(fake_ai, workspace):
    fake_ai.fail("500", times=None, model="gpt-4o")

    result = generate(
        workspace=workspace,
        request=ask("openai", "gpt-4o"),
        purpose="reply",
        fallback_model="anthropic:claude-haiku-4-5",
    )

    assert result.fallback_used and (result.provider, result.model) == ("anthropic", "claude-haiku-4-5")
    assert [(e.model_id, e.status) for e in events(workspace)] == [("gpt-4o", "failed"), ("claude-haiku-4-5", "ok")]


def test_a_malformed_answer_is_retried(fake_ai, workspace):
    fake_ai.fail("malformed", times=1)
    result = generate(workspace=workspace, request=ask("openai", "gpt-4o-mini"), purpose="reply")
    assert result.attempts == 2


def test_a_rate_limit_longer_than_the_cap_is_not_waited_for(fake_ai, workspace, settings):
    settings.AI_RETRY_MAX_DELAY = 2.0
    fake_ai.fail("429", times=None, retry_after=120)
    with pytest.raises(ProviderRateLimited):
        generate(workspace=workspace, request=ask("openai", "gpt-4o-mini"), purpose="reply")
    assert len(fake_ai.calls("openai")) == 1


def test_an_unknown_model_is_refused_before_any_call(fake_ai, workspace):
    with pytest.raises(UnknownModel):
        generate(workspace=workspace, request=ask("openai", "gpt-0"), purpose="reply")
    assert fake_ai.requests == []


def test_without_keys_the_offline_provider_answers(workspace, settings):
    settings.OPENAI_API_KEY = ""
    result = generate(
        workspace=workspace,
        request=GenerationRequest(
            messages=[{"role": "user", "content": "How long does delivery take?"}],
            passages=[Passage(text="Delivery takes two days. We ship daily.", article_title="Delivery")],
        ),
        purpose="reply",
    )
    assert (result.provider, result.model) == ("offline", "offline-extractive")
    assert "Delivery takes two days." in result.text
    assert events(workspace)[0].cost == 0


def test_a_workspace_key_is_preferred_and_secrets_never_reach_the_logs(fake_ai, workspace, caplog):
    from integrations.models import AICredential

    with workspace_scope(workspace.pk):
        AICredential.objects.create(
            workspace=workspace,
            provider="openai",
            api_key="sk-workspace-own-key-4242",
            base_url=fake_ai.openai_base_url,
        )
    fake_ai.fail("429", times=1, retry_after=0)
    with caplog.at_level(logging.DEBUG):
        generate(workspace=workspace, request=ask("openai", "gpt-4o-mini"), purpose="reply")
    headers = {name.lower(): value for name, value in fake_ai.calls("openai")[-1].headers.items()}
    assert headers["authorization"] == "Bearer sk-workspace-own-key-4242"
    for secret in ("sk-workspace-own-key-4242", "sk-platform-openai-secret-1234"):
        assert secret not in caplog.text


def test_a_self_hosted_model_answers_though_the_registry_does_not_know_it(fake_ai, workspace):
    """An OpenAI-compatible endpoint serves whatever its owner runs: the agent names the model, the
    registry has no row for it, and the reply comes from the endpoint (at no known price)."""
    from integrations.ai.selectors import ModelStatusReader
    from integrations.models import AICredential

    with workspace_scope(workspace.pk):
        AICredential.objects.create(
            workspace=workspace, provider="openai_compatible", api_key="local-llm-key", base_url=fake_ai.openai_base_url
        )
        status = ModelStatusReader(workspace_id=workspace.pk).status("openai_compatible", "llama-3.1-8b-instruct")
    assert (status.problem, status.credentials) == ("", "workspace")
    fake_ai.reply_text = "Hi from my own server"

    result = generate(workspace=workspace, request=ask("openai_compatible", "llama-3.1-8b-instruct"), purpose="reply")

    assert result.text == "Hi from my own server" and not result.substituted_for
    assert fake_ai.calls("openai")[-1].model == "llama-3.1-8b-instruct"
    [event] = events(workspace)
    assert (event.provider, event.model_id, event.status, event.cost) == (
        "openai_compatible", "llama-3.1-8b-instruct", "ok", Decimal(0)
    )  # fmt: skip


def test_an_unknown_model_of_a_known_provider_is_still_refused(fake_ai, workspace):
    with pytest.raises(UnknownModel):
        generate(workspace=workspace, request=ask("openai", "gpt-9-imaginary"), purpose="reply")
