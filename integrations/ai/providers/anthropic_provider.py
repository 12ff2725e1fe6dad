"""Anthropic Claude through the official `anthropic` SDK's messages API. Structured output uses a
forced tool call whose input schema is the requested JSON schema (works on every Claude model)."""

from __future__ import annotations

import json
import time
from typing import Any

import anthropic

from integrations.ai.exceptions import AIError, ProviderBadResponse, ProviderTimeout, ProviderUnavailable
from integrations.ai.providers.base import error_for_status, normalise_finish_reason
from integrations.ai.types import GenerationRequest, GenerationResult, Usage

DEFAULT_MAX_TOKENS = 1024  # the messages API requires max_tokens


def _mapped(exc: Exception) -> AIError:
    if isinstance(exc, anthropic.APITimeoutError):
        return ProviderTimeout("anthropic did not answer in time", provider="anthropic")
    if isinstance(exc, anthropic.APIStatusError):
        message = getattr(exc, "api_message", None) or getattr(exc, "message", "") or str(exc)
        return error_for_status(exc.status_code, message, provider="anthropic", headers=exc.response.headers)
    if isinstance(exc, anthropic.APIConnectionError):
        return ProviderUnavailable("anthropic could not be reached", provider="anthropic")
    return ProviderBadResponse(f"anthropic sent an unreadable answer ({type(exc).__name__})", provider="anthropic")


class AnthropicProvider:
    name = "anthropic"

    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float) -> None:
        # max_retries=0: integrations.ai.reliability owns retries.
        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)

    def generate(self, request: GenerationRequest) -> GenerationResult:
        kwargs: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
            "messages": [{"role": m.role, "content": m.content} for m in request.dialogue],
        }
        if request.system_prompt:
            kwargs["system"] = request.system_prompt
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        if request.json_schema is not None:
            kwargs["tools"] = [
                {
                    "name": request.json_schema_name,
                    "description": "Record the structured result.",
                    "input_schema": request.json_schema,
                }
            ]
            kwargs["tool_choice"] = {"type": "tool", "name": request.json_schema_name}
        if request.timeout:
            kwargs["timeout"] = request.timeout
        started = time.monotonic()
        try:
            response = self._client.messages.create(**kwargs)
            parsed = None
            texts = []
            for block in response.content:
                if block.type == "tool_use" and request.json_schema is not None:
                    parsed = block.input
                elif block.type == "text":
                    texts.append(block.text)
            usage = response.usage
        except AIError:
            raise
        except Exception as exc:  # the SDK boundary: every failure becomes one of our typed errors
            raise _mapped(exc) from exc
        if request.json_schema is not None and parsed is None:
            raise ProviderBadResponse("anthropic returned no structured result", provider="anthropic")
        cached = getattr(usage, "cache_read_input_tokens", 0) or 0
        created = getattr(usage, "cache_creation_input_tokens", 0) or 0
        text = "".join(texts)
        if parsed is not None and not text:
            text = json.dumps(parsed, ensure_ascii=False)
        return GenerationResult(
            text=text,
            parsed=parsed,
            model=request.model,
            provider=self.name,
            # Anthropic's input_tokens exclude cache reads and writes; ours include them.
            usage=Usage(
                input_tokens=(usage.input_tokens or 0) + cached + created,
                output_tokens=usage.output_tokens or 0,
                cached_tokens=cached,
            ),
            finish_reason=normalise_finish_reason(response.stop_reason),
            latency_ms=int((time.monotonic() - started) * 1000),
            provider_request_id=getattr(response, "_request_id", None) or response.id or "",
        )
