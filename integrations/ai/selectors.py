"""Reads of the AI model registry."""

from __future__ import annotations

from django.db.models import QuerySet

from integrations.ai.exceptions import UnknownModel
from integrations.models import AICredential, AIModel


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
