"""Writes of the knowledge app. Other apps import from here (`knowledge.services`)."""

from knowledge.services.articles import (
    article_create,
    article_delete,
    article_relation_add,
    article_relation_remove,
    article_update,
    sanitize_html,
)
from knowledge.services.categories import category_create, category_delete, category_update
from knowledge.services.embedding import embedding_provider_change, reembed_run
from knowledge.services.files import article_file_delete, article_file_upload
from knowledge.services.imports import (
    article_import_csv,
    article_import_file,
    article_import_url,
    article_url_resync,
)
from knowledge.services.indexing import (
    article_file_index_run,
    article_index_run,
    index_retry,
    index_sweep_stuck,
)
from knowledge.vector_store import knowledge_settings_get

__all__ = [
    "article_create",
    "article_delete",
    "article_file_delete",
    "article_file_index_run",
    "article_file_upload",
    "article_import_csv",
    "article_import_file",
    "article_import_url",
    "article_index_run",
    "article_relation_add",
    "article_relation_remove",
    "article_update",
    "article_url_resync",
    "category_create",
    "category_delete",
    "category_update",
    "embedding_provider_change",
    "index_retry",
    "index_sweep_stuck",
    "knowledge_settings_get",
    "reembed_run",
    "sanitize_html",
]
