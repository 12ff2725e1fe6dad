from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from billing.services import plan_usage_changed, storage_quota_check
from knowledge.exceptions import FileRejected
from knowledge.extraction import kind_for
from knowledge.models import Article, ArticleFile
from knowledge.selectors import kb_storage_bytes
from knowledge.services.indexing import article_file_index_request


def delete_stored_files_on_commit(names: list[str]) -> None:
    """Remove storage objects only once the rows pointing at them are really gone."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def article_file_upload(*, article: Article, upload: UploadedFile, actor: User | None) -> ArticleFile:
    """Attach a file (PDF, DOCX, HTML, Markdown, TXT) to an article and queue it for indexing."""
    name = PurePath(upload.name or "file").name[:255]
    limit = settings.KNOWLEDGE_MAX_FILE_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise FileRejected(f"The file is larger than {settings.KNOWLEDGE_MAX_FILE_MB} MB.", limit_bytes=limit)
    if kind_for(name, upload.content_type or "") is None:
        raise FileRejected("Supported files: PDF, DOCX, HTML, Markdown and plain text.")
    workspace = article.workspace
    storage_quota_check(
        workspace=workspace, adding_bytes=upload.size or 0, used_bytes=lambda: kb_storage_bytes(workspace=workspace)
    )
    digest = hashlib.sha256()
    for piece in upload.chunks():
        digest.update(piece)
    upload.seek(0)
    attached = ArticleFile(
        workspace_id=article.workspace_id,
        article=article,
        name=name,
        content_type=(upload.content_type or "")[:120],
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attached.file.save(name, upload, save=False)
    attached.save()
    article_file_index_request(file=attached)
    return attached


@transaction.atomic
def article_file_delete(*, file: ArticleFile) -> None:
    """Delete an attached file: its chunks and vectors go with the row, the object after commit."""
    delete_stored_files_on_commit([file.file.name])
    file.delete()
    plan_usage_changed(file.workspace_id)  # the plan's storage shows the room it freed
