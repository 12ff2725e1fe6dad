import math

import pytest

from integrations.ai import embeddings


@pytest.mark.parametrize(
    ("key", "dimensions"), [("openai:text-embedding-3-small", 1536), ("gemini:gemini-embedding-001", 768)]
)
@pytest.mark.django_db
def test_remote_embedding_providers_are_registered_and_speak_through_the_real_sdks(fake_ai, key, dimensions):
    embeddings._instances.pop(key, None)  # built from this test's settings (the fake's URL)
    try:
        provider = embeddings.embedding_provider(key)
        vectors = provider.embed_documents(["first passage", "second passage"])
        query = provider.embed_query("a question")
    finally:
        embeddings._instances.pop(key, None)
    assert provider.key == key and provider.dimensions == dimensions
    assert [len(v) for v in vectors] == [dimensions, dimensions] and len(query) == dimensions
    assert vectors[0] != vectors[1]
    assert math.isclose(sum(x * x for x in query), 1.0, rel_tol=1e-3)
