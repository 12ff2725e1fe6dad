"""Chunking: a document's blocks → overlapping passages that cite their source precisely.

Chunks never cross a heading (each section is chunked on its own and the chunk keeps its heading),
end at sentence boundaries, and overlap their predecessor by up to `overlap` characters of whole
sentences. `document.text[chunk.start:chunk.end] == chunk.text` always holds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.extraction import Block, Document

_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+|\n+")


@dataclass(frozen=True)
class ChunkSpan:
    text: str
    start: int
    end: int
    heading: str
    page: int | None

    def content_hash(self, ts_config: str) -> str:
        """What decides whether a stored chunk (and its vectors) can be kept on re-indexing."""
        return hashlib.sha256(f"{ts_config}\x1f{self.heading}\x1f{self.text}".encode()).hexdigest()


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    heading: str
    page: int | None
    is_heading: bool


def _units(document: Document, block: Block, max_chars: int) -> list[_Unit]:
    """A block split into sentences, and over-long sentences split at spaces."""
    units: list[_Unit] = []
    text = document.text
    position = block.start
    pieces = [*_SENTENCE_END.finditer(text, block.start, block.end)]
    boundaries = [m.start() for m in pieces] + [block.end]
    next_starts = [m.end() for m in pieces]
    for index, boundary in enumerate(boundaries):
        start, end = position, boundary
        while end - start > max_chars:
            cut = text.rfind(" ", start, start + max_chars)
            cut = cut if cut > start else start + max_chars
            units.append(_Unit(start, cut, block.heading, block.page, block.is_heading))
            start = cut + 1 if text[cut : cut + 1] == " " else cut
        if end > start:
            units.append(_Unit(start, end, block.heading, block.page, block.is_heading))
        if index < len(next_starts):
            position = next_starts[index]
    return units


def chunk_document(document: Document, *, target: int = 900, overlap: int = 150) -> list[ChunkSpan]:
    units = [unit for block in document.blocks for unit in _units(document, block, target)]
    chunks: list[ChunkSpan] = []
    current: list[_Unit] = []

    def emit() -> None:
        if current and not all(u.is_heading for u in current):
            start, end = current[0].start, current[-1].end
            first_body = next(u for u in current if not u.is_heading)
            chunks.append(ChunkSpan(document.text[start:end], start, end, current[-1].heading, first_body.page))

    for unit in units:
        new_section = bool(current) and (unit.is_heading and not current[-1].is_heading)
        too_long = bool(current) and unit.end - current[0].start > target
        if new_section:
            emit()
            current = []
        elif too_long:
            emit()
            # Overlap: carry the previous chunk's last whole sentences (up to `overlap` characters).
            carried: list[_Unit] = []
            for previous in reversed(current):
                if previous.is_heading or current[-1].end - previous.start > overlap:
                    break
                carried.insert(0, previous)
            current = carried
        current.append(unit)
    emit()
    return chunks
