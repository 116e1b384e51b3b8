"""The consolidated report of a campaign: every indicator aggregated (by unit, unit type and
region, by its aggregation rule), narrative answers by section with the unit named, and the
completeness figures; written as XLSX (all the data) or DOCX (Vietnamese administrative style).

Only what units sent counts: each submission's latest submitted or approved version, so a
report returned and being corrected still counts with what was sent.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart
from caunoi.reporting.answers import display, is_empty
from caunoi.reporting.completeness import CATEGORIES, Completeness, Figures
from caunoi.reporting.models import (
    Aggregation,
    Campaign,
    CampaignUnit,
    Indicator,
    IndicatorKind,
    Region,
    SubmissionState,
    SubmissionVersion,
)
from caunoi.reporting.selectors import campaign_completeness

CATEGORY_VI = {
    "report_with_plan": "Có kế hoạch, có báo cáo",
    "report_without_plan": "Có báo cáo, chưa có kế hoạch",
    "plan_without_report": "Có kế hoạch, không có báo cáo",
    "neither": "Không có kế hoạch và báo cáo",
}
KIND_VI = dict((k, str(v)) for k, v in Unit.Kind.choices)
SENT_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


@dataclass
class Answer:
    unit: CampaignUnit
    kind: str
    value: Any


@dataclass
class IndicatorSummary:
    indicator: Indicator
    answers: list[Answer] = field(default_factory=list)

    def aggregate(self, answers: list[Answer] | None = None) -> Any:
        """The indicator's aggregation over these answers (all of them by default)."""
        values = [a.value for a in (self.answers if answers is None else answers)]
        rule, kind = self.indicator.aggregation, self.indicator.kind
        if rule == Aggregation.SUM and kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENT):
            return _round(sum(values))
        if rule == Aggregation.AVERAGE and kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENT):
            return _round(sum(values) / len(values)) if values else None
        if rule == Aggregation.COUNT:
            if kind == IndicatorKind.YESNO:
                return sum(1 for v in values if v is True)
            if kind == IndicatorKind.CHOICE:
                counts: dict[str, int] = defaultdict(int)
                for v in values:
                    counts[v] += 1
                labels = {c["value"]: c.get("label_vi", c["value"]) for c in self.indicator.choices}
                return "; ".join(f"{labels.get(k, k)}: {n}" for k, n in sorted(counts.items()))
            return len(values)
        return len(values)  # lists: the entries themselves are in the narrative part

    def by(self, key: str) -> dict[str, Any]:
        groups: dict[str, list[Answer]] = defaultdict(list)
        for a in self.answers:
            groups[getattr(a.unit, key)].append(a)
        return {k: self.aggregate(v) for k, v in sorted(groups.items())}


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


@dataclass
class Consolidated:
    campaign: Campaign
    completeness: Completeness
    units: list[CampaignUnit]
    indicators: list[IndicatorSummary]
    generated_at: Any
    # The annex on the evaluation (``charts.report_evaluation``): None when there is none.
    evaluation: dict[str, Any] | None = None

    @property
    def narrative(self) -> list[IndicatorSummary]:
        return [s for s in self.indicators if s.indicator.kind == IndicatorKind.TEXT]

    @property
    def measured(self) -> list[IndicatorSummary]:
        return [
            s
            for s in self.indicators
            if s.indicator.kind not in (IndicatorKind.TEXT, IndicatorKind.TABLE)
        ]


def consolidate(campaign: Campaign) -> Consolidated:
    """Gather a campaign's sent answers (a fixed number of queries)."""
    units = list(CampaignUnit.objects.filter(campaign=campaign).order_by("kind", "name_vi"))
    by_pk = {u.pk: u for u in units}
    latest: dict[int, SubmissionVersion] = {}
    for v in (
        SubmissionVersion.objects.filter(
            submission__campaign_unit__campaign=campaign, state__in=SENT_STATES
        )
        .select_related("submission")
        .order_by("submission_id", "-number")
    ):
        latest.setdefault(v.submission_id, v)
    indicators = list(
        Indicator.objects.filter(version=campaign.template_version)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )
    summaries = {i.code: IndicatorSummary(i) for i in indicators}
    for v in latest.values():
        unit = by_pk[v.submission.campaign_unit_id]
        for code, value in v.answers.items():
            if code in summaries and not is_empty(value):
                summaries[code].answers.append(Answer(unit, v.submission.kind, value))
    for s in summaries.values():
        s.answers.sort(key=lambda a: (a.unit.kind, a.unit.name_vi))
    from django.utils import translation

    from caunoi.reporting.charts import report_evaluation

    with translation.override("vi"):
        annex = report_evaluation(campaign)
    return Consolidated(
        campaign=campaign,
        completeness=campaign_completeness(campaign),
        units=units,
        indicators=list(summaries.values()),
        generated_at=timezone.localtime(),
        evaluation=annex,
    )


def _figures_row(label: str, f: Figures) -> list[Any]:
    return [
        label,
        f.expected,
        f.actual,
        f.actual_rate,
        f.on_time,
        f.on_time_rate,
        *(f.categories[c] for c in CATEGORIES),
    ]


FIGURES_HEAD = [
    "Nhóm",
    "Phải gửi",
    "Đã gửi",
    "Tỷ lệ (%)",
    "Đúng hạn",
    "Tỷ lệ đúng hạn (%)",
    *(CATEGORY_VI[c] for c in CATEGORIES),
]


def _figure_rows(data: Consolidated) -> list[list[Any]]:
    regions = dict(Region.choices)
    c = data.completeness
    rows = [_figures_row("Tất cả đơn vị", c.total)]
    rows += [_figures_row(KIND_VI.get(k, k), f) for k, f in sorted(c.by_kind.items())]
    rows += [_figures_row(str(regions.get(k, k or "—")), f) for k, f in sorted(c.by_region.items())]
    return rows


def write_xlsx(data: Consolidated) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tình hình gửi"
    sheet.append([data.campaign.title_vi])
    sheet.append(FIGURES_HEAD)
    for row in _figure_rows(data):
        sheet.append(row)
    for cell in sheet[2]:
        cell.font = bold

    measures = book.create_sheet("Chỉ tiêu")
    kinds = sorted({u.kind for u in data.units})
    regions = sorted({u.region for u in data.units})
    region_names = dict(Region.choices)
    measures.append(
        ["Mã", "Chỉ tiêu", "Đơn vị tính", "Cách tổng hợp", "Số đơn vị trả lời", "Tổng hợp"]
        + [KIND_VI.get(k, k) for k in kinds]
        + [str(region_names.get(r, r or "—")) for r in regions]
    )
    for s in data.measured:
        by_kind, by_region = s.by("kind"), s.by("region")
        ind = s.indicator
        measures.append(
            [
                ind.code,
                ind.label_vi,
                ind.unit,
                ind.get_aggregation_display(),
                len(s.answers),
                s.aggregate(),
            ]
            + [by_kind.get(k) for k in kinds]
            + [by_region.get(r) for r in regions]
        )
    for cell in measures[1]:
        cell.font = bold

    per_unit = book.create_sheet("Theo đơn vị")
    codes = [s.indicator for s in data.indicators]
    per_unit.append(
        ["Đơn vị", "Mã", "Loại đơn vị", "Vùng", "Loại văn bản"] + [i.code for i in codes]
    )
    answers: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for s in data.indicators:
        for a in s.answers:
            answers[(a.unit.pk, a.kind)][s.indicator.code] = a.value
    for unit in data.units:
        for kind in ("plan", "report"):
            got = answers.get((unit.pk, kind))
            if not got:
                continue
            per_unit.append(
                [
                    unit.name_vi,
                    unit.code,
                    KIND_VI.get(unit.kind, unit.kind),
                    str(region_names.get(unit.region, unit.region)),
                    "Kế hoạch" if kind == "plan" else "Báo cáo",
                ]
                + [_cell(i, got.get(i.code)) for i in codes]
            )
    for cell in per_unit[1]:
        cell.font = bold

    texts = book.create_sheet("Nội dung")
    texts.append(["Mục", "Nội dung", "Đơn vị", "Trả lời"])
    for s in data.narrative:
        for a in s.answers:
            texts.append([str(s.indicator.section), s.indicator.label_vi, a.unit.name_vi, a.value])
    for cell in texts[1]:
        cell.font = bold
    # openpyxl makes any text starting with "=" a formula: titles, labels and answers are
    # free text, so every such cell is written as a string.
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(indicator: Indicator, value: Any) -> Any:
    if value is None:
        return None
    if indicator.kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENT) and not isinstance(
        value, bool
    ):
        return value
    return display(indicator, value)


def roman(n: int) -> str:
    """Section numbers of administrative documents: 1 → I, 14 → XIV."""
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


# --- the report's content, shared by the DOCX and the PDF --------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str  # numbered by the writer: I, II, ...


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    bullet: bool = False
    note: str = ""  # a footnote to this paragraph


@dataclass(frozen=True)
class TableBlock:
    head: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FigureBlock:
    chart: Chart
    caption: str  # "Biểu đồ 1. ..."


Block = Heading | Para | TableBlock | FigureBlock

COMPLETENESS_NOTE = (
    "Đơn vị phải gửi là đơn vị thuộc đợt báo cáo vào ngày hết hạn; đúng hạn tính theo lần "
    "gửi đầu tiên, trong thời gian gia hạn."
)


def report_body(data: Consolidated) -> list[Block]:
    """What the DOCX and the PDF say after their heading, in order (in Vietnamese)."""
    from django.utils import translation

    from caunoi.reporting.charts import campaign_charts

    c = data.completeness.total
    blocks: list[Block] = [Heading("Tình hình gửi báo cáo")]
    blocks.append(
        Para(
            f"Có {c.actual}/{c.expected} đơn vị gửi kế hoạch hoặc báo cáo, chiếm "
            f"{_vi_number(c.actual_rate)}%; {c.on_time} đơn vị gửi đúng hạn (đến ngày "
            f"{data.campaign.timely_until:%d/%m/%Y}). Trong đó: "
            + "; ".join(f"{CATEGORY_VI[k].lower()}: {c.categories[k]}" for k in CATEGORIES)
            + ".",
            note=COMPLETENESS_NOTE,
        )
    )
    blocks.append(TableBlock(FIGURES_HEAD, [[_fmt(v) for v in row] for row in _figure_rows(data)]))
    with translation.override("vi"):
        charts = campaign_charts(data.completeness)
    number = 0
    for chart in (ch for ch in charts if not ch.empty):
        number += 1
        blocks.append(FigureBlock(chart, f"Biểu đồ {number}. {chart.title}"))

    blocks.append(Heading("Tổng hợp các chỉ tiêu"))
    rows = []
    for s in data.measured:
        ind = s.indicator
        rows.append(
            [
                ind.label_vi,
                ind.unit,
                ind.get_aggregation_display(),
                str(len(s.answers)),
                _fmt(s.aggregate()),
            ]
        )
    blocks.append(
        TableBlock(["Chỉ tiêu", "Đơn vị tính", "Cách tổng hợp", "Số đơn vị", "Tổng hợp"], rows)
    )

    sections: dict[str, list[IndicatorSummary]] = defaultdict(list)
    for s in data.narrative:
        sections[str(s.indicator.section)].append(s)
    for section, items in sections.items():
        blocks.append(Heading(section))
        for s in items:
            blocks.append(Para(s.indicator.label_vi, bold=True))
            for a in s.answers[:_EXCERPTS]:
                blocks.append(Para(f"{a.unit.name_vi}: {_excerpt(a.value)}", bullet=True))
            if len(s.answers) > _EXCERPTS:
                blocks.append(
                    Para(
                        f"(và {len(s.answers) - _EXCERPTS} đơn vị khác; xem bảng dữ liệu XLSX)",
                        italic=True,
                    )
                )
    if data.evaluation is not None:
        with translation.override("vi"):  # the criteria' names
            blocks += _evaluation_annex(data.evaluation, first=number + 1)
    return blocks


EVALUATION_HEADING = "Phụ lục: Đánh giá hiệu quả hợp tác quốc tế"


def _evaluation_annex(annex: dict[str, Any], *, first: int) -> list[Block]:
    """The annex: the criteria set's score with its formula, then the evaluation charts
    (the same ``Chart``s as the evaluation pages), numbered after the report's own."""
    blocks: list[Block] = [Heading(EVALUATION_HEADING)]
    cs, result = annex["criteria_set"], annex["result"]
    if cs is not None and result is not None:
        score = result.score.score
        blocks.append(
            Para(
                f"Bộ tiêu chí “{cs.title_vi}” (kỳ {cs.period_start:%d/%m/%Y}–"
                f"{cs.period_end:%d/%m/%Y}), theo các tiêu chí đánh giá của OECD DAC: điểm chung "
                + ("chưa tính được" if score is None else f"{_vi_number(round(score, 1))}/100")
                + f" ({result.score.formula}).",
                note="Điểm chỉ số: min(giá trị / mục tiêu; 1) × 100 khi càng cao càng tốt; điểm "
                "tiêu chí và điểm chung là trung bình có trọng số của các điểm có giá trị. Số liệu "
                "lấy từ dữ liệu trên nền tảng hoặc giá trị nhập kèm minh chứng; chi tiết và minh "
                "chứng xem tại trang đánh giá.",
            )
        )
        from caunoi.core.indicators import indicator_source

        rows = []
        for c in result.criteria:
            value = "chưa có giá trị" if c.score.score is None else _vi_number(c.score.score)
            blocks.append(Para(f"{c.criterion}: {value} ({c.score.formula})", bullet=True))
            for r in c.indicators:
                ind = r.indicator
                if ind.source_key:
                    source = indicator_source(ind.source_key)
                    origin = source.label_vi if source is not None else ind.source_key
                    origin += f" ({len(r.value.evidence) + r.value.truncated} hồ sơ)"
                elif r.entry is not None:
                    origin = f"Nhập kèm minh chứng: {r.entry.note}"
                    if r.entry.evidence_url:
                        origin += f" ({r.entry.evidence_url})"
                else:
                    origin = "Nhập kèm minh chứng: chưa có giá trị"
                rows.append(
                    [
                        str(c.criterion),
                        ind.label_vi,
                        _fmt(r.value.value),
                        ("≥ " if ind.higher_is_better else "≤ ") + _fmt(float(ind.target)),
                        _fmt(r.score.score),
                        r.score.formula,
                        origin,
                    ]
                )
        blocks.append(
            TableBlock(
                ["Tiêu chí", "Chỉ số", "Giá trị", "Mục tiêu", "Điểm", "Công thức", "Nguồn"], rows
            )
        )
    for number, chart in enumerate(annex["charts"], start=first):
        caption = f"Biểu đồ {number}. {chart.title}"
        if chart.source:
            caption += f" (nguồn: {chart.source})"
        blocks.append(FigureBlock(chart, caption))
    return blocks


def place_and_date(data: Consolidated) -> str:
    date = data.generated_at
    return f"Hà Nội, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}"


ISSUER = "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def write_docx(data: Consolidated) -> bytes:
    """A report in the Vietnamese administrative layout: the issuing body and the national
    motto side by side, the title, numbered sections (I, II, ...), tables, charts with their
    captions (PNG at print resolution), notes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from caunoi.core.charts import PRINT_DPI, render_png

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    _lines(left, [ISSUER, data.campaign.owner_unit.name_vi.upper()], bold_from=1)
    _lines(right, list(MOTTO), bold_from=0)
    place = doc.add_paragraph(place_and_date(data))
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    place.runs[0].italic = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("BÁO CÁO TỔNG HỢP")
    run.bold = True
    sub = doc.add_paragraph(data.campaign.title_vi)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.runs[0].bold = True

    n = 0
    notes: list[str] = []
    for block in report_body(data):
        if isinstance(block, Heading):
            n += 1
            doc.add_paragraph().add_run(f"{roman(n)}. {block.text.upper()}").bold = True
        elif isinstance(block, Para):
            text = block.text
            if block.note:
                notes.append(block.note)
                text += NOTE_MARKS[len(notes) - 1]
            p = doc.add_paragraph(style="List Bullet" if block.bullet else None)
            run = p.add_run(text)
            run.bold, run.italic = block.bold, block.italic
        elif isinstance(block, TableBlock):
            _table(doc, block.head, block.rows)
        else:
            # untitled: the caption under it says what it is
            png = render_png(replace(block.chart, title=""), dpi=PRINT_DPI)
            doc.add_picture(io.BytesIO(png), width=Cm(16))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = caption.add_run(block.caption)
            run.italic = True
            run.font.size = Pt(11)
    for i, text in enumerate(notes):
        note = doc.add_paragraph(f"{NOTE_MARKS[i]} {text}")
        note.runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_EXCERPTS = 10


def _excerpt(text: Any, limit: int = 400) -> str:
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1].rsplit(" ", 1)[0] + "…"


def _vi_number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _lines(cell: Any, lines: list[str], *, bold_from: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.paragraphs[0].text = ""
    for i, text in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = i >= bold_from


def _table(doc: Any, head: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
