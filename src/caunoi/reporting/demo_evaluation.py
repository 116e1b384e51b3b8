"""The evaluation demo: seed 001's series (co-publications from our own derived table,
researcher mobility from the demo delegations, illustrative reported figures) and a criteria
set for 2020–2025 after the OECD DAC criteria, with values entered with evidence.

``demo_data/copublications_vn.csv`` is a table we derived from the OpenAlex country
co-authorship networks (V. Batagelj, 2024; OpenAlex data, CC0): Vietnam's co-publications
with its ten largest partners of 2023 and with every partner, 2005–2023, rounded to tens;
the number of partner countries; the Vietnam-affiliated works per year, rounded to hundreds.
The reported figures (FDI-linked transfer, R&D centres, alliances) and the entered values are
illustrative, written by us.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.accounts.models import Unit, User
from caunoi.reporting import evaluation, evaluation_sets, series
from caunoi.reporting.models_evaluation import CriteriaSet, EvalIndicator, SeriesIndicator
from caunoi.taxonomy.models import Country

SET_CODE = "hieu-qua-htqt-2020-2025"
DERIVED = Path(__file__).parent / "demo_data" / "copublications_vn.csv"
DERIVED_SOURCE = "OpenAlex, mạng đồng tác giả quốc gia (V. Batagelj, 2024); bảng tổng hợp, làm tròn"
ILLUSTRATIVE = "Số liệu minh họa (dữ liệu mẫu)"

REPORTED: dict[str, list[tuple[int, int]]] = {
    "fdi-tech-transfer": [(2019, 41), (2020, 37), (2021, 44), (2022, 52), (2023, 58), (2024, 63)],
    "fdi-rd-centres": [(2019, 12), (2020, 13), (2021, 15), (2022, 18), (2023, 21), (2024, 24)],
    "tech-alliances": [(2019, 5), (2020, 5), (2021, 7), (2022, 8), (2023, 10), (2024, 11)],
}

CRITERIA: list[dict[str, Any]] = [
    {
        "code": "relevance",
        "weight": 1,
        "question_vi": "Hợp tác có đáp ứng các ưu tiên phát triển KH&CN của quốc gia không?",
        "indicators": [
            {
                "code": "thoa-thuan-hieu-luc",
                "label_vi": "Thỏa thuận hợp tác có hiệu lực trong kỳ",
                "unit": "thỏa thuận",
                "weight": 1,
                "target": 200,
                "source_key": "registry.agreements_in_force",
            },
            {
                "code": "ty-le-uu-tien",
                "label_vi": "Tỷ lệ thỏa thuận thuộc lĩnh vực công nghệ ưu tiên",
                "unit": "%",
                "weight": 1,
                "target": 80,
            },
        ],
    },
    {
        "code": "coherence",
        "weight": 1,
        "question_vi": "Các hoạt động hợp tác có gắn kết với nhau và với các chương trình khác?",
        "indicators": [
            {
                "code": "thoa-thuan-hoat-dong",
                "label_vi": "Thỏa thuận có đoàn hoặc dự án triển khai",
                "unit": "thỏa thuận",
                "weight": 1,
                "target": 100,
                "source_key": "registry.agreements_active",
            },
            {
                "code": "chuong-trinh-phoi-hop",
                "label_vi": "Chương trình phối hợp liên ngành, liên vùng",
                "unit": "chương trình",
                "weight": 1,
                "target": 10,
            },
        ],
    },
    {
        "code": "effectiveness",
        "weight": 1.5,
        "question_vi": "Các mục tiêu của Đề án có đạt được không?",
        "indicators": [
            {
                "code": "ty-le-bao-cao",
                "label_vi": "Tỷ lệ kế hoạch, báo cáo được gửi",
                "unit": "%",
                "weight": 1,
                "target": 100,
                "source_key": "reporting.campaign_submission_rate",
            },
            {
                "code": "chuyen-giao-san",
                "label_vi": "Giao dịch chuyển giao công nghệ thành công qua sàn",
                "unit": "giao dịch",
                "weight": 1,
                "target": 10,
                "source_key": "market.transfers_signed",
            },
        ],
    },
    {
        "code": "efficiency",
        "weight": 1,
        "question_vi": "Nguồn lực có được sử dụng hợp lý, đúng tiến độ?",
        "indicators": [
            {
                "code": "du-an-co-ket-qua",
                "label_vi": "Dự án đã có kết quả, sản phẩm",
                "unit": "dự án",
                "weight": 1,
                "target": 80,
                "source_key": "registry.projects_with_outputs",
            },
            {
                "code": "thoi-gian-tham-dinh",
                "label_vi": "Thời gian thẩm định hồ sơ dự án trung bình",
                "unit": "ngày",
                "weight": 1,
                "target": 30,
                "higher_is_better": False,
            },
        ],
    },
    {
        "code": "impact",
        "weight": 1.5,
        "question_vi": "Hợp tác đã tạo ra thay đổi gì cho năng lực KH&CN?",
        "indicators": [
            {
                "code": "luu-chuyen-nha-khoa-hoc",
                "label_vi": "Lượt cán bộ, nhà khoa học đi và đến",
                "unit": "lượt người",
                "weight": 1,
                "target": 500,
                "source_key": "registry.researcher_mobility",
            },
            {
                "code": "cong-bo-quoc-te",
                "label_vi": "Công bố quốc tế có đồng tác giả nước ngoài",
                "unit": "công bố",
                "weight": 1,
                "target": 45000,
                "source_key": "reporting.copublications",
            },
        ],
    },
    {
        "code": "sustainability",
        "weight": 1,
        "question_vi": "Kết quả hợp tác có được duy trì sau khi kết thúc hỗ trợ?",
        "indicators": [
            {
                "code": "doan-ra-vao",
                "label_vi": "Đoàn ra, đoàn vào trong kỳ",
                "unit": "đoàn",
                "weight": 1,
                "target": 60,
                "source_key": "registry.delegations",
            },
            {
                "code": "ty-le-gia-han",
                "label_vi": "Tỷ lệ thỏa thuận hết hạn được gia hạn",
                "unit": "%",
                "weight": 1,
                "target": 60,
            },
        ],
    },
]

# indicator code, scope ("" everyone, "unit:<code>", "country:<ISO2>"), value, note
ENTRIES: list[tuple[str, str, str, str]] = [
    ("ty-le-uu-tien", "", "68", "Tổng hợp từ danh mục thỏa thuận theo lĩnh vực ưu tiên"),
    ("chuong-trinh-phoi-hop", "", "6", "Biên bản họp giao ban các chương trình"),
    ("thoi-gian-tham-dinh", "", "38", "Sổ theo dõi hồ sơ thẩm định năm 2024"),
    ("ty-le-gia-han", "", "45", "Danh sách thỏa thuận hết hạn 2020–2025 và quyết định gia hạn"),
    ("ty-le-uu-tien", "country:KR", "85", "Các thỏa thuận với Hàn Quốc theo lĩnh vực"),
    ("ty-le-gia-han", "country:KR", "70", "Thỏa thuận với Hàn Quốc được gia hạn"),
    ("ty-le-uu-tien", "country:JP", "75", "Các thỏa thuận với Nhật Bản theo lĩnh vực"),
]


def _evidence_docx(title: str, note: str) -> SimpleUploadedFile:
    """A one-page DOCX standing for the evidence (sample text we wrote)."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(note)
    doc.add_paragraph("Tài liệu mẫu của dữ liệu trình diễn.")
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("minh-chung.docx", out.getvalue())


def load_series_demo(user: User | None = None) -> dict[str, int]:
    series.ensure_catalog()
    derived = series.read_csv(
        DERIVED.read_text(encoding="utf-8"), source=DERIVED_SOURCE, name=DERIVED.name
    )
    summary = series.import_rows(derived, user=user, label=DERIVED.name)
    mobility = series.refresh_mobility(user=user)
    reported = 0
    if user is not None:
        for code, points in REPORTED.items():
            indicator = SeriesIndicator.objects.get(code=code)
            for year, value in points:
                evaluation.series_value_save(
                    user=user,
                    indicator=indicator,
                    year=year,
                    value=value,
                    source=ILLUSTRATIVE,
                    note="Tổng hợp từ báo cáo của các bộ, địa phương (minh họa).",
                )
                reported += 1
    return {
        "imported": sum(summary.by_indicator.values()),
        "mobility": mobility,
        "entered": reported,
    }


def load_evaluation_demo() -> dict[str, int]:
    if CriteriaSet.objects.filter(code=SET_CODE).exists():
        return {"sets": 0, "series": 0, "entries": 0}
    officer = User.objects.filter(role=User.Role.ADMIN, unit__code="htqt").order_by("pk").first()
    if officer is None:
        raise RuntimeError("Create the demo accounts before the evaluation demo.")
    counts = load_series_demo(officer)
    cs = evaluation_sets.criteria_set_new(
        user=officer,
        code=SET_CODE,
        title_vi="Đánh giá hiệu quả hợp tác quốc tế về KH&CN giai đoạn 2020–2025",
        title_en="Effectiveness of international S&T cooperation, 2020–2025",
        description="Theo sáu tiêu chí đánh giá của OECD DAC (dữ liệu mẫu).",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2025, 12, 31),
        criteria=CRITERIA,
    )
    indicators = {i.code: i for i in EvalIndicator.objects.filter(criterion__criteria_set=cs)}
    entered = 0
    for code, scope, value, note in ENTRIES:
        unit = country = None
        if scope.startswith("unit:"):
            unit = Unit.objects.filter(code=scope[5:]).first()
        elif scope.startswith("country:"):
            country = Country.objects.filter(iso2=scope[8:]).first()
            if country is None:
                continue
        evaluation.entry_save(
            user=officer,
            indicator=indicators[code],
            value=value,
            note=note,
            unit=unit,
            country=country,
            evidence_file=_evidence_docx(indicators[code].label_vi, note),
        )
        entered += 1
    return {"sets": 1, "series": sum(counts.values()), "entries": entered}
