"""Reads of the AI model registry and the embedding models."""

from __future__ import annotations

from django.db.models import QuerySet

from integrations.ai.credentials import credential_sources
from integrations.ai.embedding_models import FACTORIES, SHARED_MODELS, shared_model
from integrations.ai.exceptions import UnknownEmbeddingModel, UnknownModel
from integrations.ai.providers.offline_provider import MODEL_ID as OFFLINE_MODEL
from integrations.ai.types import EmbeddingModel, ModelRef, ModelStatus
from integrations.models import AICredential, AIModel, AIModelKind, AIProvider

_embedding_models = SHARED_MODELS  # the process's built models (tests drop one to rebuild it)

# What a self-hosted model not in the registry is assumed to handle (conservative: most serve 8k+).
SELF_HOSTED_CONTEXT_WINDOW = 8192
SELF_HOSTED_MAX_OUTPUT_TOKENS = 2048


def model_list(*, provider: str | None = None, kind: str | None = None, active_only: bool = True) -> QuerySet[AIModel]:
    """The registry's models, optionally of one provider or kind; active ones unless told otherwise."""
    models = AIModel.objects.all()
    if provider:
        models = models.filter(provider=provider)
    if kind:
        models = models.filter(kind=kind)
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


def chat_model_get(*, provider: str, model_id: str) -> AIModel:
    """The model a reply is generated with: its registry entry, or — for an OpenAI-compatible
    endpoint, which serves whatever models its owner runs — an unsaved entry named after the id, with
    no price (the platform does not know what a self-hosted model costs). Raises UnknownModel."""
    try:
        return model_get(provider=provider, model_id=model_id)
    except UnknownModel:
        if provider != AIProvider.OPENAI_COMPATIBLE or not model_id:
            raise
        return AIModel(
            provider=provider,
            model_id=model_id,
            display_name=model_id,
            kind=AIModelKind.CHAT,
            context_window=SELF_HOSTED_CONTEXT_WINDOW,
            max_output_tokens=SELF_HOSTED_MAX_OUTPUT_TOKENS,
            supports_json_schema=False,
        )


def model_ref(*, provider: str, model_id: str) -> ModelRef:
    """A model with its registry name (its id when the registry lacks it)."""
    name = AIModel.objects.filter(provider=provider, model_id=model_id).values_list("display_name", flat=True).first()
    return ModelRef(provider=provider, model_id=model_id, name=name or model_id)


class ModelStatusReader:
    """The status of chosen chat models in one workspace (`ModelStatus`): what `generate` will do with
    each — answer with it, or answer with the offline model because its provider has no key. Reads the
    workspace's credentials and the registry once, however many models it is asked about."""

    def __init__(self, *, workspace_id: int) -> None:
        self.workspace_id = workspace_id
        self._sources: dict[str, str] | None = None
        self._registry: dict[tuple[str, str], AIModel] | None = None

    def _ref(self, provider: str, model_id: str) -> ModelRef:
        registered = self.registry.get((provider, model_id))
        return ModelRef(provider=provider, model_id=model_id, name=registered.display_name if registered else model_id)

    @property
    def registry(self) -> dict[tuple[str, str], AIModel]:
        if self._registry is None:
            self._registry = {(m.provider, m.model_id): m for m in AIModel.objects.all()}
        return self._registry

    def status(self, provider: str, model_id: str) -> ModelStatus:
        chosen = self._ref(provider, model_id)
        names = dict(AIProvider.choices)
        registered = self.registry.get((provider, model_id))
        if provider == AIProvider.OFFLINE:
            credentials = "not_needed"
        else:
            if self._sources is None:
                self._sources = credential_sources(workspace_id=self.workspace_id)
            credentials = self._sources.get(provider, "none")
        status = {"chosen": chosen, "provider_name": names.get(provider, provider), "credentials": credentials}
        if registered is None and provider != AIProvider.OPENAI_COMPATIBLE:
            return ModelStatus(**status, problem="unknown_model")
        if registered is not None and registered.kind != AIModelKind.CHAT:
            return ModelStatus(**status, problem="not_a_chat_model")
        if credentials == "none":
            offline = self._ref(AIProvider.OFFLINE, OFFLINE_MODEL)
            return ModelStatus(**status, problem="no_credentials", answers_instead=offline)
        return ModelStatus(**status)


def credential_list() -> QuerySet[AICredential]:
    """The active workspace's AI credentials (needs a workspace scope)."""
    return AICredential.objects.order_by("provider", "-updated_at")


def embedding_model_get(key: str) -> EmbeddingModel:
    """The embedding model registered under `key`, built on first use and then shared by the
    process; raises UnknownEmbeddingModel."""
    model = shared_model(key)
    if model is None:
        raise UnknownEmbeddingModel(f"No embedding model {key!r}; known: {sorted(FACTORIES)}.")
    return model


def embedding_model_keys() -> list[str]:
    return sorted(FACTORIES)
