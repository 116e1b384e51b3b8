"""Type-ahead pickers: the suggestion endpoints and a form posted through a picker."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _values(html: str) -> list[str]:
    return re.findall(r'data-value="([^"]+)"', html)


def test_country_suggestions_ignore_diacritics_and_match_codes(taxonomy: Any) -> None:
    client = Client()
    assert _values(
        client.get("/taxonomy/countries/suggest/", {"term": "han"}).content.decode()
    ) == ["KR"]
    assert _values(
        client.get("/taxonomy/countries/suggest/", {"term": "HÀN"}).content.decode()
    ) == ["KR"]
    # English names and ISO codes; an exact code first.
    assert _values(
        client.get("/taxonomy/countries/suggest/", {"term": "japan"}).content.decode()
    ) == ["JP"]
    assert (
        _values(client.get("/taxonomy/countries/suggest/", {"term": "us"}).content.decode())[0]
        == "US"
    )
    assert (
        "Hàn Quốc" in client.get("/taxonomy/countries/suggest/", {"term": "kor"}).content.decode()
    )
    empty = client.get("/taxonomy/countries/suggest/", {"term": "zzz"}).content.decode()
    assert _values(empty) == [] and "Không tìm thấy" in empty


def test_field_suggestions_by_name_and_code(taxonomy: Any) -> None:
    client = Client()
    semis = taxonomy["fields"]["semis"]
    assert _values(
        client.get("/taxonomy/fields/suggest/", {"term": "ban dan"}).content.decode()
    ) == [str(semis.pk)]
    assert _values(client.get("/taxonomy/fields/suggest/", {"term": "P02"}).content.decode()) == [
        str(semis.pk)
    ]
    physics = taxonomy["fields"]["physics"]
    assert str(physics.pk) in _values(
        client.get("/taxonomy/fields/suggest/", {"term": "vat ly"}).content.decode()
    )


def test_organisation_suggestions_follow_the_audience_rule(
    make_org: Any, owner: Any, units: Any
) -> None:
    public = make_org(name_vi="Viện Khoa học Hàn Quốc", acronym="KIST")
    internal = make_org(name_vi="Viện Hàn lâm nội bộ", is_public=False, owner_unit=units["hanoi"])
    anonymous = Client()
    html = anonymous.get("/registry/partners/suggest/", {"term": "vien han"}).content.decode()
    assert _values(html) == [str(public.pk)]
    signed_in = Client()
    signed_in.force_login(owner)
    html = signed_in.get("/registry/partners/suggest/", {"term": "vien han"}).content.decode()
    assert set(_values(html)) == {str(public.pk), str(internal.pk)}
    # Acronyms, and the scope of the field asking (a Vietnamese party must be in Viet Nam).
    assert _values(
        signed_in.get("/registry/partners/suggest/", {"term": "kist"}).content.decode()
    ) == [str(public.pk)]
    html = signed_in.get("/registry/partners/suggest/", {"term": "kist", "scope": "vn"})
    assert _values(html.content.decode()) == []


def test_suggestions_are_capped(make_org: Any) -> None:
    for n in range(15):
        make_org(name_vi=f"Trường Đại học số {n}")
    html = Client().get("/registry/partners/suggest/", {"term": "truong dai"}).content.decode()
    assert len(_values(html)) == 10


def test_agreement_form_uses_pickers_and_saves_what_they_post(
    owner: Any, make_org: Any, taxonomy: Any
) -> None:
    from caunoi.registry.models import Agreement

    kist = make_org(name_vi="Viện Khoa học và Công nghệ Hàn Quốc", acronym="KIST")
    client = Client()
    client.force_login(owner)
    page = client.get("/registry/agreements/new/").content.decode()
    # Each picker asks its app's endpoint; the select stays as the form's input.
    assert 'hx-get="/taxonomy/countries/suggest/"' in page
    assert 'hx-get="/registry/partners/suggest/?scope=foreign"' in page
    assert 'hx-get="/taxonomy/fields/suggest/"' in page
    assert '<select name="foreign_countries"' in page
    assert 'for="id_foreign_countries_search"' in page
    physics = taxonomy["fields"]["physics"]
    response = client.post(
        "/registry/agreements/new/",
        {
            "title_vi": "Thỏa thuận hợp tác với KIST",
            "kind": "intergovernmental",
            "level": "government",
            "status": "in_force",
            "signed_on": "2024-03-01",
            "foreign_countries": ["KR", "JP"],
            "foreign_organizations": [str(kist.pk)],
            "fields": [str(physics.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    foreign = agreement.parties.filter(side="foreign")
    assert sorted(p.country_id for p in foreign if p.country_id) == ["JP", "KR"]
    assert [p.organization_id for p in foreign if p.organization_id] == [kist.pk]
    assert list(agreement.fields.all()) == [physics]
    # Editing shows the chosen values selected (the chips are built from them).
    edit = client.get(f"/registry/agreements/{agreement.pk}/edit/").content.decode()
    assert re.search(r'<option value="KR" selected>', edit)


def test_list_filter_has_a_country_picker(make_agreement: Any) -> None:
    make_agreement(title_vi="Hiệp định với Hàn Quốc", country="KR")
    make_agreement(title_vi="Hiệp định với Nhật Bản", country="JP")
    page = Client().get("/registry/agreements/", {"country": "kr"}).content.decode()
    assert 'id="filter-country"' in page
    assert '<option value="KR" selected>' in page
    assert "Hàn Quốc" in page and "Hiệp định với Nhật Bản" not in page
