"""The consolidated report as PDF (reportlab): the DOCX's content (``consolidated.report_body``)
in the Vietnamese administrative layout of Decree 30/2020/NĐ-CP: A4, the issuing body and the
national motto side by side, place and date, the title, sections numbered I, II, ..., tables
whose header repeats on every page, charts with captions, footnotes at the foot of the page
that calls them, page numbers at the top from the second page.

Fonts: DejaVu Serif, shipped with matplotlib (every Vietnamese letter; the system needs no
font package). It is embedded as a subset with its Unicode map, so the text can be searched
and copied from the PDF.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from caunoi.reporting.consolidated import (
    ISSUER,
    MOTTO,
    NOTE_MARKS,
    Consolidated,
    FigureBlock,
    Heading,
    Para,
    TableBlock,
    place_and_date,
    report_body,
    roman,
)

FONT = "CaunoiSerif"
_registered = False


def _fonts() -> None:
    global _registered
    if _registered:
        return
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        FONT: "DejaVuSerif.ttf",
        f"{FONT}-Bold": "DejaVuSerif-Bold.ttf",
        f"{FONT}-Italic": "DejaVuSerif-Italic.ttf",
        f"{FONT}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, f"{FONT}-Bold")
    addMapping(FONT, 0, 1, f"{FONT}-Italic")
    addMapping(FONT, 1, 1, f"{FONT}-BoldItalic")
    _registered = True


def write_pdf(data: Consolidated) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        Image,
        KeepTogether,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import HRFlowable

    from caunoi.core.charts import PRINT_DPI, render_png

    _fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=11.5,
        leading=15,
        alignment=TA_JUSTIFY,
        spaceAfter=5,
        firstLineIndent=0.8 * cm,
    )
    center = ParagraphStyle("center", body, alignment=TA_CENTER, firstLineIndent=0)
    head_cell = ParagraphStyle("head-cell", center, fontSize=10, leading=12.5, spaceAfter=0)
    heading = ParagraphStyle(
        "heading",
        body,
        fontName=f"{FONT}-Bold",
        firstLineIndent=0,
        spaceBefore=8,
        spaceAfter=4,
        keepWithNext=1,
    )
    bullet = ParagraphStyle(
        "bullet", body, firstLineIndent=0, leftIndent=0.9 * cm, bulletIndent=0.35 * cm
    )
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
    cell_head = ParagraphStyle(
        "cell-head", cell, fontName=f"{FONT}-Bold", fontSize=7.5, leading=9, alignment=TA_CENTER
    )
    cell_num = ParagraphStyle("cell-num", cell, alignment=TA_RIGHT)
    caption = ParagraphStyle(
        "caption", center, fontName=f"{FONT}-Italic", fontSize=10, leading=13, spaceAfter=8
    )
    note_style = ParagraphStyle("note", fontName=FONT, fontSize=8.5, leading=10.5)

    page_w, page_h = A4
    left, right, top, bottom = 3 * cm, 1.8 * cm, 2 * cm, 2 * cm
    width = page_w - left - right
    notes_h = 2.2 * cm  # room kept at the foot of each page for its footnotes

    class NoteCall(Flowable):  # type: ignore[misc]
        """Invisible: where it is drawn, its footnote goes to the foot of that page."""

        def __init__(self, mark: str, text: str) -> None:
            super().__init__()
            self.mark, self.text = mark, text

        def wrap(self, *args: Any) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            pending.append(f"{self.mark} {self.text}")

    pending: list[str] = []

    def on_page_end(canvas: Any, doc: Any) -> None:
        if pending:
            canvas.saveState()
            canvas.setLineWidth(0.5)
            canvas.line(left, bottom + notes_h, left + 5 * cm, bottom + notes_h)
            y = bottom + notes_h - 0.15 * cm
            for text in pending:
                p = Paragraph(text, note_style)
                _w, h = p.wrap(width, notes_h)
                p.drawOn(canvas, left, y - h)
                y -= h + 2
            canvas.restoreState()
            pending.clear()

    def on_page(canvas: Any, doc: Any) -> None:
        if doc.page > 1:  # Decree 30: the page number at the top, centred, from page 2
            canvas.saveState()
            canvas.setFont(FONT, 11)
            canvas.drawCentredString(page_w / 2, page_h - 1.2 * cm, str(doc.page))
            canvas.restoreState()

    frame = Frame(
        left,
        bottom + notes_h,
        width,
        page_h - top - bottom - notes_h,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=f"Báo cáo tổng hợp: {data.campaign.title_vi}",
        author=data.campaign.owner_unit.name_vi,
        creator="Cầu Nối",
        invariant=1,  # no creation date or random id: the same data gives the same file
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=on_page, onPageEnd=on_page_end)]
    )

    def esc(text: str) -> str:
        from xml.sax.saxutils import escape

        return escape(text)

    story: list[Any] = []
    issuer = Paragraph(
        f"{esc(ISSUER)}<br/><b>{esc(data.campaign.owner_unit.name_vi.upper())}</b>", head_cell
    )
    motto = Paragraph(f"<b>{esc(MOTTO[0])}</b><br/><b>{esc(MOTTO[1])}</b>", head_cell)
    rule = HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=2)
    motto_rule = HRFlowable(width="45%", thickness=0.6, color=colors.black, spaceBefore=2)
    masthead = Table(
        [[issuer, motto], [rule, motto_rule]],
        colWidths=[width * 0.42, width * 0.58],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    story += [masthead, Spacer(1, 0.3 * cm)]
    story.append(
        Paragraph(
            f"<i>{esc(place_and_date(data))}</i>",
            ParagraphStyle("place", body, alignment=TA_RIGHT, firstLineIndent=0),
        )
    )
    story.append(Spacer(1, 0.3 * cm))
    title = ParagraphStyle("title", center, fontName=f"{FONT}-Bold", fontSize=13.5, leading=18)
    story.append(Paragraph("BÁO CÁO TỔNG HỢP", title))
    story.append(Paragraph(f"<b>{esc(data.campaign.title_vi)}</b>", center))
    story.append(Spacer(1, 0.4 * cm))

    n = 0
    notes = 0
    for block in report_body(data):
        if isinstance(block, Heading):
            n += 1
            story.append(Paragraph(f"{roman(n)}. {esc(block.text.upper())}", heading))
        elif isinstance(block, Para):
            text = esc(block.text)
            if block.bold:
                text = f"<b>{text}</b>"
            if block.italic:
                text = f"<i>{text}</i>"
            call = None
            if block.note:
                mark = NOTE_MARKS[notes]
                notes += 1
                text += mark
                call = NoteCall(mark, esc(block.note))
            style = bullet if block.bullet else body
            story.append(Paragraph(text, style, bulletText="–" if block.bullet else None))
            if call is not None:
                story.append(call)
        elif isinstance(block, TableBlock):
            story.append(
                _table(
                    block, width, cell, cell_head, cell_num, Table, TableStyle, Paragraph, colors
                )
            )
            story.append(Spacer(1, 0.25 * cm))
        elif isinstance(block, FigureBlock):
            png = render_png(replace(block.chart, title=""), dpi=PRINT_DPI)  # the caption says it
            image = Image(io.BytesIO(png))
            scale = min(width * 0.95 / image.imageWidth, 1.0)
            image.drawWidth = image.imageWidth * scale
            image.drawHeight = image.imageHeight * scale
            if image.drawHeight > 12 * cm:  # a tall chart: shrink to fit half a page
                ratio = 12 * cm / image.drawHeight
                image.drawWidth *= ratio
                image.drawHeight *= ratio
            story.append(KeepTogether([image, Paragraph(esc(block.caption), caption)]))
    doc.build(story)
    return out.getvalue()


def _table(
    block: TableBlock,
    width: float,
    cell: Any,
    cell_head: Any,
    cell_num: Any,
    table: Any,
    table_style: Any,
    paragraph: Any,
    colors: Any,
) -> Any:
    """A table as wide as the text, the first column the widest, the header repeated."""
    from xml.sax.saxutils import escape

    columns = len(block.head)
    first = width * (0.2 if columns > 6 else 0.4)
    rest = (width - first) / max(columns - 1, 1)

    def numeric(text: str) -> bool:
        return (
            bool(text)
            and text.replace(".", "").replace(",", "").replace(" ", "").lstrip("-").isdigit()
        )

    # A number (or the dash of no value) beside the first column is a plain string, drawn
    # right-aligned by the table's style: it never wraps, and a Paragraph per cell made the
    # by-unit annex (thousands of figures) the slowest part of the PDF.
    rows: list[list[Any]] = [[paragraph(escape(h), cell_head) for h in block.head]]
    for row in block.rows:
        rows.append(
            [
                str(v)
                if i and (numeric(str(v)) or str(v) == "—")
                else paragraph(escape(str(v)), cell)
                for i, v in enumerate(row)
            ]
        )
    return table(
        rows,
        colWidths=[first, *([rest] * (columns - 1))],
        repeatRows=1,
        style=table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 1), (-1, -1), cell_num.fontName),
                ("FONTSIZE", (0, 1), (-1, -1), cell_num.fontSize),
                ("LEADING", (0, 1), (-1, -1), cell_num.leading),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
    )
