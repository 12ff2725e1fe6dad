"""Reads of the AI model registry and the embedding models."""

from __future__ import annotations

import threading

from django.db.models import QuerySet

from integrations.ai.embedding_models import FACTORIES
from integrations.ai.exceptions import UnknownEmbeddingModel, UnknownModel
from integrations.ai.types import EmbeddingModel
from integrations.models import AICredential, AIModel

_embedding_models: dict[str, EmbeddingModel] = {}
_embedding_models_lock = threading.Lock()


def model_list(*, provider: str | None = None, active_only: bool = True) -> QuerySet[AIModel]:
    """The registry's models, optionally of one provider; active ones unless told otherwise."""
    models = AIModel.objects.all()
    if provider:
        models = models.filter(provider=provider)
    if active_only:
        models = models.filter(active=True)
    return models.order_by("provider", "model_id")


def model_get(*, provider: str, model_id: str) -> AIModel:
    """The registry entry of one model (active or not); raises UnknownModel."""
    try:
        return AIModel.objects.get(provider=provider, model_id=model_id)
    except AIModel.DoesNotExist:
        raise UnknownModel(
            f"The model {provider}:{model_id} is not in the model registry.", provider=provider, model_id=model_id
        ) from None


def credential_list() -> QuerySet[AICredential]:
    """The active workspace's AI credentials (needs a workspace scope)."""
    return AICredential.objects.order_by("provider", "-updated_at")


def embedding_model_get(key: str) -> EmbeddingModel:
    """The embedding model registered under `key`, built on first use and then shared by the
    process; raises UnknownEmbeddingModel."""
    model = _embedding_models.get(key)
    if model is None:
        factory = FACTORIES.get(key)
        if factory is None:
            raise UnknownEmbeddingModel(f"No embedding model {key!r}; known: {sorted(FACTORIES)}.")
        with _embedding_models_lock:
            model = _embedding_models.get(key) or factory()
            _embedding_models[key] = model
    return model


def embedding_model_keys() -> list[str]:
    return sorted(FACTORIES)
