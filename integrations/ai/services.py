"""AI generation for the rest of the platform: `generate()` picks the credentials, enforces the
budget, calls the provider with retries, falls back to a second model, and records every call."""

from __future__ import annotations

import dataclasses
import logging
import time

from django.conf import settings

from billing.services import budget_enforce, usage_record
from billing.types import UsageStatus
from integrations.ai import selectors
from integrations.ai.credentials import credential_resolve, platform_credential
from integrations.ai.exceptions import AIError, BudgetExceeded, CredentialInvalid
from integrations.ai.providers.offline_provider import MODEL_ID as OFFLINE_MODEL
from integrations.ai.providers.registry import chat_provider
from integrations.ai.reliability import call_with_retries
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import EmbeddingModel, GenerationRequest, GenerationResult, Message
from integrations.models import AIModel, AIProvider

log = logging.getLogger(__name__)

DEFAULT_MODELS = {
    AIProvider.OPENAI: "gpt-4o-mini",
    AIProvider.ANTHROPIC: "claude-haiku-4-5",
    AIProvider.GEMINI: "gemini-2.5-flash",
    AIProvider.OFFLINE: OFFLINE_MODEL,
}


def default_target() -> tuple[str, str]:
    """AI_DEFAULT_PROVIDER/AI_DEFAULT_MODEL, else the first provider with a platform key, else offline."""
    provider = settings.AI_DEFAULT_PROVIDER
    if not provider:
        provider = next(
            (p for p in (AIProvider.OPENAI, AIProvider.ANTHROPIC, AIProvider.GEMINI) if platform_credential(p)),
            AIProvider.OFFLINE,
        )
    return provider, settings.AI_DEFAULT_MODEL or DEFAULT_MODELS.get(provider, "")


def _parse_target(value: str | AIModel | tuple[str, str]) -> tuple[str, str]:
    if isinstance(value, AIModel):
        return value.provider, value.model_id
    if isinstance(value, tuple):
        return value
    provider, sep, model_id = value.partition(":")
    if not sep:
        raise CredentialInvalid(f"A model is written provider:model_id, not {value!r}.")
    return provider, model_id


def generate(
    *,
    workspace,
    request: GenerationRequest,
    purpose: str,
    agent_id: int | None = None,
    conversation_id: int | None = None,
    fallback_model: str | AIModel | tuple[str, str] | None = None,
    credential_id: int | None = None,
) -> GenerationResult:
    """Generate with the request's model (or the default), retrying transient failures, then with
    `fallback_model` ("provider:model_id") if the primary still fails. Every attempt chain is
    recorded in the usage ledger, successful or not. Raises BudgetExceeded, UnknownModel or the
    typed provider errors of integrations.ai.exceptions."""
    provider, model_id = (request.provider, request.model) if request.provider else default_target()
    model_id = model_id or DEFAULT_MODELS.get(provider, "")
    ledger = {"workspace": workspace, "purpose": purpose, "agent_id": agent_id, "conversation_id": conversation_id}
    try:
        ledger["budget"] = budget_enforce(workspace=workspace)  # read once for the whole call
    except BudgetExceeded as exc:
        usage_record(**ledger, provider=provider, model_id=model_id, status=UsageStatus.FAILED, error_code=exc.code)
        raise
    try:
        return _generate_with(provider, model_id, request, ledger, credential_id=credential_id)
    except AIError as exc:
        if fallback_model is None:
            raise
        fallback_provider, fallback_id = _parse_target(fallback_model)
        log.warning(
            "AI call failed, using the fallback model",
            extra={
                "model": f"{provider}:{model_id}",
                "fallback": f"{fallback_provider}:{fallback_id}",
                "code": exc.code,
            },
        )
        result = _generate_with(fallback_provider, fallback_id, request, ledger)
        result.fallback_used = True
        result.substituted_for, result.substitution_reason = f"{provider}:{model_id}", "fallback"
        return result


def _generate_with(
    provider: str, model_id: str, request: GenerationRequest, ledger: dict, *, credential_id: int | None = None
) -> GenerationResult:
    ai_model = selectors.chat_model_get(provider=provider, model_id=model_id)
    credential = credential_resolve(workspace=ledger["workspace"], provider=provider, credential_id=credential_id)
    substituted_for = ""
    if credential is None:
        if credential_id is not None:
            raise CredentialInvalid("That credential does not exist in this workspace.")
        # No key anywhere for this provider: the offline provider keeps the platform useful, and the
        # result says so (selectors.ModelStatusReader tells the same before any message arrives).
        log.info("no %s key configured, answering with the offline provider", provider)
        substituted_for = str(ai_model)
        ai_model = selectors.model_get(provider=AIProvider.OFFLINE, model_id=OFFLINE_MODEL)
        credential = credential_resolve(workspace=ledger["workspace"], provider=AIProvider.OFFLINE)
    client = chat_provider(credential)
    call = dataclasses.replace(request, provider=ai_model.provider, model=ai_model.model_id)
    started = time.monotonic()
    try:
        result, attempts = call_with_retries(lambda: client.generate(call), describe=str(ai_model))
    except AIError as exc:
        usage_record(
            **ledger,
            provider=ai_model.provider,
            model_id=ai_model.model_id,
            status=UsageStatus.FAILED,
            error_code=exc.code,
            latency_ms=int((time.monotonic() - started) * 1000),
            attempts=getattr(exc, "attempts", 1),
        )
        raise
    result.attempts = attempts
    if substituted_for:
        result.substituted_for, result.substitution_reason = substituted_for, "no_credentials"
    result.latency_ms = int((time.monotonic() - started) * 1000)  # wall time, waits between retries included
    usage_record(
        **ledger,
        provider=ai_model.provider,
        model_id=ai_model.model_id,
        status=UsageStatus.OK,
        input_tokens=result.usage.input_tokens,
        output_tokens=result.usage.output_tokens,
        cached_tokens=result.usage.cached_tokens,
        cost=ai_model.cost_of(
            input_tokens=result.usage.input_tokens,
            output_tokens=result.usage.output_tokens,
            cached_tokens=result.usage.cached_tokens,
        ),
        latency_ms=result.latency_ms,
        attempts=attempts,
        request_id=result.provider_request_id,
    )
    return result


def connection_test(*, workspace, provider: str, model_id: str = "", credential_id: int | None = None) -> dict:
    """A tiny generation through the chosen credential (recorded as purpose "test")."""
    model_id = model_id or DEFAULT_MODELS.get(provider, "")
    request = GenerationRequest(
        messages=[Message(role="user", content="Reply with the single word OK.")],
        provider=provider,
        model=model_id,
        max_tokens=16,
        temperature=0,
        timeout=min(settings.AI_REQUEST_TIMEOUT, 20),
    )
    if provider != AIProvider.OFFLINE:
        credential = credential_resolve(workspace=workspace, provider=provider, credential_id=credential_id)
        if credential is None:
            raise CredentialInvalid(f"No {provider} key is configured for this workspace or the platform.")
    result = _generate_with(
        provider,
        model_id,
        request,
        {"workspace": workspace, "purpose": "test", "agent_id": None, "conversation_id": None},
        credential_id=credential_id,
    )
    return {
        "ok": True,
        "provider": result.provider,
        "model": result.model,
        "latency_ms": result.latency_ms,
        "reply": result.text[:200],
    }


REMOTE_EMBEDDING_PROVIDERS = {AIProvider.OPENAI, AIProvider.GEMINI}


def embed_with_ledger(*, workspace, model: EmbeddingModel, texts: list[str], query: bool = False) -> list:
    """Embed with an embedding model; a remote model's call (success or failure) goes to the usage
    ledger with purpose "embedding" and its cost from the registry. Local models are free and
    unrecorded."""
    name, _, model_id = model.key.partition(":")
    if name not in REMOTE_EMBEDDING_PROVIDERS:
        return [model.embed_query(texts[0])] if query else model.embed_documents(texts)
    started = time.perf_counter()
    tokens = sum(max(1, estimate_tokens(text)) for text in texts)  # the embedding APIs report no usage we keep
    ledger = {"workspace": workspace, "purpose": "embedding", "provider": name, "model_id": model_id,
              "input_tokens": tokens}  # fmt: skip
    try:
        vectors = [model.embed_query(texts[0])] if query else model.embed_documents(texts)
    except Exception as exc:
        latency = int((time.perf_counter() - started) * 1000)
        usage_record(**ledger, status=UsageStatus.FAILED, latency_ms=latency, error_code=getattr(exc, "code", "error"))
        raise
    registered = AIModel.objects.filter(provider=name, model_id=model_id).first()
    cost = registered.cost_of(input_tokens=tokens, output_tokens=0) if registered else 0
    usage_record(**ledger, status=UsageStatus.OK, cost=cost, latency_ms=int((time.perf_counter() - started) * 1000))
    return vectors
