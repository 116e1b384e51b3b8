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
