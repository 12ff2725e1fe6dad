"""The knowledge app's domain errors. `code` values are a stable API."""

from agent_platform.errors import Conflict, InvalidInput, NotFound


class CategoryHasArticles(Conflict):
    code, title = "category_has_articles", "The category still holds articles"


class CategoryCannotMoveArticles(Conflict):
    code, title = "category_has_no_parent", "A top-level category has no parent to move its articles to"


class CategoryCycle(InvalidInput):
    code, title = "category_cycle", "A category cannot be moved under itself or its descendants"


class CategoryNameTaken(Conflict):
    code, title = "category_name_taken", "A sibling category already has this name"


class ArticleRelationInvalid(InvalidInput):
    code, title = "article_relation_invalid", "Invalid article relation"


class ArticleRelationExists(Conflict):
    code, title = "article_relation_exists", "The articles are already related this way"


class FileRejected(InvalidInput):
    code, title = "file_rejected", "The file cannot be attached"


class FileMissing(NotFound):
    code, title = "file_missing", "The stored file is missing"


class ExtractionFailed(InvalidInput):
    """Text could not be extracted from a file or page; the message is shown as the index error."""

    code, title = "extraction_failed", "Text could not be extracted"


class NotRetryable(Conflict):
    code, title = "index_not_retryable", "Only failed or ready items can be re-indexed"


class CsvImportInvalid(InvalidInput):
    code, title = "csv_import_invalid", "The CSV file cannot be imported"


class UrlRejected(InvalidInput):
    code, title = "url_rejected", "This address cannot be fetched"


class UrlFetchFailed(InvalidInput):
    """The page the client named could not be fetched: their address, not our failure (no 5xx)."""

    status, code, title = 422, "url_fetch_failed", "The page could not be fetched"


class EmbeddingProviderInvalid(InvalidInput):
    code, title = "embedding_provider_invalid", "Unknown or unsupported embedding provider"
