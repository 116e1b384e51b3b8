"""Reporting fixtures: a small template, a campaign run by HTQT over Hà Nội and a ministry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

SECTIONS: list[dict[str, Any]] = [
    {
        "code": "tinh-hinh",
        "title_vi": "Tình hình triển khai",
        "indicators": [
            {"code": "tom-tat", "label_vi": "Tóm tắt kết quả", "kind": "text", "required": True},
            {
                "code": "so-hop-dong",
                "label_vi": "Số hợp đồng chuyển giao công nghệ",
                "kind": "number",
                "unit": "hợp đồng",
                "min_value": 0,
                "max_value": 10000,
                "aggregation": "sum",
            },
            {
                "code": "ty-le",
                "label_vi": "Tỷ lệ hoàn thành",
                "kind": "percent",
                "aggregation": "average",
            },
            {
                "code": "co-ke-hoach",
                "label_vi": "Đã ban hành kế hoạch",
                "kind": "yesno",
                "aggregation": "count",
            },
            {
                "code": "muc-do",
                "label_vi": "Mức độ",
                "kind": "choice",
                "choices": [
                    {"value": "tot", "label_vi": "Tốt"},
                    {"value": "kha", "label_vi": "Khá"},
                ],
                "aggregation": "count",
            },
            {
                "code": "nhiem-vu",
                "label_vi": "Nhiệm vụ đã thực hiện",
                "kind": "table",
                "columns": [
                    {"code": "ten", "label_vi": "Tên nhiệm vụ", "kind": "text"},
                    {"code": "kinh-phi", "label_vi": "Kinh phí (triệu đồng)", "kind": "number"},
                ],
            },
        ],
    }
]


@pytest.fixture
def template_version(db: Any) -> Any:
    from caunoi.reporting.services import template_version_create

    return template_version_create(code="de-an-thu", title_vi="Mẫu thử", sections=SECTIONS)


@pytest.fixture
def ministry(db: Any) -> Any:
    from caunoi.accounts.models import Unit

    return Unit.objects.create(code="bo-y-te", name_vi="Bộ Y tế", kind=Unit.Kind.MINISTRY)


@pytest.fixture
def campaign(admin: Any, units: dict[str, Any], ministry: Any, template_version: Any) -> Any:
    from caunoi.reporting.services import campaign_create

    return campaign_create(
        user=admin,
        template_version=template_version,
        title_vi="Báo cáo thử năm 2030",
        period_start=dt.date(2030, 1, 1),
        period_end=dt.date(2030, 12, 31),
        opens_on=dt.date(2030, 11, 1),
        deadline=dt.date(2030, 12, 15),
        timely_days=5,
        lock_after_days=30,
        units=[units["hanoi"], ministry],
    )


@pytest.fixture
def hanoi_report(campaign: Any) -> Any:
    return campaign.units.get(code="ha-noi").submissions.get(kind="report")


def send(user: Any, sub: Any, answers: dict[str, Any]) -> Any:
    from caunoi.reporting import services

    return services.submission_save(
        user=user, submission=sub, answers=answers, expected_version=sub.version, submit=True
    )


@pytest.fixture
def filled(campaign: Any, admin: Any, other: Any, ministry: Any) -> Any:
    """Both units sent a report; the ministry's was returned and is being corrected."""
    from caunoi.reporting import services

    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    send(
        other,
        hanoi,
        {
            "tom-tat": "Hà Nội tổ chức hội thảo.",
            "so-hop-dong": 4,
            "ty-le": 50,
            "co-ke-hoach": True,
            "muc-do": "tot",
        },
    )
    bo = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    bo = send(
        admin,
        bo,
        {
            "tom-tat": "Bộ ban hành hướng dẫn.",
            "so-hop-dong": 6,
            "ty-le": 70,
            "co-ke-hoach": False,
            "muc-do": "tot",
        },
    )
    # Returned and being corrected: what was sent still counts, the draft edit does not.
    bo = services.submission_review(
        user=admin, submission=bo, decision="return", comment="Sửa", expected_version=bo.version
    )
    services.submission_save(
        user=admin,
        submission=bo,
        answers={"tom-tat": "nháp", "so-hop-dong": 1000},
        expected_version=bo.version,
    )
    return campaign
