"""The remote embedding providers (OpenAI, Gemini) for the shared registry of
`integrations.ai.embeddings`, using the platform keys. Registered from IntegrationsConfig.ready()."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from integrations.ai.embeddings import EmbeddingProvider, register_embedding_provider

OPENAI_EMBEDDINGS = ("openai:text-embedding-3-small", "text-embedding-3-small", 1536)
GEMINI_EMBEDDINGS = ("gemini:gemini-embedding-001", "gemini-embedding-001", 768)


def _openai() -> EmbeddingProvider:
    from integrations.ai.providers.openai_provider import OpenAIEmbeddings

    if not settings.OPENAI_API_KEY:
        raise ImproperlyConfigured("OpenAI embeddings need OPENAI_API_KEY.")
    key, model, dimensions = OPENAI_EMBEDDINGS
    return OpenAIEmbeddings(
        key=key,
        model=model,
        dimensions=dimensions,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL or None,
        timeout=settings.AI_REQUEST_TIMEOUT,
    )


def _gemini() -> EmbeddingProvider:
    from integrations.ai.providers.gemini_provider import GeminiEmbeddings

    if not settings.GEMINI_API_KEY:
        raise ImproperlyConfigured("Gemini embeddings need GEMINI_API_KEY.")
    key, model, dimensions = GEMINI_EMBEDDINGS
    return GeminiEmbeddings(
        key=key,
        model=model,
        dimensions=dimensions,
        api_key=settings.GEMINI_API_KEY,
        base_url=settings.GEMINI_BASE_URL or None,
        timeout=settings.AI_REQUEST_TIMEOUT,
    )


def register() -> None:
    register_embedding_provider(OPENAI_EMBEDDINGS[0], _openai)
    register_embedding_provider(GEMINI_EMBEDDINGS[0], _gemini)
