"""Build the provider object for a resolved credential."""

from __future__ import annotations

from django.conf import settings

from integrations.ai.credentials import ResolvedCredential
from integrations.ai.types import ChatProvider
from integrations.models import AIProvider


def chat_provider(credential: ResolvedCredential) -> ChatProvider:
    # The SDKs take 0.4–1.2 s each to import: a process imports only the ones it calls.
    timeout = settings.AI_REQUEST_TIMEOUT
    if credential.provider in (AIProvider.OPENAI, AIProvider.OPENAI_COMPATIBLE):
        from integrations.ai.providers.openai_provider import OpenAIProvider  # noqa: PLC0415

        return OpenAIProvider(
            api_key=credential.api_key or "not-needed",  # local compatible servers often take no key
            base_url=credential.base_url or None,
            timeout=timeout,
            name=credential.provider,
        )
    if credential.provider == AIProvider.GEMINI:
        from integrations.ai.providers.gemini_provider import GeminiProvider  # noqa: PLC0415

        return GeminiProvider(api_key=credential.api_key, base_url=credential.base_url or None, timeout=timeout)
    if credential.provider == AIProvider.ANTHROPIC:
        from integrations.ai.providers.anthropic_provider import AnthropicProvider  # noqa: PLC0415

        return AnthropicProvider(api_key=credential.api_key, base_url=credential.base_url or None, timeout=timeout)
    from integrations.ai.providers.offline_provider import OfflineProvider  # noqa: PLC0415

    return OfflineProvider()
