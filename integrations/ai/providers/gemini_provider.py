"""Google Gemini through the official `google-genai` SDK (Gemini API, not Vertex AI)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from integrations.ai.exceptions import AIError, ProviderBadResponse, ProviderTimeout, ProviderUnavailable
from integrations.ai.providers.base import error_for_status, normalise_finish_reason
from integrations.ai.types import GenerationRequest, GenerationResult, Usage


def _client(*, api_key: str, base_url: str | None, timeout: float) -> genai.Client:
    options = genai_types.HttpOptions(
        base_url=base_url or None,
        timeout=int(timeout * 1000),  # milliseconds
        # One attempt: integrations.ai.reliability owns retries (this also stops the SDK's
        # implicit retry of connection errors).
        retry_options=genai_types.HttpRetryOptions(attempts=1),
    )
    return genai.Client(api_key=api_key, http_options=options)


def _mapped(exc: Exception) -> AIError:
    if isinstance(exc, genai_errors.APIError):
        headers = getattr(getattr(exc, "response", None), "headers", None)
        return error_for_status(int(exc.code or 500), exc.message or str(exc), provider="gemini", headers=headers)
    name = type(exc).__name__
    # The SDK lets its HTTP library's transport errors through (httpx/httpx2 classes).
    if "Timeout" in name:
        return ProviderTimeout("gemini did not answer in time", provider="gemini")
    if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "aiohttp") or isinstance(exc, OSError):
        return ProviderUnavailable("gemini could not be reached", provider="gemini")
    return ProviderBadResponse(f"gemini sent an unreadable answer ({name})", provider="gemini")


class GeminiProvider:
    name = "gemini"

    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float) -> None:
        self._api_key, self._base_url, self._timeout = api_key, base_url, timeout
        self._client = _client(api_key=api_key, base_url=base_url, timeout=timeout)

    def generate(self, request: GenerationRequest) -> GenerationResult:
        client = self._client
        if request.timeout and request.timeout != self._timeout:
            client = _client(api_key=self._api_key, base_url=self._base_url, timeout=request.timeout)
        contents = [
            genai_types.Content(
                role="model" if m.role == "assistant" else "user", parts=[genai_types.Part(text=m.content)]
            )
            for m in request.dialogue
        ]
        config = genai_types.GenerateContentConfig(
            system_instruction=request.system_prompt or None,
            temperature=request.temperature,
            max_output_tokens=request.max_tokens or None,
        )
        if request.json_schema is not None:
            config.response_mime_type = "application/json"
            config.response_json_schema = request.json_schema
        started = time.monotonic()
        try:
            response = client.models.generate_content(model=request.model, contents=contents, config=config)
            text = response.text or ""
            parsed = json.loads(text) if request.json_schema is not None else None
            usage = response.usage_metadata
            candidate = (response.candidates or [None])[0]
        except json.JSONDecodeError as exc:
            raise ProviderBadResponse("gemini returned output that is not JSON", provider="gemini") from exc
        except AIError:
            raise
        except Exception as exc:  # the SDK boundary: every failure becomes one of our typed errors
            raise _mapped(exc) from exc
        return GenerationResult(
            text=text,
            parsed=parsed,
            model=request.model,
            provider=self.name,
            usage=Usage(
                input_tokens=getattr(usage, "prompt_token_count", 0) or 0,
                # Gemini counts "thinking" separately; it is billed as output.
                output_tokens=(getattr(usage, "candidates_token_count", 0) or 0)
                + (getattr(usage, "thoughts_token_count", 0) or 0),
                cached_tokens=getattr(usage, "cached_content_token_count", 0) or 0,
            ),
            finish_reason=normalise_finish_reason(getattr(candidate, "finish_reason", "")),
            latency_ms=int((time.monotonic() - started) * 1000),
            provider_request_id=response.response_id or "",
        )


class GeminiEmbeddings:
    """An `integrations.ai.types.EmbeddingModel` over Gemini's embedContent."""

    def __init__(self, *, key: str, model: str, dimensions: int, api_key: str, base_url: str | None, timeout: float):
        self.key, self.model, self.dimensions = key, model, dimensions
        self._client = _client(api_key=api_key, base_url=base_url, timeout=timeout)

    def _embed(self, texts: Sequence[str], task_type: str) -> list[list[float]]:
        if not texts:
            return []
        config = genai_types.EmbedContentConfig(task_type=task_type, output_dimensionality=self.dimensions)
        try:
            response = self._client.models.embed_content(model=self.model, contents=list(texts), config=config)
        except Exception as exc:  # the SDK boundary
            raise _mapped(exc) from exc
        return [list(embedding.values or []) for embedding in response.embeddings or []]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embed(texts, "RETRIEVAL_DOCUMENT")

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], "RETRIEVAL_QUERY")[0]
