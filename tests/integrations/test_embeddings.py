import math

import pytest

from integrations.ai import selectors


@pytest.mark.parametrize(
    ("key", "dimensions"), [("openai:text-embedding-3-small", 1536), ("gemini:gemini-embedding-001", 768)]
)
@pytest.mark.django_db
def test_remote_embedding_providers_are_registered_and_speak_through_the_real_sdks(fake_ai, key, dimensions):
    selectors._embedding_models.pop(key, None)  # built from this test's settings (the fake's URL)
    try:
        provider = selectors.embedding_model_get(key)
        vectors = provider.embed_documents(["first passage", "second passage"])
        query = provider.embed_query("a question")
    finally:
        selectors._embedding_models.pop(key, None)
    assert provider.key == key and provider.dimensions == dimensions
    assert [len(v) for v in vectors] == [dimensions, dimensions] and len(query) == dimensions
    assert vectors[0] != vectors[1]
    assert math.isclose(sum(x * x for x in query), 1.0, rel_tol=1e-3)


@pytest.mark.django_db
def test_remote_embedding_calls_are_in_the_usage_ledger(fake_ai, workspace):
    from billing.models import UsageEvent
    from integrations.ai.services import embed_with_ledger

    key = "openai:text-embedding-3-small"
    selectors._embedding_models.pop(key, None)
    try:
        provider = selectors.embedding_model_get(key)
        embed_with_ledger(workspace=workspace, model=provider, texts=["a passage " * 40, "another"])
        fake_ai.fail("500", times=None)
        with pytest.raises(Exception):  # noqa: B017 (the provider's own error type)
            embed_with_ledger(workspace=workspace, model=provider, texts=["a query"], query=True)
    finally:
        selectors._embedding_models.pop(key, None)
    events = list(UsageEvent.objects.unscoped_across_workspaces().filter(workspace=workspace).order_by("id"))
    assert [(e.purpose, e.provider, e.model_id, e.status) for e in events] == [
        ("embedding", "openai", "text-embedding-3-small", "ok"),
        ("embedding", "openai", "text-embedding-3-small", "failed"),
    ]
    assert events[0].input_tokens > 100 and events[0].cost > 0


@pytest.mark.django_db
def test_local_embeddings_are_not_recorded(workspace):
    from billing.models import UsageEvent
    from integrations.ai.services import embed_with_ledger

    provider = selectors.embedding_model_get("local:use-multilingual")
    assert len(embed_with_ledger(workspace=workspace, model=provider, texts=["hola"])[0]) == provider.dimensions
    assert not UsageEvent.objects.unscoped_across_workspaces().exists()
