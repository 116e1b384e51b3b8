"""Small files of every accepted type, written by the tests themselves."""

from __future__ import annotations

import io
from pathlib import Path


def make_pdf(
    pages: list[list[tuple[float, str]]], *, header: str = "", footnotes: bool = True
) -> bytes:
    """A PDF whose page ``i`` draws the ``(font size, text)`` lines of ``pages[i]``, with a
    running ``header`` and the page number at the foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font_path = next(
        p
        for p in [
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            *sorted(Path("/usr/share/fonts").rglob("*.ttf")),
        ]
        if p.exists()
    )
    pdfmetrics.registerFont(TTFont("TestVi", str(font_path)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if header:
            c.setFont("TestVi", 9)
            c.drawString(70, height - 40, header)
        y = height - 80
        for size, text in lines:
            if size < 10 and footnotes:  # footnote lines go to the foot of the page
                continue
            c.setFont("TestVi", size)
            c.drawString(70, y, text)
            y -= size + 5
        notes = [(s, t) for s, t in lines if s < 10 and footnotes]
        y = 100
        for size, text in notes:
            c.setFont("TestVi", size)
            c.drawString(70, y, text)
            y -= size + 3
        c.setFont("TestVi", 9)
        c.drawString(width / 2, 40, str(number))
        c.showPage()
    c.save()
    return buf.getvalue()


def make_docx(paragraphs: list[str], *, title: str = "") -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
