"""The reporting demo: the template of the reports on Decision 1851/QĐ-TTg, the 2020 round over
its 82 units with what each sent (``demo_data/campaign_2020.tsv``: the totals are the 2020
report's, the answers are ours), and this year's round, open, over today's units.

Idempotent: nothing is loaded when the template exists. Run after the portal's demo data set
(the units) and the demo accounts.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from caunoi.accounts.models import Unit, User
from caunoi.reporting import services
from caunoi.reporting.models import Campaign, SubmissionKind, Template
from caunoi.reporting.regions import provinces_2020

TEMPLATE_CODE = "de-an-1851"
DATA = Path(__file__).parent / "demo_data" / "campaign_2020.tsv"

SECTIONS: list[dict[str, Any]] = [
    {
        "code": "ke-hoach",
        "title_vi": "Kế hoạch triển khai Đề án",
        "title_en": "Implementation plan",
        "for_kind": "plan",
        "indicators": [
            {
                "code": "so-quyet-dinh",
                "label_vi": "Số, ngày văn bản ban hành kế hoạch",
                "label_en": "Number and date of the plan",
                "kind": "text",
                "required": True,
                "aggregation": "list",
            },
            {
                "code": "so-nhiem-vu-ke-hoach",
                "label_vi": "Số nhiệm vụ trong kế hoạch",
                "label_en": "Tasks in the plan",
                "kind": "number",
                "unit": "nhiệm vụ",
                "min_value": 0,
                "max_value": 500,
                "aggregation": "sum",
            },
            {
                "code": "noi-dung-ke-hoach",
                "label_vi": "Nội dung chính của kế hoạch",
                "label_en": "Main content of the plan",
                "kind": "text",
                "aggregation": "list",
            },
        ],
    },
    {
        "code": "chi-dao",
        "title_vi": "Công tác chỉ đạo, điều hành",
        "title_en": "Direction and coordination",
        "for_kind": "report",
        "indicators": [
            {
                "code": "da-co-ke-hoach",
                "label_vi": "Đơn vị đã ban hành kế hoạch triển khai Đề án",
                "label_en": "The unit has issued an implementation plan",
                "kind": "yesno",
                "aggregation": "count",
            },
            {
                "code": "so-van-ban",
                "label_vi": "Số văn bản chỉ đạo, hướng dẫn đã ban hành trong kỳ",
                "label_en": "Directives and guidance issued in the period",
                "kind": "number",
                "unit": "văn bản",
                "min_value": 0,
                "max_value": 1000,
                "aggregation": "sum",
            },
            {
                "code": "chi-dao-tom-tat",
                "label_vi": "Tóm tắt công tác chỉ đạo, điều hành",
                "label_en": "Summary of direction and coordination",
                "help_vi": "Nêu các văn bản chính và cơ quan được giao chủ trì.",
                "kind": "text",
                "required": True,
                "aggregation": "list",
            },
        ],
    },
    {
        "code": "ket-qua",
        "title_vi": "Kết quả thực hiện nhiệm vụ và giải pháp",
        "title_en": "Results of the tasks and solutions",
        "for_kind": "report",
        "indicators": [
            {
                "code": "hop-dong-cgcn",
                "label_vi": "Số hợp đồng chuyển giao công nghệ từ nước ngoài được ghi nhận",
                "label_en": "Technology transfer contracts from abroad recorded",
                "kind": "number",
                "unit": "hợp đồng",
                "min_value": 0,
                "max_value": 10000,
                "aggregation": "sum",
            },
            {
                "code": "kinh-phi",
                "label_vi": "Kinh phí bố trí cho các nhiệm vụ của Đề án",
                "label_en": "Funds allocated to the tasks",
                "kind": "number",
                "unit": "triệu đồng",
                "min_value": 0,
                "aggregation": "sum",
            },
            {
                "code": "luot-dao-tao",
                "label_vi": "Số lượt cán bộ được đào tạo, bồi dưỡng",
                "label_en": "Staff trained",
                "kind": "number",
                "unit": "lượt người",
                "min_value": 0,
                "aggregation": "sum",
            },
            {
                "code": "ty-le-hoan-thanh",
                "label_vi": "Tỷ lệ nhiệm vụ trong kế hoạch đã hoàn thành",
                "label_en": "Share of the plan's tasks completed",
                "kind": "percent",
                "aggregation": "average",
            },
            {
                "code": "tu-danh-gia",
                "label_vi": "Tự đánh giá mức độ thực hiện",
                "label_en": "Self-assessment",
                "kind": "choice",
                "choices": [
                    {"value": "tot", "label_vi": "Tốt", "label_en": "Good"},
                    {"value": "kha", "label_vi": "Khá", "label_en": "Fair"},
                    {"value": "trung-binh", "label_vi": "Trung bình", "label_en": "Average"},
                    {"value": "yeu", "label_vi": "Yếu", "label_en": "Weak"},
                ],
                "aggregation": "count",
            },
            {
                "code": "nhiem-vu-tieu-bieu",
                "label_vi": "Nhiệm vụ tiêu biểu",
                "label_en": "Notable tasks",
                "kind": "table",
                "columns": [
                    {"code": "ten", "label_vi": "Tên nhiệm vụ", "kind": "text"},
                    {"code": "doi-tac", "label_vi": "Đối tác nước ngoài", "kind": "text"},
                    {"code": "kinh-phi", "label_vi": "Kinh phí (triệu đồng)", "kind": "number"},
                ],
                "aggregation": "list",
            },
            {
                "code": "ket-qua-tom-tat",
                "label_vi": "Kết quả nổi bật",
                "label_en": "Main results",
                "kind": "text",
                "aggregation": "list",
            },
        ],
    },
    {
        "code": "kho-khan",
        "title_vi": "Khó khăn, vướng mắc và kiến nghị",
        "title_en": "Difficulties and recommendations",
        "for_kind": "report",
        "indicators": [
            {
                "code": "kho-khan",
                "label_vi": "Khó khăn, vướng mắc",
                "label_en": "Difficulties",
                "kind": "text",
                "aggregation": "list",
            },
            {
                "code": "kien-nghi",
                "label_vi": "Kiến nghị, đề xuất",
                "label_en": "Recommendations",
                "kind": "text",
                "aggregation": "list",
            },
            {
                "code": "van-ban-bao-cao",
                "label_vi": "Văn bản báo cáo có chữ ký (PDF)",
                "label_en": "Signed report (PDF)",
                "kind": "file",
                "aggregation": "count",
            },
        ],
    },
]

# Sentences we wrote for the sample answers; each unit gets a deterministic choice.
_DIRECTION = [
    "{name} đã ban hành kế hoạch triển khai Đề án, giao cơ quan khoa học và công nghệ chủ trì, "
    "phối hợp với các sở, ngành liên quan theo dõi, đôn đốc thực hiện.",
    "{name} đã lồng ghép nhiệm vụ của Đề án vào chương trình công tác năm, tổ chức quán triệt "
    "đến các đơn vị trực thuộc và doanh nghiệp trên địa bàn.",
    "{name} đã ban hành văn bản hướng dẫn, phân công đầu mối theo dõi và định kỳ tổng hợp kết "
    "quả chuyển giao công nghệ từ nước ngoài.",
]
_RESULTS = [
    "Hỗ trợ doanh nghiệp tìm kiếm, đánh giá công nghệ nước ngoài; tổ chức kết nối cung cầu "
    "công nghệ trực tuyến do ảnh hưởng của dịch Covid-19.",
    "Nâng cấp hạ tầng kỹ thuật phục vụ tiếp nhận công nghệ; đào tạo cán bộ quản lý về thẩm định "
    "và định giá công nghệ.",
    "Phối hợp với đối tác nước ngoài triển khai nhiệm vụ hợp tác nghiên cứu, ứng dụng công nghệ "
    "trong nông nghiệp và chế biến.",
]
_DIFFICULTIES = [
    "Doanh nghiệp quy mô nhỏ, năng lực hấp thụ công nghệ còn hạn chế; thiếu thông tin về nguồn "
    "cung công nghệ nước ngoài.",
    "Kinh phí bố trí cho nhiệm vụ còn ít; việc thống kê hoạt động chuyển giao công nghệ chưa "
    "đầy đủ.",
    "Dịch bệnh làm gián đoạn hoạt động xúc tiến, kết nối trực tiếp với đối tác nước ngoài.",
]
_PARTNERS = ["Hàn Quốc", "Nhật Bản", "Israel", "CHLB Đức", "Ô-xtrây-li-a", "Hà Lan"]
_TASKS = [
    "Ứng dụng công nghệ tưới tiết kiệm nước",
    "Tiếp nhận công nghệ chế biến sâu nông sản",
    "Đào tạo kỹ thuật viên vận hành thiết bị tự động hóa",
    "Thí điểm mô hình nhà kính công nghệ cao",
]


def _report_answers(name: str, rnd: random.Random) -> dict[str, Any]:
    return {
        "da-co-ke-hoach": rnd.random() < 0.6,
        "so-van-ban": rnd.randint(1, 12),
        "chi-dao-tom-tat": rnd.choice(_DIRECTION).format(name=name),
        "hop-dong-cgcn": rnd.randint(0, 25),
        "kinh-phi": rnd.randrange(0, 4000, 50),
        "luot-dao-tao": rnd.randint(0, 300),
        "ty-le-hoan-thanh": rnd.randint(40, 100),
        "tu-danh-gia": rnd.choice(["tot", "kha", "kha", "trung-binh"]),
        "nhiem-vu-tieu-bieu": [
            {
                "ten": rnd.choice(_TASKS),
                "doi-tac": rnd.choice(_PARTNERS),
                "kinh-phi": rnd.randrange(100, 2000, 50),
            }
        ],
        "ket-qua-tom-tat": rnd.choice(_RESULTS),
        "kho-khan": rnd.choice(_DIFFICULTIES),
        "kien-nghi": "Đề nghị Bộ Khoa học và Công nghệ tiếp tục hướng dẫn, hỗ trợ kết nối với "
        "các tổ chức trung gian và nguồn cung công nghệ nước ngoài.",
    }


def _plan_answers(name: str, rnd: random.Random, year: int) -> dict[str, Any]:
    number, day, month = rnd.randint(100, 2900), rnd.randint(1, 28), rnd.randint(1, 6)
    return {
        "so-quyet-dinh": f"Quyết định số {number}/QĐ ngày {day}/{month}/{year}",
        "so-nhiem-vu-ke-hoach": rnd.randint(4, 20),
        "noi-dung-ke-hoach": f"Kế hoạch của {name} giao nhiệm vụ cho các cơ quan, đơn vị theo "
        "các nhóm nhiệm vụ, giải pháp của Đề án.",
    }


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


@transaction.atomic
def load_reporting_demo() -> dict[str, int]:
    if Template.objects.filter(code=TEMPLATE_CODE).exists():
        return {"campaigns": 0, "submissions": 0}
    officer = User.objects.filter(role=User.Role.ADMIN, unit__code="htqt").order_by("pk").first()
    if officer is None:
        raise RuntimeError("Create the demo accounts before the reporting demo.")
    version = services.template_version_create(
        code=TEMPLATE_CODE,
        title_vi="Báo cáo tình hình triển khai Đề án theo Quyết định số 1851/QĐ-TTg",
        title_en="Report on the implementation of Decision 1851/QĐ-TTg",
        sections=SECTIONS,
    )
    units = {u.code: u for u in Unit.objects.all()}
    sent = _load_2020(officer, version, units)
    sent += _load_current(officer, version, units)
    return {"campaigns": 2, "submissions": sent}


def _load_2020(officer: User, version: Any, units: dict[str, Unit]) -> int:
    opens = dt.date(2020, 10, 1)
    campaign = services.campaign_create(
        user=officer,
        template_version=version,
        title_vi="Báo cáo tình hình triển khai Đề án 1851 năm 2020",
        title_en="Decision 1851 implementation report, 2020",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 12, 31),
        opens_on=opens,
        deadline=opens + dt.timedelta(days=70),
        timely_days=5,
        lock_after_days=30,
    )
    provinces = {p.code: p for p in provinces_2020()}
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))
    count = 0
    for i, row in enumerate(rows):
        if row["kind"] == "province":
            province = provinces[row["code"]]
            cu = services.campaign_unit_add(
                user=officer,
                campaign=campaign,
                unit=units[province.successor],
                added_on=opens,
                code=province.code,
                name_vi=province.name_vi,
                kind="province",
                region=province.region,
            )
        else:
            cu = services.campaign_unit_add(
                user=officer, campaign=campaign, unit=units[row["code"]], added_on=opens
            )
        rnd = random.Random(f"2020-{row['code']}")
        for kind, day in (
            (SubmissionKind.PLAN, row["plan_day"]),
            (SubmissionKind.REPORT, row["report_day"]),
        ):
            if not day:
                continue
            sub = cu.submissions.get(kind=kind)
            answers = (
                _plan_answers(cu.name_vi, rnd, 2020)
                if kind == SubmissionKind.PLAN
                else _report_answers(cu.name_vi, rnd)
            )
            received = opens + dt.timedelta(days=int(day))
            # Entered by HTQT from the reports e-mailed to it: dated the day each arrived.
            sub = services.submission_save(
                user=officer,
                submission=sub,
                answers=answers,
                expected_version=sub.version,
                submit=True,
                now=_moment(received),
                received_on=received,
            )
            if i % 3 == 0:
                services.submission_review(
                    user=officer, submission=sub, decision="approve", expected_version=sub.version
                )
            count += 1
    return count


def _load_current(officer: User, version: Any, units: dict[str, Unit]) -> int:
    """This year's round, open: the Hà Nội officer can fill the city's report in the demo."""
    today = timezone.localdate()
    campaign = services.campaign_create(
        user=officer,
        template_version=version,
        title_vi=f"Báo cáo tình hình triển khai Đề án 1851 năm {today.year}",
        title_en=f"Decision 1851 implementation report, {today.year}",
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        opens_on=today - dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=14),
        timely_days=5,
        lock_after_days=30,
        units=[u for u in units.values() if u.kind in (Unit.Kind.MINISTRY, Unit.Kind.PROVINCE)],
    )
    count = 0
    for i, cu in enumerate(campaign.units.exclude(code="ha-noi").order_by("code")):
        if i % 4:
            continue
        rnd = random.Random(f"{today.year}-{cu.code}")
        sub = cu.submissions.get(kind=SubmissionKind.PLAN)
        services.submission_save(
            user=officer,
            submission=sub,
            answers=_plan_answers(cu.name_vi, rnd, today.year),
            expected_version=sub.version,
            submit=True,
            now=_moment(today - dt.timedelta(days=15 - i % 10)),
        )
        count += 1
    return count


def demo_campaign_2020() -> Campaign:
    return Campaign.objects.get(
        template_version__template__code=TEMPLATE_CODE, period_start__year=2020
    )
