"""Partners sorted by name follow the Vietnamese alphabet (Á after A, Đ after D, Ô after O)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from vntext.collation import sort_key, sort_string

pytestmark = pytest.mark.django_db

NAMES = ["Yên Bái", "Ôn Châu", "Đà Nẵng", "Bình Dương", "Ba Lan", "Ánh Dương", "An Giang", "Dân"]
EXPECTED = sorted(NAMES, key=sort_key)


def test_sort_string_orders_like_sort_key() -> None:
    assert sorted(NAMES, key=sort_string) == EXPECTED
    assert EXPECTED[:3] == ["An Giang", "Ánh Dương", "Ba Lan"]
    assert set("".join(sort_string(n) for n in NAMES)) <= set(
        "0123456789abcdefghijklmnopqrstuvwxyz"
    )


@pytest.mark.parametrize(("sort", "expected"), [("name", EXPECTED), ("-name", EXPECTED[::-1])])
def test_partner_list_sorted_in_vietnamese_order(
    sort: str, expected: list[str], make_org: Any, admin: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Organization

    for name in NAMES:
        make_org(name_vi=name)
    # A rename through the service keeps the order column up to date.
    renamed = Organization.objects.get(name_vi="Dân")
    services.record_save(user=admin, instance=renamed, data={"name_vi": "Đông Á"})
    wanted = [("Đông Á" if n == "Dân" else n) for n in expected]
    wanted = sorted(wanted, key=sort_key, reverse=sort.startswith("-"))
    html = Client().get("/registry/partners/", {"sort": sort}).content.decode()
    assert sorted(wanted, key=html.index) == wanted
