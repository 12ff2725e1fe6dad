"""Which embedding provider a workspace uses, and the vector table of each provider."""

from __future__ import annotations

from django.conf import settings

from agent_platform.tenancy import workspace_scope
from integrations.ai.embeddings import EmbeddingProvider, UnknownEmbeddingProvider, embedding_provider
from knowledge.exceptions import EmbeddingProviderInvalid
from knowledge.models import VECTOR_MODELS, ChunkVector, KnowledgeSettings


def knowledge_settings_get(*, workspace_id: int) -> KnowledgeSettings:
    """The workspace's knowledge settings, created with the platform default on first use."""
    with workspace_scope(workspace_id):
        found = KnowledgeSettings.objects.first()
        if found is None:
            found, _ = KnowledgeSettings.objects.get_or_create(
                workspace_id=workspace_id, defaults={"embedding_provider": settings.KNOWLEDGE_EMBEDDING_PROVIDER}
            )
        return found


def vector_model_for(provider: EmbeddingProvider) -> type[ChunkVector]:
    try:
        return VECTOR_MODELS[provider.dimensions]
    except KeyError:
        raise EmbeddingProviderInvalid(
            f"{provider.key} makes {provider.dimensions}-dimensional vectors; supported: {sorted(VECTOR_MODELS)}."
        ) from None


def provider_get(key: str) -> EmbeddingProvider:
    try:
        return embedding_provider(key)
    except UnknownEmbeddingProvider as exc:
        raise EmbeddingProviderInvalid(str(exc)) from None


def providers_to_fill(workspace_id: int) -> list[str]:
    config = knowledge_settings_get(workspace_id=workspace_id)
    return [key for key in (config.embedding_provider, config.pending_embedding_provider) if key]
