"""Knowledge-base categories and articles, made by the knowledge services inside their workspace's
scope, as the API makes them."""

from __future__ import annotations

import factory

from agent_platform.tenancy import workspace_scope
from knowledge.models import Article, Category
from knowledge.services import article_create, article_index_run, category_create
from tests.accounts.factories import WorkspaceFactory


class CategoryFactory(factory.Factory):
    """A category made by `category_create` (top level unless `parent` is given)."""

    class Meta:
        model = Category

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, workspace, **fields):
        with workspace_scope(workspace.pk):
            return category_create(workspace=workspace, **fields)


class ArticleFactory(factory.Factory):
    """A published article made by `article_create`, which queues it for indexing (on commit).
    `indexed=True` also runs the indexing here and now, as the `indexing` worker would."""

    class Meta:
        model = Article

    workspace = factory.SubFactory(WorkspaceFactory)
    actor = None
    indexed = False
    title = factory.Sequence(lambda n: f"Article {n}")
    body = ""
    status = Article.Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, workspace, indexed, **fields):
        with workspace_scope(workspace.pk):
            article = article_create(workspace=workspace, **fields)
            if indexed:
                article_index_run(article_id=article.pk)
                article.refresh_from_db()
        return article
