"""Knowledge fixtures: categories and articles from the factories (the services, inside the
workspace scope), and a synchronous stand-in for the indexing worker (tasks are called as plain
functions, as STYLE.md asks)."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from knowledge import services
from knowledge.models import Article, ArticleFile, IndexState
from tests.knowledge.factories import ArticleFactory, CategoryFactory


def run_indexing(workspace_id: int) -> None:
    """Run every queued indexing item of a workspace, as the `indexing` worker would."""
    with workspace_scope(workspace_id):
        for pk in Article.objects.filter(index_state=IndexState.QUEUED).values_list("pk", flat=True):
            services.article_index_run(article_id=pk)
        for pk in ArticleFile.objects.filter(index_state=IndexState.QUEUED).values_list("pk", flat=True):
            services.article_file_index_run(file_id=pk)


@pytest.fixture
def kb(workspace, owner):
    """A small helper bound to `workspace`: create categories/articles and index them."""

    class KB:
        def category(self, name, parent=None):
            return CategoryFactory(workspace=workspace, name=name, parent=parent)

        def article(self, title, body="", *, status="published", categories=(), index=True, **fields):
            article = ArticleFactory(
                workspace=workspace, actor=owner, title=title, body=body, status=status, categories=categories, **fields
            )
            if index:
                run_indexing(workspace.pk)
                article.refresh_from_db()
            return article

        def index(self):
            run_indexing(workspace.pk)

    return KB()


@pytest.fixture
def other_kb(other_workspace):
    owner = other_workspace.memberships.get().user

    class KB:
        def article(self, title, body="", *, status="published", categories=(), **fields):
            article = ArticleFactory(
                workspace=other_workspace,
                actor=owner,
                title=title,
                body=body,
                status=status,
                categories=categories,
                **fields,
            )
            run_indexing(other_workspace.pk)
            return article

        def category(self, name, parent=None):
            return CategoryFactory(workspace=other_workspace, name=name, parent=parent)

    return KB()
