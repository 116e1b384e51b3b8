"""The consolidated report of a campaign: every indicator aggregated (overall, by unit type,
by region and by unit, by its aggregation rule; a table indicator by each of its number
columns, its rows listed with the unit named), narrative answers by section with the unit
named, the completeness figures and the charts; written as XLSX (all the data) or DOCX
(Vietnamese administrative style, real Word footnotes).

Only what units sent counts: each submission's latest submitted or approved version, so a
report returned and being corrected still counts with what was sent; and only the units
expected by the campaign (``completeness.is_expected``: a unit removed before the deadline
counts in neither the completeness nor the indicators).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.utils import timezone

from caunoi.accounts.models import Unit
from caunoi.core.charts import Chart
from caunoi.reporting.answers import display, is_empty
from caunoi.reporting.completeness import CATEGORIES, Completeness, Figures, is_expected
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
    """One row of the aggregated tables: an indicator, or one number column of a table
    indicator (``column``), with the answers of the units that gave one."""

    indicator: Indicator
    answers: list[Answer] = field(default_factory=list)
    # A table indicator's number column ({"code", "label_vi", "kind"}): the row aggregates
    # that column over every row the units sent.
    column: dict[str, Any] | None = None

    @property
    def code(self) -> str:
        return self.indicator.code + (f".{self.column['code']}" if self.column else "")

    @property
    def label_vi(self) -> str:
        label = self.indicator.label_vi
        return (
            f"{label}: {self.column.get('label_vi') or self.column['code']}"
            if self.column
            else label
        )

    @property
    def rule_label(self) -> str:
        if self.column is not None:
            return str(_column_rule(self.indicator).label)
        return str(self.indicator.get_aggregation_display())

    def aggregate(self, answers: list[Answer] | None = None) -> Any:
        """The indicator's aggregation over these answers (all of them by default)."""
        chosen = self.answers if answers is None else answers
        if self.column is not None:
            return _aggregate_column(self.indicator, self.column["code"], chosen)
        values = [a.value for a in chosen]
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


def _column_rule(indicator: Indicator) -> Aggregation:
    """How a table's number columns aggregate: the mean of every row with ``average``, else
    their sum (``sum``, and ``count`` / ``list``, whose rows are listed in the annex)."""
    return Aggregation.AVERAGE if indicator.aggregation == Aggregation.AVERAGE else Aggregation.SUM


def _aggregate_column(indicator: Indicator, column: str, answers: list[Answer]) -> Any:
    values = [
        row[column]
        for a in answers
        for row in (a.value if isinstance(a.value, list) else [])
        if isinstance(row, dict)
        and isinstance(row.get(column), int | float)
        and not isinstance(row.get(column), bool)
    ]
    if _column_rule(indicator) == Aggregation.AVERAGE:
        return _round(sum(values) / len(values)) if values else None
    return _round(sum(values))


def number_columns(indicator: Indicator) -> list[dict[str, Any]]:
    return [c for c in indicator.columns if c.get("kind") == "number"]


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


@dataclass
class Consolidated:
    campaign: Campaign
    completeness: Completeness
    # The units expected by the campaign (removed before the deadline: left out).
    units: list[CampaignUnit]
    indicators: list[IndicatorSummary]
    generated_at: Any
    # The annex on the evaluation (``charts.report_evaluation``): None when there is none.
    evaluation: dict[str, Any] | None = None
    # The registry's agreements by partner country and by field (the dashboard's charts),
    # as the report's reader may read them; empty charts left out.
    agreements: list[Chart] = field(default_factory=list)

    @property
    def narrative(self) -> list[IndicatorSummary]:
        return [s for s in self.indicators if s.indicator.kind == IndicatorKind.TEXT]

    @property
    def tables(self) -> list[IndicatorSummary]:
        """The table indicators whose rows the units sent."""
        return [s for s in self.indicators if s.indicator.kind == IndicatorKind.TABLE]

    @cached_property
    def measured(self) -> list[IndicatorSummary]:
        """The rows of the aggregated tables (``measured_rows``)."""
        return measured_rows(self.indicators)


def measured_rows(summaries: Iterable[IndicatorSummary]) -> list[IndicatorSummary]:
    """The rows of the aggregated tables, in the template's order: every indicator but
    narrative text, a table indicator as one row per number column. The report and the
    campaign's Indicators page both show these rows."""
    out: list[IndicatorSummary] = []
    for s in summaries:
        kind = s.indicator.kind
        if kind == IndicatorKind.TEXT:
            continue
        if kind == IndicatorKind.TABLE:
            out += [
                IndicatorSummary(s.indicator, s.answers, column=c)
                for c in number_columns(s.indicator)
            ]
        else:
            out.append(s)
    return out


def expected_units(campaign: Campaign) -> list[CampaignUnit]:
    """The campaign's units expected on its deadline (``completeness.is_expected``, the rule
    of completeness), by kind and name: the only units whose answers count."""
    return [
        u
        for u in CampaignUnit.objects.filter(campaign=campaign).order_by("kind", "name_vi")
        if is_expected(u.added_on, u.removed_on, campaign.deadline)
    ]


def consolidate(campaign: Campaign, *, reader: Any = None) -> Consolidated:
    """Gather a campaign's sent answers (a fixed number of queries), from the units it
    expects only. ``reader`` (a user, or a ``core.audience.Reader``; None: the public) is whom
    the agreements charts count for: the report job passes the user who started it, the
    command line an operator who reads everything."""
    units = expected_units(campaign)
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
        unit = by_pk.get(v.submission.campaign_unit_id)
        if unit is None:  # not expected: removed before the deadline
            continue
        for code, value in v.answers.items():
            if code in summaries and not is_empty(value):
                summaries[code].answers.append(Answer(unit, v.submission.kind, value))
    for s in summaries.values():
        s.answers.sort(key=lambda a: (a.unit.kind, a.unit.name_vi))
    from django.utils import translation

    from caunoi.registry.sections import agreement_charts
    from caunoi.reporting.charts import report_evaluation

    with translation.override("vi"):
        annex = report_evaluation(campaign)
        agreements = [c for c in agreement_charts(reader) if not c.empty]
    return Consolidated(
        campaign=campaign,
        completeness=campaign_completeness(campaign),
        units=units,
        indicators=list(summaries.values()),
        generated_at=timezone.localtime(),
        evaluation=annex,
        agreements=agreements,
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
        measures.append(
            [
                s.code,
                s.label_vi,
                s.indicator.unit,
                s.rule_label,
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
                    _DOC_KIND.get(kind, kind),
                ]
                + [_cell(i, got.get(i.code)) for i in codes]
            )
    for cell in per_unit[1]:
        cell.font = bold

    for s in data.tables:  # a table indicator's rows, each with its unit: a sheet each
        head, rows = table_rows(s)
        sheet = book.create_sheet(f"Bảng {s.indicator.code}"[:31])
        sheet.append([s.indicator.label_vi])
        sheet.append(["Mã đơn vị", *head])
        for a, row in rows:
            sheet.append([a.unit.code, *row])
        for cell in sheet[2]:
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


def table_rows(s: IndicatorSummary) -> tuple[list[str], list[tuple[Answer, list[Any]]]]:
    """A table indicator's rows as the units sent them: the head (unit, type of document, the
    columns' labels) and each row with its answer (numbers kept as numbers)."""
    columns = s.indicator.columns
    head = ["Đơn vị", "Loại văn bản", *(c.get("label_vi") or c["code"] for c in columns)]
    rows = []
    for a in s.answers:
        for row in a.value if isinstance(a.value, list) else []:
            if not isinstance(row, dict):
                continue
            rows.append(
                (
                    a,
                    [
                        a.unit.name_vi,
                        _DOC_KIND.get(a.kind, a.kind),
                        *(row.get(c["code"]) for c in columns),
                    ],
                )
            )
    return head, rows


_DOC_KIND = {"plan": "Kế hoạch", "report": "Báo cáo"}


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
    """What the DOCX and the PDF say after their heading, in order (in Vietnamese, whatever
    the active language: the names of regions and aggregation rules too)."""
    from django.utils import translation

    with translation.override("vi"):
        return _report_body(data)


def _report_body(data: Consolidated) -> list[Block]:
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

    blocks += _indicator_tables(data)

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
    blocks += _unit_annex(data)
    blocks += _table_annex(data)
    if data.evaluation is not None or data.agreements:
        with translation.override("vi"):  # the criteria' names
            blocks += _evaluation_annex(
                data.evaluation, data.agreements, first=number + 1, day=data.generated_at
            )
    return blocks


UNIT_ANNEX_HEADING = "Phụ lục: Số liệu các chỉ tiêu theo từng đơn vị"
TABLE_ANNEX_HEADING = "Phụ lục: Các bảng số liệu đơn vị gửi"
# Indicators per table of the by-unit annex: beside the unit's name, as many as fit across
# an A4 page.
UNIT_ANNEX_COLUMNS = 5


def _indicator_tables(data: Consolidated) -> list[Block]:
    """Section II: every indicator aggregated overall, then by unit type, then by region
    (``IndicatorSummary.by``), a table indicator by each of its number columns."""
    measured = data.measured
    rows = [
        [s.label_vi, s.indicator.unit, s.rule_label, str(len(s.answers)), _fmt(s.aggregate())]
        for s in measured
    ]
    blocks: list[Block] = [
        Heading("Tổng hợp các chỉ tiêu"),
        Para("1. Toàn bộ các đơn vị", bold=True),
        TableBlock(["Chỉ tiêu", "Đơn vị tính", "Cách tổng hợp", "Số đơn vị", "Tổng hợp"], rows),
    ]
    region_names = dict(Region.choices)
    for number, (title, key, names) in enumerate(
        (
            ("Theo loại đơn vị", "kind", KIND_VI),
            ("Theo vùng", "region", {k: str(v) for k, v in region_names.items()}),
        ),
        start=2,
    ):
        groups = sorted({getattr(u, key) for u in data.units})
        head = ["Chỉ tiêu", *(names.get(g, g or "—") for g in groups)]
        table = []
        for s in measured:
            values = s.by(key)
            table.append([s.label_vi, *(_fmt(values.get(g)) for g in groups)])
        blocks += [Para(f"{number}. {title}", bold=True), TableBlock(head, table)]
    return blocks


def _unit_annex(data: Consolidated) -> list[Block]:
    """Every unit's answer to every measured indicator, a few indicators a table (the
    indicator's unit of measure in its column head); units that sent nothing left out."""
    measured = data.measured
    answers: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for s in measured:
        for a in s.answers:
            answers[(a.unit.pk, a.kind)][s.code] = (
                s.aggregate([a]) if s.column is not None else _cell(s.indicator, a.value)
            )
    if not answers:
        return []
    kinds = {kind for _pk, kind in answers}
    lines = []
    for unit in data.units:
        for kind in ("plan", "report"):
            got = answers.get((unit.pk, kind))
            if got is None:
                continue
            name = unit.name_vi if len(kinds) == 1 else f"{unit.name_vi} ({_DOC_KIND[kind]})"
            lines.append((name, got))
    blocks: list[Block] = [Heading(UNIT_ANNEX_HEADING)]
    for start in range(0, len(measured), UNIT_ANNEX_COLUMNS):
        chunk = measured[start : start + UNIT_ANNEX_COLUMNS]
        head = ["Đơn vị"] + [
            s.label_vi + (f" ({s.indicator.unit})" if s.indicator.unit else "") for s in chunk
        ]
        blocks.append(
            TableBlock(
                head, [[name, *(_fmt(got.get(s.code)) for s in chunk)] for name, got in lines]
            )
        )
    return blocks


def _table_annex(data: Consolidated) -> list[Block]:
    """The rows of every table indicator, each with the unit that sent it."""
    blocks: list[Block] = []
    for s in data.tables:
        head, rows = table_rows(s)
        if not rows:
            continue
        if not blocks:
            blocks.append(Heading(TABLE_ANNEX_HEADING))
        blocks.append(Para(s.indicator.label_vi, bold=True))
        blocks.append(TableBlock(head, [[_fmt(v) for v in row] for _a, row in rows]))
    return blocks


EVALUATION_HEADING = "Phụ lục: Đánh giá hiệu quả hợp tác quốc tế"


def _evaluation_annex(
    annex: dict[str, Any] | None, agreements: list[Chart], *, first: int, day: Any
) -> list[Block]:
    """The annex: the criteria set's score with its formula, then the evaluation charts
    (the same ``Chart``s as the evaluation pages), then the agreements by partner country
    and by field (the dashboard's), numbered after the report's own."""
    blocks: list[Block] = [Heading(EVALUATION_HEADING)]
    annex = annex or {"criteria_set": None, "result": None, "charts": []}
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
    registry = f"cơ sở dữ liệu hiệp định, thỏa thuận của nền tảng, ngày {day:%d/%m/%Y}"
    charts = [*annex["charts"], *(replace(c, source=c.source or registry) for c in agreements)]
    for number, chart in enumerate(charts, start=first):
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
    footnotes = Footnotes(doc)
    for block in report_body(data):
        if isinstance(block, Heading):
            n += 1
            doc.add_paragraph().add_run(f"{roman(n)}. {block.text.upper()}").bold = True
        elif isinstance(block, Para):
            p = doc.add_paragraph(style="List Bullet" if block.bullet else None)
            run = p.add_run(block.text)
            run.bold, run.italic = block.bold, block.italic
            if block.note:
                footnotes.call(p, block.note)
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
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_PART = "/word/footnotes.xml"
# Word's two built-in footnotes (ids -1 and 0): the rule above the notes, and its
# continuation when a note runs onto the next page.
_FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """Real Word footnotes, which python-docx has no API for: the document's footnotes part
    (``word/footnotes.xml``, related to the main part with its own content type; created when
    the template has none, as python-docx's default template has not), and in the text a
    ``w:footnoteReference`` run, superscript, numbered by Word at the foot of its page."""

    def __init__(self, doc: Any) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        part = next(
            (r.target_part for r in doc.part.rels.values() if r.reltype == RT.FOOTNOTES), None
        )
        if part is None:
            part = XmlPart(
                PackURI(FOOTNOTES_PART),
                CT.WML_FOOTNOTES,
                parse_xml(_FOOTNOTES_XML),
                doc.part.package,
            )
            doc.part.relate_to(part, RT.FOOTNOTES)
        elif not isinstance(part, XmlPart):  # python-docx loads a template's part as bytes
            raise ValueError("the template's footnotes part cannot be extended")
        self.root = part.element
        ids = [int(n.get(_w("id"))) for n in self.root.iterchildren(_w("footnote"))]
        self.next_id = max([0, *ids]) + 1

    def call(self, paragraph: Any, text: str) -> int:
        """Add a footnote with ``text``, called at the end of ``paragraph``; its id."""
        from xml.sax.saxutils import escape

        from docx.oxml import parse_xml

        number = self.next_id
        self.next_id += 1
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{number}"/></w:r>'
            )
        )
        self.root.append(
            parse_xml(
                f'<w:footnote xmlns:w="{W_NS}" w:id="{number}"><w:p><w:pPr><w:spacing '
                'w:after="0"/><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:sz w:val="20"/>'
                '<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                '<w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve"> '
                f"{escape(text)}</w:t></w:r></w:p></w:footnote>"
            )
        )
        return number


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


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
    """A grid table: its header through python-docx, its rows as WordprocessingML parsed at
    once (python-docx's ``add_row().cells`` walks the whole table on every row, which made
    the by-unit annex of 200 indicators take tens of seconds)."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml

    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    widths = [g.get(_w("w")) for g in table._tbl.tblGrid.iterchildren(_w("gridCol"))]

    def cell_xml(width: str, text: str) -> str:
        if not text:
            return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p/></w:tc>'
        lines = '</w:t><w:br/><w:t xml:space="preserve">'.join(
            escape(line) for line in text.split("\n")
        )
        return (
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p><w:r>'
            f'<w:t xml:space="preserve">{lines}</w:t></w:r></w:p></w:tc>'
        )

    body = "".join(
        "<w:tr>"
        + "".join(cell_xml(w, str(t)) for w, t in zip(widths, row, strict=True))
        + "</w:tr>"
        for row in rows
    )
    for tr in list(parse_xml(f'<w:tbl xmlns:w="{W_NS}">{body}</w:tbl>')):
        table._tbl.append(tr)
