"""Vectors of chunks: how a chunk is embedded and its vector stored, and the switch of a workspace's
embedding model (every chunk re-embedded in the background while search keeps the current vectors,
then one switch)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Workspace
from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from integrations.ai.services import embed_with_ledger
from knowledge.models import VECTOR_MODELS, Chunk, ChunkVector, KnowledgeSettings
from knowledge.vector_store import embedding_model_for, knowledge_settings_get, vector_table_for

EMBED_BATCH = 32


def chunk_passage(chunk: Chunk) -> str:
    # The heading gives a passage its context ("Returns" + "within 30 days…").
    return (
        f"{chunk.heading}\n{chunk.text}" if chunk.heading and not chunk.text.startswith(chunk.heading) else chunk.text
    )


def vectors_store(vectors: type[ChunkVector], key: str, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
    with transaction.atomic():
        alive = set(Chunk.objects.filter(pk__in=[c.pk for c in chunks]).values_list("pk", flat=True))
        vectors.objects.bulk_create(
            [
                vectors(
                    workspace_id=chunk.workspace_id,
                    chunk_id=chunk.pk,
                    article_id=chunk.article_id,
                    provider=key,
                    status=chunk.status,
                    language=chunk.language,
                    tags=chunk.tags,
                    category_ids=chunk.category_ids,
                    embedding=embedding,
                )
                for chunk, embedding in zip(chunks, embeddings, strict=True)
                if chunk.pk in alive
            ],
            ignore_conflicts=True,
        )


def reembed_stalled_workspace_ids() -> list[int]:
    """Workspaces whose provider switch made no progress for a while (its worker died): the
    sweeper starts the job again; it resumes where it stopped (ops code: reads across workspaces)."""
    cutoff = timezone.now() - timedelta(minutes=settings.KNOWLEDGE_INDEX_STUCK_MINUTES)
    return list(
        KnowledgeSettings.objects.unscoped_across_workspaces()
        .exclude(pending_embedding_provider="")
        .filter(updated_at__lt=cutoff)
        .values_list("workspace_id", flat=True)
    )


@transaction.atomic
def embedding_provider_change(*, workspace: Workspace, key: str) -> KnowledgeSettings:
    """Switch a workspace's embedding model: search keeps using the current vectors while a
    background job embeds every chunk with the new provider, then switches over."""
    vector_table_for(embedding_model_for(key))
    config = knowledge_settings_get(workspace_id=workspace.pk)
    config = KnowledgeSettings.objects.select_for_update().get(pk=config.pk)
    if key == config.embedding_provider:
        config.pending_embedding_provider, config.reembed_progress = "", 0
    else:
        config.pending_embedding_provider, config.reembed_progress = key, 0
        enqueue_on_commit("knowledge.tasks.reembed_task", workspace.pk)
    config.save()
    return config


def reembed_run(*, workspace_id: int, batch: int = 256) -> bool:
    """Embed chunks lacking the pending provider's vectors (a batch at a time); switch when none
    remain. Returns True when the switch happened."""
    config = knowledge_settings_get(workspace_id=workspace_id)
    key = config.pending_embedding_provider
    if not key:
        return True
    model = embedding_model_for(key)
    vectors = vector_table_for(model)
    total = Chunk.objects.count() or 1
    while True:
        done = vectors.objects.filter(provider=key).values("chunk_id")
        missing = list(Chunk.objects.exclude(pk__in=done).order_by("pk")[:batch])
        if not missing:
            break
        for start in range(0, len(missing), EMBED_BATCH):
            part = missing[start : start + EMBED_BATCH]
            texts = [chunk_passage(c) for c in part]
            vectors_store(vectors, key, part, embed_with_ledger(workspace=config.workspace, model=model, texts=texts))
        embedded = vectors.objects.filter(provider=key).count()
        KnowledgeSettings.objects.filter(pk=config.pk, pending_embedding_provider=key).update(
            reembed_progress=min(99, int(100 * embedded / total)), updated_at=timezone.now()
        )
    with transaction.atomic():
        switched = KnowledgeSettings.objects.filter(pk=config.pk, pending_embedding_provider=key).update(
            embedding_provider=key, pending_embedding_provider="", reembed_progress=100
        )
        if switched:
            for model in VECTOR_MODELS.values():
                model.objects.exclude(provider=key).delete()
            realtime.publish(workspace_id, "kb_settings.embedding_provider", {"provider": key})
    return bool(switched)
