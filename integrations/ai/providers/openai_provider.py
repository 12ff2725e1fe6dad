"""OpenAI, and any OpenAI-compatible endpoint (Ollama, vLLM, OpenRouter, Azure-style gateways),
through the official `openai` SDK's chat completions. Embeddings: `OpenAIEmbeddings`."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import openai

from integrations.ai.exceptions import AIError, ProviderBadResponse, ProviderTimeout, ProviderUnavailable
from integrations.ai.providers.base import error_for_status, normalise_finish_reason
from integrations.ai.types import GenerationRequest, GenerationResult, Usage


def _client(*, api_key: str, base_url: str | None, timeout: float) -> openai.OpenAI:
    # max_retries=0: integrations.ai.reliability owns retries, so the SDK's own never stack on them.
    return openai.OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)


def _mapped(exc: Exception, provider: str) -> AIError:
    if isinstance(exc, openai.APITimeoutError):
        return ProviderTimeout(f"{provider} did not answer in time", provider=provider)
    if isinstance(exc, openai.APIStatusError):
        message = getattr(exc, "message", "") or str(exc)
        return error_for_status(exc.status_code, message, provider=provider, headers=exc.response.headers)
    if isinstance(exc, openai.APIConnectionError):
        return ProviderUnavailable(f"{provider} could not be reached", provider=provider)
    return ProviderBadResponse(f"{provider} sent an unreadable answer ({type(exc).__name__})", provider=provider)


class OpenAIProvider:
    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float, name: str = "openai") -> None:
        self.name = name
        self._client = _client(api_key=api_key, base_url=base_url, timeout=timeout)

    def generate(self, request: GenerationRequest) -> GenerationResult:
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.max_tokens:
            # OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens);
            # compatible servers (Ollama, vLLM, …) still know only max_tokens.
            kwargs["max_completion_tokens" if self.name == "openai" else "max_tokens"] = request.max_tokens
        if request.json_schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.json_schema_name, "schema": request.json_schema},
            }
        if request.timeout:
            kwargs["timeout"] = request.timeout
        started = time.monotonic()
        try:
            response = self._client.chat.completions.create(**kwargs)
            choice = response.choices[0]
            text = choice.message.content or ""
            usage = response.usage
            cached = getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", 0) or 0
            parsed = json.loads(text) if request.json_schema is not None else None
        except json.JSONDecodeError as exc:
            raise ProviderBadResponse(f"{self.name} returned output that is not JSON", provider=self.name) from exc
        except AIError:
            raise
        except Exception as exc:  # the SDK boundary: every failure becomes one of our typed errors
            raise _mapped(exc, self.name) from exc
        return GenerationResult(
            text=text,
            parsed=parsed,
            model=request.model,
            provider=self.name,
            usage=Usage(
                input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                output_tokens=getattr(usage, "completion_tokens", 0) or 0,
                cached_tokens=cached,
            ),
            finish_reason=normalise_finish_reason(choice.finish_reason),
            latency_ms=int((time.monotonic() - started) * 1000),
            provider_request_id=getattr(response, "_request_id", None) or response.id or "",
        )


class OpenAIEmbeddings:
    """An `integrations.ai.types.EmbeddingModel` over OpenAI's embeddings endpoint."""

    def __init__(self, *, key: str, model: str, dimensions: int, api_key: str, base_url: str | None, timeout: float):
        self.key, self.model, self.dimensions = key, model, dimensions
        self._client = _client(api_key=api_key, base_url=base_url, timeout=timeout)
        self.last_usage = Usage()

    def _embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            response = self._client.embeddings.create(model=self.model, input=list(texts), dimensions=self.dimensions)
        except Exception as exc:  # the SDK boundary
            raise _mapped(exc, "openai") from exc
        self.last_usage = Usage(input_tokens=getattr(response.usage, "prompt_tokens", 0) or 0)
        return [item.embedding for item in sorted(response.data, key=lambda item: item.index)]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text])[0]
