"""The list page shows every country it filters by: ``?country=KR,JP`` (the assistant's
link) and ``?country=KR&country=JP`` (what the page's multiple choice sends) list the same
records, and the country choice shows both selected — server-rendered, without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from caunoi.registry.models import AgreementParty
from caunoi.registry.services import country_links_refresh

pytestmark = pytest.mark.django_db


def _selected(page: str) -> list[str]:
    select = page.split('id="filter-country"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([A-Z]{2})" selected>', select)


def test_several_countries_are_shown_selected_and_filter_alike(make_agreement: Any) -> None:
    both = make_agreement(country="KR", title_vi="Ba bên Hàn Quốc Nhật Bản")
    AgreementParty.objects.create(agreement=both, side="foreign", country_id="JP")
    country_links_refresh(agreements=[both.pk])
    make_agreement(country="KR", title_vi="Chỉ Hàn Quốc")
    make_agreement(country="US", title_vi="Chỉ Hoa Kỳ")
    client = Client()
    joined = client.get("/registry/agreements/", {"country": "KR,JP"}).content.decode()
    repeated = client.get("/registry/agreements/?country=KR&country=jp").content.decode()
    for page in (joined, repeated):
        assert "Ba bên Hàn Quốc Nhật Bản" in page and "Chỉ Hàn Quốc" not in page
        assert sorted(_selected(page)) == ["JP", "KR"]  # not "all countries"
        assert re.search(r'<select name="country"[^>]*multiple', page)
    # the page's own links (export, paging) keep both countries
    assert "country=KR%2CJP" in joined or "country=KR,JP" in joined
    one = client.get("/registry/agreements/", {"country": "KR"}).content.decode()
    assert _selected(one) == ["KR"] and "Chỉ Hàn Quốc" in one and "Chỉ Hoa Kỳ" not in one
    none = client.get("/registry/agreements/").content.decode()
    assert _selected(none) == [] and "Chỉ Hoa Kỳ" in none


def test_the_export_carries_every_chosen_country(make_agreement: Any) -> None:
    both = make_agreement(country="KR", title_vi="Ba bên Hàn Quốc Nhật Bản")
    AgreementParty.objects.create(agreement=both, side="foreign", country_id="JP")
    country_links_refresh(agreements=[both.pk])
    make_agreement(country="KR", title_vi="Chỉ Hàn Quốc")
    csv = Client().get("/registry/agreements/?country=KR&country=JP&export=csv")
    body = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert "Ba bên Hàn Quốc Nhật Bản" in body and "Chỉ Hàn Quốc" not in body
