"""Each file type is extracted (fixtures are generated here), and chunks cite the right text."""

from __future__ import annotations

import io

import pytest

from knowledge.chunking import chunk_document
from knowledge.exceptions import ExtractionFailed
from knowledge.extraction import extract


def make_pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF with one text line per page (Helvetica, ASCII)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content_id = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content_id} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Returns", level=1)
    document.add_paragraph("Items can be returned within 30 days.")
    document.add_heading("Warranty", level=2)
    document.add_paragraph("The warranty lasts two years.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ExtractionTests:
    def test_pdf_pages(self):
        document = extract(make_pdf(["Delivery takes five days", "Refunds within thirty days"]), filename="faq.pdf")
        assert "Delivery takes five days" in document.text
        assert [b.page for b in document.blocks] == [1, 2]

    def test_docx_headings(self):
        document = extract(make_docx(), filename="policy.docx")
        assert "Items can be returned within 30 days." in document.text
        body = [b for b in document.blocks if not b.is_heading]
        assert [b.heading for b in body] == ["Returns", "Warranty"]

    def test_html_drops_scripts_and_keeps_headings(self):
        html = (
            b"<html><head><title>x</title><script>alert(1)</script></head>"
            b"<body><h1>Pay</h1><p>Visa <b>and</b> cash.</p></body></html>"
        )
        document = extract(html, filename="page.html")
        assert "alert" not in document.text
        assert document.text == "Pay\n\nVisa and cash."
        assert document.blocks[1].heading == "Pay"

    def test_markdown(self):
        md = "# Shipping\n\nWe ship **worldwide** via [DHL](https://dhl.com).\n\n## Costs\n\n- Free over $50\n"
        document = extract(md.encode(), filename="ship.md")
        assert "We ship worldwide via DHL." in document.text
        assert document.blocks[-1].heading == "Costs"

    def test_text_and_cp1251(self):
        document = extract("Привет\n\nмир".encode("cp1251"), filename="a.txt")
        assert document.text == "Привет\n\nмир"

    def test_damaged_and_unsupported_files_fail_with_a_reason(self):
        with pytest.raises(ExtractionFailed, match="PDF"):
            extract(b"%PDF-1.4 garbage", filename="broken.pdf")
        with pytest.raises(ExtractionFailed, match="Unsupported"):
            extract(b"MZ", filename="tool.exe")


class ChunkingTests:
    def test_chunks_cite_exact_text_with_heading_page_and_overlap(self):
        from knowledge.extraction import Document

        document = Document()
        document.add("Returns", heading_level=1)
        sentences = [f"Sentence number {i} explains a return rule in detail." for i in range(40)]
        document.add(" ".join(sentences), page=3)
        document.add("Warranty", heading_level=1)
        document.add("Two years of warranty.", page=4)
        chunks = chunk_document(document, target=400, overlap=120)
        assert len(chunks) > 3
        for chunk in chunks:
            assert document.text[chunk.start : chunk.end] == chunk.text
            assert len(chunk.text) <= 400 + 60
        assert chunks[0].heading == "Returns" and chunks[0].page == 3
        assert chunks[-1].heading == "Warranty" and chunks[-1].page == 4 and "Two years" in chunks[-1].text
        assert chunks[1].start < chunks[0].end, "neighbouring chunks overlap"
        assert not any("Warranty" in c.text and "return rule" in c.text for c in chunks), "no chunk crosses a heading"
