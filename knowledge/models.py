"""Knowledge base: a category tree, articles, their files and relations, and the indexed chunks."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from agent_platform.tenancy import WorkspaceOwned


class Category(WorkspaceOwned):
    """A node of a workspace's knowledge-base tree (table 14). Agents are scoped to categories."""

    name = models.CharField(max_length=150)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.IntegerField(default=0)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "kb_categories"
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            # Sibling names are unique case-insensitively; roots (parent NULL) get their own
            # constraint because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                "workspace",
                "parent",
                Lower("name"),
                name="kb_category_sibling_name_unique",
                condition=models.Q(parent__isnull=False),
            ),
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="kb_category_root_name_unique",
                condition=models.Q(parent__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["workspace", "parent", "order"], name="kb_category_tree_idx")]

    def __str__(self) -> str:
        return self.name
