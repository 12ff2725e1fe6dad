from __future__ import annotations

from typing import Literal

from django.db import IntegrityError, transaction

from accounts.models import Workspace
from knowledge.exceptions import CategoryCannotMoveArticles, CategoryCycle, CategoryHasArticles, CategoryNameTaken
from knowledge.models import ArticleCategory, Category
from knowledge.services.indexing import articles_filters_sync

OnArticles = Literal["refuse", "move_to_parent"]


def _save(category: Category) -> Category:
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise CategoryNameTaken(f"A sibling category is already named {category.name!r}.") from None
    return category


def _descendant_ids(category: Category) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [category.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def category_create(
    *, workspace: Workspace, name: str, parent: Category | None = None, order: int = 0, description: str = ""
) -> Category:
    """Create a category, at the top level or under `parent`."""
    return _save(Category(workspace=workspace, name=name, parent=parent, order=order, description=description))


def category_update(*, category: Category, **fields) -> Category:
    """Rename, re-describe, reorder or move a category (moving under its own subtree is refused)."""
    if "parent" in fields:
        parent = fields["parent"]
        if parent is not None and (parent.pk == category.pk or parent.pk in _descendant_ids(category)):
            raise CategoryCycle()
    for name, value in fields.items():
        setattr(category, name, value)
    # Chunks store their article's own category ids, not ancestors (search expands descendants
    # at query time), so a move needs no re-indexing.
    return _save(category)


@transaction.atomic
def category_delete(*, category: Category, on_articles: OnArticles = "refuse") -> None:
    """Delete a category. Its sub-categories move up to its parent. Its articles either block the
    deletion (`refuse`) or move to the parent (`move_to_parent`); no article is ever left without
    the categories it had unless it still has another one."""
    links = list(ArticleCategory.objects.filter(category=category).select_related("article"))
    if links and on_articles == "refuse":
        raise CategoryHasArticles(
            f"{len(links)} article(s) are in this category; move them or delete with on_articles=move_to_parent.",
            article_count=len(links),
        )
    if links and category.parent_id is None:
        only_here = [
            link.article_id
            for link in links
            if not ArticleCategory.objects.filter(article_id=link.article_id).exclude(category=category).exists()
        ]
        if only_here:
            raise CategoryCannotMoveArticles(article_count=len(only_here))
    parent = category.parent
    if links and parent is not None:
        already = set(ArticleCategory.objects.filter(category=parent).values_list("article_id", flat=True))
        ArticleCategory.objects.bulk_create(
            [
                ArticleCategory(workspace_id=category.workspace_id, article_id=link.article_id, category=parent)
                for link in links
                if link.article_id not in already
            ]
        )
    for child in Category.objects.filter(parent=category):
        child.parent = parent
        _save(child)
    ArticleCategory.objects.filter(category=category).delete()
    category.delete()
    if links:
        articles_filters_sync(article_ids=[link.article_id for link in links])
