from __future__ import annotations

import csv
import hashlib
import io
from datetime import timedelta
from html import escape
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User, Workspace
from knowledge.exceptions import CsvImportInvalid, ExtractionFailed
from knowledge.extraction import extract
from knowledge.fetch import fetch_page
from knowledge.models import Article, ArticleFile, Category
from knowledge.services.articles import article_create, article_update
from knowledge.services.files import article_file_upload

CSV_MAX_ROWS = 5000


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


@transaction.atomic
def article_import_csv(
    *,
    workspace: Workspace,
    actor: User | None,
    data: bytes,
    categories: list[Category],
    status: str,
    language: str = "",
) -> list[Article]:
    """Create one FAQ article per row of a `question,answer[,tags]` CSV (header row required)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportInvalid("The CSV file must be UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    if "question" not in fields or "answer" not in fields:
        raise CsvImportInvalid("The first row must name the columns: question, answer (and optionally tags).")
    created = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > CSV_MAX_ROWS:
            raise CsvImportInvalid(f"At most {CSV_MAX_ROWS} rows can be imported at once.")
        question = (row.get(fields["question"]) or "").strip()
        answer = (row.get(fields["answer"]) or "").strip()
        if not question and not answer:
            continue
        if not question or not answer:
            raise CsvImportInvalid(f"Row {number} needs both a question and an answer.", row=number)
        tags = (row.get(fields["tags"]) or "").replace(";", ",").split(",") if "tags" in fields else []
        created.append(
            article_create(
                workspace=workspace,
                actor=actor,
                title=question[:300],
                body=_paragraphs(answer),
                status=status,
                language=language,
                tags=tags,
                categories=categories,
                source=Article.Source.FAQ,
            )
        )
    if not created:
        raise CsvImportInvalid("The CSV file has no rows.")
    return created


def title_from_file_name(name: str) -> str:
    """An article's title from its file's name: "delivery_terms-2026.pdf" → "delivery terms-2026"."""
    stem = PurePath(name).stem.replace("_", " ").strip()
    return " ".join(stem.split())[:300] or name[:300]


@transaction.atomic
def article_import_file(
    *,
    workspace: Workspace,
    actor: User | None,
    upload: UploadedFile,
    categories: list[Category],
    status: str = Article.Status.PUBLISHED,
    language: str = "",
) -> ArticleFile:
    """A new article holding one uploaded file, titled after the file; both are queued for
    indexing. A file that cannot be attached creates nothing."""
    article = article_create(
        workspace=workspace,
        actor=actor,
        title=title_from_file_name(upload.name or "file"),
        status=status,
        language=language,
        categories=categories,
        source=Article.Source.FILE,
    )
    return article_file_upload(article=article, upload=upload, actor=actor)


def _page_article_fields(url: str) -> tuple[str, str, str]:
    """(title, sanitized-ready HTML body, content hash) of a fetched page."""
    page = fetch_page(url)
    document = extract(page.data, filename="", content_type=page.content_type)
    if not document.text.strip():  # pragma: no cover - extract() raises first
        raise ExtractionFailed("The page has no text.")
    title = ""
    if page.content_type in ("text/html", "application/xhtml+xml"):
        import lxml.html  # noqa: PLC0415 (40 ms to import: only when a page is imported)

        found = lxml.html.document_fromstring(page.data).findtext(".//title")
        title = (found or "").strip()
    headings = [document.text[b.start : b.end] for b in document.blocks if b.is_heading]
    title = (title or (headings[0] if headings else url))[:300]
    body = "".join(
        f"<h2>{escape(document.text[b.start : b.end])}</h2>"
        if b.is_heading
        else _paragraphs(document.text[b.start : b.end])
        for b in document.blocks
    )
    return title, body, hashlib.sha256(document.text.encode()).hexdigest()


def article_import_url(
    *,
    workspace: Workspace,
    actor: User | None,
    url: str,
    categories: list[Category],
    status: str,
    language: str = "",
    resync: bool = False,
) -> Article:
    """Fetch a public web page (SSRF-safe, limited) and create an article from its text."""
    title, body, digest = _page_article_fields(url)
    with transaction.atomic():
        article = article_create(
            workspace=workspace,
            actor=actor,
            title=title,
            body=body,
            status=status,
            language=language,
            categories=categories,
            source=Article.Source.URL,
            source_url=url,
            url_resync=resync,
        )
        Article.objects.filter(pk=article.pk).update(url_content_hash=digest, url_synced_at=timezone.now())
        article.refresh_from_db()
    return article


def article_url_resync(*, article: Article) -> bool:
    """Fetch an imported page again; update (and re-index) the article when the page changed."""
    title, body, digest = _page_article_fields(article.source_url)
    with transaction.atomic():
        changed = digest != article.url_content_hash
        if changed:
            article_update(article=article, actor=None, title=title, body=body)
        Article.objects.filter(pk=article.pk).update(url_content_hash=digest, url_synced_at=timezone.now())
    return changed


def articles_due_for_resync() -> list[tuple[int, int]]:
    """(workspace id, article id) of imported pages due a re-sync (ops: reads across workspaces)."""
    cutoff = timezone.now() - timedelta(hours=settings.KNOWLEDGE_URL_RESYNC_HOURS)
    return list(
        Article.objects.unscoped_across_workspaces()
        .filter(url_resync=True)
        .filter(Q(url_synced_at__lt=cutoff) | Q(url_synced_at__isnull=True))
        .values_list("workspace_id", "pk")[:1000]
    )
