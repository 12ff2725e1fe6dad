"""Text extraction: PDF (pypdf), DOCX (python-docx), HTML, Markdown and plain text → a `Document`.

A document is its plain text plus blocks (paragraphs and headings) that know their character
offsets in that text and their page, so chunks can cite exactly where they come from.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from knowledge.exceptions import ExtractionFailed

BLOCK_SEPARATOR = "\n\n"
EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    heading: str  # the heading this block sits under ("" before the first one)
    page: int | None
    is_heading: bool = False


@dataclass
class Document:
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    _heading: str = ""

    def add(self, text: str, *, page: int | None = None, heading_level: int = 0) -> None:
        text = _normalize(text)
        if not text:
            return
        if self.text:
            self.text += BLOCK_SEPARATOR
        start = len(self.text)
        self.text += text
        if heading_level:
            self._heading = text[:500]
        self.blocks.append(Block(start, len(self.text), self._heading, page, bool(heading_level)))


def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return text.strip()


def kind_for(filename: str, content_type: str = "") -> str | None:
    suffix = PurePath(filename).suffix.lower()
    if suffix:  # a named file is judged by its extension (browsers send text/plain for anything)
        return EXTENSIONS.get(suffix)
    return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def extract(data: bytes, *, filename: str = "", content_type: str = "") -> Document:
    """Extract a document; raises ExtractionFailed with a human-readable reason."""
    kind = kind_for(filename, content_type)
    if kind is None:
        raise ExtractionFailed(f"Unsupported file type: {filename or content_type or 'unknown'}")
    try:
        document = _EXTRACTORS[kind](data)
    except ExtractionFailed:
        raise
    except Exception as exc:  # parsers raise many kinds of errors on damaged files
        raise ExtractionFailed(f"Could not read the {kind.upper()} file: {exc.__class__.__name__}: {exc}") from exc
    if not document.text.strip():
        raise ExtractionFailed(f"No text found in the {kind.upper()} file (scanned images are not supported).")
    return document


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")  # pragma: no cover - latin-1 decodes everything


def extract_text(data: bytes) -> Document:
    document = Document()
    for paragraph in re.split(r"\n\s*\n", _decode(data)):
        document.add(paragraph)
    return document


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](.+?)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
]


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text


def extract_markdown(data: bytes) -> Document:
    document = Document()
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            document.add(_markdown_inline("\n".join(paragraph)))
            paragraph.clear()

    for line in _decode(data).splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _MD_HEADING.match(line)
        if heading:
            flush()
            document.add(_markdown_inline(heading.group(2)), heading_level=len(heading.group(1)))
        elif not line.strip() and not in_fence:
            flush()
        else:
            paragraph.append(line)
    flush()
    return document


_HTML_BLOCKS = {"p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "caption", "figcaption", "address"}
_HTML_CONTAINERS = {"div", "section", "article", "main", "body", "ul", "ol", "table", "tr", "tbody", "thead", "dl"}
_HTML_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form", "iframe"}


def extract_html(data: bytes | str) -> Document:
    import lxml.html  # noqa: PLC0415 (each parser loads when a file of its kind is first read: 40–130 ms)

    source = data if isinstance(data, str) else _decode(data)
    document = Document()
    if not source.strip():
        return document
    root = lxml.html.document_fromstring(source)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.lower() not in _HTML_SKIP:
            continue
        element.drop_tree()

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if re.fullmatch(r"h[1-6]", tag):
            document.add(element.text_content(), heading_level=int(tag[1]))
        elif tag in _HTML_BLOCKS:
            document.add(_inline_text(element))
        elif tag in _HTML_CONTAINERS or tag in {"html", ""}:
            pending = [element.text or ""]
            for child in element:
                child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
                if child_tag in _HTML_BLOCKS or child_tag in _HTML_CONTAINERS or re.fullmatch(r"h[1-6]", child_tag):
                    document.add("".join(pending))
                    pending = []
                    walk(child)
                else:
                    pending.append(_inline_text(child))
                pending.append(child.tail or "")
            document.add("".join(pending))
        else:
            document.add(_inline_text(element))

    walk(root)
    return document


def _inline_text(element) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return element.text_content()


def extract_pdf(data: bytes) -> Document:
    from pypdf import PdfReader  # noqa: PLC0415 (as above)
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionFailed("The PDF is encrypted.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ExtractionFailed(f"Could not read the PDF file: {exc}") from exc
    document = Document()
    for number, text in enumerate(pages, start=1):
        for paragraph in re.split(r"\n\s*\n", text):
            document.add(paragraph, page=number)
    return document


def extract_docx(data: bytes) -> Document:
    import docx  # noqa: PLC0415 (as above)

    source = docx.Document(io.BytesIO(data))
    document = Document()
    for paragraph in source.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = 0
        if style.lower().startswith("heading"):
            digits = re.findall(r"\d", style)
            level = int(digits[0]) if digits else 1
        elif style.lower() == "title":
            level = 1
        document.add(paragraph.text, heading_level=level)
    for table in source.tables:
        for row in table.rows:
            document.add(" | ".join(cell.text.strip() for cell in row.cells))
    return document


_EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "html": extract_html,
    "markdown": extract_markdown,
    "text": extract_text,
}
