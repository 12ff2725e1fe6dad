"""Celery tasks of the knowledge app (queue `indexing`): thin, id-based, idempotent in the services."""

from __future__ import annotations

from celery import shared_task

from agent_platform.tenancy import workspace_task
from knowledge import services
from knowledge.models import Article
from knowledge.services.embedding import reembed_stalled_workspace_ids
from knowledge.services.imports import articles_due_for_resync
from knowledge.services.indexing import stuck_workspace_ids


@workspace_task(acks_late=True)
def article_index_task(workspace_id: int, article_id: int) -> None:
    services.article_index_run(article_id=article_id)


@workspace_task(acks_late=True)
def article_file_index_task(workspace_id: int, file_id: int) -> None:
    services.article_file_index_run(file_id=file_id)


@workspace_task(acks_late=True)
def reembed_task(workspace_id: int) -> None:
    services.reembed_run(workspace_id=workspace_id)


@workspace_task(acks_late=True)
def index_sweep_workspace_task(workspace_id: int) -> dict:
    return services.index_sweep_stuck(workspace_id=workspace_id)


@shared_task(ignore_result=True)
def index_sweep_task() -> None:
    """Beat: fan out one sweep per workspace that has items idle in a non-final state, and restart
    provider switches that stalled."""
    for workspace_id in stuck_workspace_ids():
        index_sweep_workspace_task.delay(workspace_id)
    for workspace_id in reembed_stalled_workspace_ids():
        reembed_task.delay(workspace_id)


@workspace_task(acks_late=True, ignore_result=True)
def article_url_resync_task(workspace_id: int, article_id: int) -> None:
    article = Article.objects.filter(pk=article_id, url_resync=True).first()
    if article is not None:
        services.article_url_resync(article=article)


@shared_task(ignore_result=True)
def url_resync_task() -> None:
    """Beat: fan out a re-sync for every imported page that is due."""
    for workspace_id, article_id in articles_due_for_resync():
        article_url_resync_task.delay(workspace_id, article_id)
