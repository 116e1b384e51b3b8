"""The pages that gather everything: order of countries and fields, counts that agree."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _names(html: str, href: str) -> list[str]:
    return re.findall(rf'<a href="{href}[^"]*/">([^<]+)</a>', html)


def test_countries_in_vietnamese_alphabetical_order(taxonomy: dict[str, Any]) -> None:
    from caunoi.taxonomy.models import Country

    for iso2, iso3, vi, en in [
        ("AU", "AUS", "Úc", "Australia"),
        ("AT", "AUT", "Áo", "Austria"),
        ("DK", "DNK", "Đan Mạch", "Denmark"),
        ("IN", "IND", "Ấn Độ", "India"),
        ("YE", "YEM", "Yemen", "Yemen"),
    ]:
        Country.objects.create(iso2=iso2, iso3=iso3, name_vi=vi, name_en=en)
    names = _names(Client().get("/countries/").content.decode(), "/countries/")
    # code-point order would put Á, Đ, Ú, Ấ after Y
    assert names == [
        "Áo",
        "Ấn Độ",
        "Đan Mạch",
        "Hàn Quốc",
        "Hoa Kỳ",
        "Nhật Bản",
        "Úc",
        "Việt Nam",
        "Yemen",
    ]


def test_field_codes_in_numeric_order(taxonomy: dict[str, Any]) -> None:
    from caunoi.taxonomy.models import Field

    natural = taxonomy["fields"]["natural"]
    for code in ("1.10", "1.2", "1.9"):
        Field.objects.create(
            code=code,
            slug="f-" + code.replace(".", "-"),
            kind="fos",
            name_vi=f"Ngành {code}",
            parent=natural,
        )
    html = Client().get("/fields/").content.decode()
    codes = re.findall(r'/fields/[^"]+/">([0-9.]+) ', html)
    assert codes == ["1", "1.2", "1.3", "1.9", "1.10"]


def test_country_list_counts_are_labelled_and_match_the_country_page(
    make_agreement: Any, viewer: Any
) -> None:
    from support import login

    make_agreement(country="KR")
    make_agreement(country="KR")
    make_agreement(country="KR", is_public=False)
    make_agreement(country="JP")
    for client, expected in ((Client(), 2), (login(viewer), 3)):
        listing = client.get("/countries/").content.decode()
        row = re.search(r'href="/countries/kr/">Hàn Quốc</a>(.*?)</li>', listing)
        assert row is not None
        badge = re.search(r'<span class="badge"[^>]*>(\d+) ([^<]+)</span>', row.group(1))
        assert badge is not None and int(badge.group(1)) == expected
        assert "thỏa thuận" in badge.group(2).lower() or "agreement" in badge.group(2)
        page = client.get("/countries/kr/").content.decode()
        assert re.search(rf"<h2>[^<]*\({expected}\)</h2>", page), page
