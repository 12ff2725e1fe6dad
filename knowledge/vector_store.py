"""The knowledge base's vector store: which embedding model a workspace's vectors come from (its
`KnowledgeSettings.embedding_provider`, plus a pending one while a switch re-embeds), and which
vector table (one per dimension, `VECTOR_MODELS`) holds a model's vectors. The models themselves
are `integrations.ai.embedding_models`."""

from __future__ import annotations

from django.conf import settings

from agent_platform.tenancy import workspace_scope
from integrations.ai.exceptions import UnknownEmbeddingModel
from integrations.ai.selectors import embedding_model_get
from integrations.ai.types import EmbeddingModel
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


def vector_table_for(model: EmbeddingModel) -> type[ChunkVector]:
    try:
        return VECTOR_MODELS[model.dimensions]
    except KeyError:
        raise EmbeddingProviderInvalid(
            f"{model.key} makes {model.dimensions}-dimensional vectors; supported: {sorted(VECTOR_MODELS)}."
        ) from None


def embedding_model_for(key: str) -> EmbeddingModel:
    try:
        return embedding_model_get(key)
    except UnknownEmbeddingModel as exc:
        raise EmbeddingProviderInvalid(exc.detail) from None


def workspace_embedding_model(workspace_id: int) -> EmbeddingModel:
    """The model the workspace's search queries are embedded with."""
    return embedding_model_for(knowledge_settings_get(workspace_id=workspace_id).embedding_provider)


def embedding_models_to_fill(workspace_id: int) -> list[str]:
    """Keys of the models whose vectors new chunks need: the current one, and a pending switch's."""
    config = knowledge_settings_get(workspace_id=workspace_id)
    return [key for key in (config.embedding_provider, config.pending_embedding_provider) if key]
