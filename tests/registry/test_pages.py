"""Pages: lists without N+1 queries, detail with history, the field and country pages,
language switching, the error pages, uploads checked for type and size."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caunoi.registry.entities import ENTITIES, Entity
from support import login

pytestmark = pytest.mark.django_db


def _populate(n: int, make_agreement: Any, make_org: Any, taxonomy: Any, admin: Any) -> None:
    """n public records of every entity, each with its own related rows (parties,
    participants, fields, countries, units), so that an N+1 on any of them shows in a count."""
    from caunoi.registry import services
    from caunoi.registry.models import (
        AgreementDocument,
        AgreementParty,
        Delegation,
        Event,
        Membership,
        Project,
        ProjectParticipant,
        Representative,
    )
    from caunoi.registry.services import country_links_refresh

    unit = admin.unit
    fields = list(taxonomy["fields"].values())
    for i in range(n):
        country = ("KR", "US", "JP")[i % 3]
        parent = make_org(country_id=country)
        org = make_org(country_id=country, parent=parent)
        vn_org = make_org(country_id="VN")
        org.fields.add(*fields[:2])
        agreement = make_agreement(country=country)
        AgreementParty.objects.create(agreement=agreement, side="foreign", organization=org)
        AgreementParty.objects.create(agreement=agreement, side="vn", organization=vn_org)
        country_links_refresh(agreements=[agreement.pk])
        AgreementDocument.objects.create(
            agreement=agreement,
            title=f"Văn bản ký kết {i}",
            file=f"agreements/2024/van-ban-{i}.pdf",
            content_type="application/pdf",
            size=1000 + i,
            sha256=f"{i:064x}",
        )
        agreement.fields.add(*fields)
        project = Project.objects.create(
            title_vi=f"Dự án hợp tác nghiên cứu {i}",
            kind="oda",
            funder=org,
            lead_organization=vn_org,
            owner_unit=unit,
            agreement=agreement,
            is_public=True,
        )
        project.fields.add(*fields[1:])
        ProjectParticipant.objects.create(project=project, organization=org, role="funding")
        ProjectParticipant.objects.create(project=project, organization=vn_org, role="implementing")
        membership = Membership.objects.create(
            organization=org, owner_unit=unit, focal_unit=unit, is_public=True
        )
        membership.fields.add(fields[0])
        delegation = Delegation.objects.create(
            title_vi=f"Đoàn công tác {i}",
            direction="out",
            owner_unit=unit,
            start_on="2024-01-01",
            end_on="2024-01-02",
            agreement=agreement,
            project=project,
            is_public=True,
        )
        delegation.countries.add("KR", "JP")
        delegation.fields.add(*fields)
        event = Event.objects.create(
            title_vi=f"Hội thảo khoa học {i}",
            kind="conference",
            country_id=country,
            start_on="2024-01-01",
            end_on="2024-01-02",
            owner_unit=unit,
            is_public=True,
        )
        event.fields.add(fields[2])
        representative = Representative.objects.create(
            post=f"Cơ quan đại diện {i}", country_id=country, owner_unit=unit, is_public=True
        )
        representative.coverage.add("JP", "US")
        representative.fields.add(*fields[:2])
    services.record_save(user=admin, instance=agreement, data={"summary": "x"})


def _without_eager_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entity's queryset without its select_related/prefetch_related: each list must then
    issue more queries as it grows, or the population could not show an N+1."""
    monkeypatch.setattr(Entity, "base_queryset", lambda self: self.model._default_manager.all())


def _list_queries(client: Client, slug: str, api: bool) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{slug}" if api else f"/registry/{slug}/")
    assert response.status_code == 200
    if api:  # every row is listed (all are public): an empty list could not show an N+1
        assert response.json()["count"] == ENTITIES[slug].model._default_manager.count()
    return [q["sql"] for q in queries.captured_queries]


def _check_query_count_does_not_grow(
    client: Client, slug: str, api: bool, populate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(2)
    small = _list_queries(client, slug, api)
    with monkeypatch.context() as patch:
        _without_eager_loading(patch)
        small_lazy = _list_queries(client, slug, api)
    populate(3)
    large = _list_queries(client, slug, api)
    assert len(large) == len(small), large
    with monkeypatch.context() as patch:
        _without_eager_loading(patch)
        large_lazy = _list_queries(client, slug, api)
    assert len(large_lazy) > len(small_lazy), "the rows do not show an N+1; populate relations"


@pytest.mark.parametrize("slug", list(ENTITIES))
def test_list_query_count_does_not_grow(
    slug: str,
    admin: Any,
    make_agreement: Any,
    make_org: Any,
    taxonomy: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def populate(n: int) -> None:
        _populate(n, make_agreement, make_org, taxonomy, admin)

    _check_query_count_does_not_grow(login(admin), slug, False, populate, monkeypatch)


@pytest.mark.parametrize("slug", list(ENTITIES))
def test_api_list_query_count_does_not_grow(
    slug: str,
    admin: Any,
    make_agreement: Any,
    make_org: Any,
    taxonomy: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def populate(n: int) -> None:
        _populate(n, make_agreement, make_org, taxonomy, admin)

    _check_query_count_does_not_grow(Client(), slug, True, populate, monkeypatch)


def test_detail_page_shows_history_with_changes(admin: Any, make_agreement: Any) -> None:
    from caunoi.registry import services

    agreement = make_agreement()
    services.record_save(
        user=admin, instance=agreement, data={"legal_basis": "Quyết định số 735/QĐ-TTg"}
    )
    page = login(admin).get(agreement.get_absolute_url()).content.decode()
    assert 'id="history"' in page
    assert "735/QĐ-TTg" in page and "<code>legal_basis</code>" not in page
    # The public does not see the audit trail.
    assert 'id="history"' not in Client().get(agreement.get_absolute_url()).content.decode()


def test_field_page_gathers_everything_tagged(
    admin: Any, make_agreement: Any, make_org: Any, taxonomy: Any
) -> None:
    tagged = make_agreement()
    tagged.fields.add(taxonomy["fields"]["physics"])
    hidden = make_agreement(is_public=False)
    hidden.fields.add(taxonomy["fields"]["physics"])
    untagged = make_agreement()
    org = make_org()
    org.fields.add(taxonomy["fields"]["physics"])
    # The parent field's page includes its children.
    page = Client().get("/fields/natural-sciences/").content.decode()
    assert tagged.title_vi in page and org.name_vi in page
    assert untagged.title_vi not in page and hidden.title_vi not in page
    assert hidden.title_vi in login(admin).get("/fields/natural-sciences/").content.decode()


def test_country_page_with_timeline(make_agreement: Any, make_org: Any) -> None:
    from caunoi.registry.models import AgreementParty
    from caunoi.registry.services import country_links_refresh

    korea = make_agreement(country="KR")
    org = make_org(country_id="KR")
    via_org = make_agreement(country="JP")
    AgreementParty.objects.create(agreement=via_org, side="foreign", organization=org)
    country_links_refresh(agreements=[via_org.pk])
    us = make_agreement(country="US")
    page = Client().get("/countries/kr/").content.decode()
    assert korea.title_vi in page and via_org.title_vi in page and org.name_vi in page
    assert us.title_vi not in page
    assert 'id="timeline"' in page


def test_vietnamese_by_default_and_english_on_switch(make_agreement: Any) -> None:
    client = Client()
    page = client.get("/registry/agreements/").content.decode()
    assert 'lang="vi"' in page and "Hiệp định" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/registry/agreements/"})
    page = client.get("/registry/agreements/").content.decode()
    assert 'lang="en"' in page and "Agreements" in page


def test_not_found_page_is_helpful() -> None:
    response = Client().get("/registry/agreements/999999/")
    assert response.status_code == 404
    assert "Quay lại Bảng điều khiển" in response.content.decode()
    assert Client().get("/no-such-thing/").status_code == 404


def test_home_lists_expiring_agreements(make_agreement: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    soon = make_agreement(expires_on=timezone.localdate() + dt.timedelta(days=20))
    far = make_agreement(expires_on=timezone.localdate() + dt.timedelta(days=2000))
    page = Client().get("/").content.decode()
    assert soon.title_vi in page and far.title_vi not in page


def test_htmx_request_returns_only_results(make_agreement: Any) -> None:
    make_agreement()
    response = Client().get(
        "/registry/agreements/?q=Hi", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("hiep-dinh.pdf", b"%PDF-1.7\n...", True),
        ("ban-dich.txt", "Hiệp định".encode(), True),
        ("virus.exe", b"MZ\x90\x00", False),
        ("fake.pdf", b"<html>not a pdf</html>", False),
        ("empty.pdf", b"", False),
        ("latin1.txt", "Hi\xe9p".encode("latin-1"), False),
    ],
)
def test_upload_checks_type_and_content(
    name: str, content: bytes, ok: bool, admin: Any, make_agreement: Any
) -> None:
    agreement = make_agreement()
    login(admin).post(
        f"/registry/agreements/{agreement.pk}/documents/",
        {"title": "Văn bản", "file": SimpleUploadedFile(name, content)},
    )
    assert agreement.documents.exists() is ok


def test_upload_size_limit(admin: Any, make_agreement: Any, settings: Any) -> None:
    settings.CAUNOI_UPLOAD_MAX_BYTES = 100
    agreement = make_agreement()
    login(admin).post(
        f"/registry/agreements/{agreement.pk}/documents/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200)},
    )
    assert not agreement.documents.exists()


def test_other_unit_cannot_upload_or_download_internal(
    other: Any, admin: Any, make_agreement: Any
) -> None:
    agreement = make_agreement(is_public=False)
    response = login(other).post(
        f"/registry/agreements/{agreement.pk}/documents/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 403
    login(admin).post(
        f"/registry/agreements/{agreement.pk}/documents/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    )
    doc = agreement.documents.get()
    assert (
        Client().get(f"/registry/agreements/{agreement.pk}/documents/{doc.pk}/").status_code == 404
    )
    assert (
        login(other).get(f"/registry/agreements/{agreement.pk}/documents/{doc.pk}/").status_code
        == 200
    )


def test_country_links_follow_parties_and_organisation_moves(
    admin: Any, make_org: Any, taxonomy: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Agreement, Project

    org = make_org(country_id="JP")
    agreement = services.agreement_save(
        user=admin,
        agreement=Agreement(),
        data={"title_vi": "Thỏa thuận với viện Nhật", "kind": "mou", "level": "ministry"},
        parties=[("foreign", None, org), ("foreign", taxonomy["countries"]["KR"], None)],
    )
    project = services.project_save(
        user=admin,
        project=Project(),
        data={"title_vi": "Dự án chung", "kind": "bilateral"},
        partners=[org],
    )
    assert set(agreement.countries.values_list("iso2", flat=True)) == {"JP", "KR"}
    assert list(project.countries.values_list("iso2", flat=True)) == ["JP"]
    # The organisation moves its seat: every linked record follows.
    services.record_save(user=admin, instance=org, data={"country": taxonomy["countries"]["US"]})
    assert set(agreement.countries.values_list("iso2", flat=True)) == {"US", "KR"}
    assert list(project.countries.values_list("iso2", flat=True)) == ["US"]
    page = login(admin).get("/registry/agreements/?country=US").content.decode()
    assert "Thỏa thuận với viện Nhật" in page


def test_partner_page_lists_its_agreements_and_projects(
    admin: Any, make_org: Any, make_agreement: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import AgreementParty, Project

    org = make_org(name_vi="Viện Thông tin Khoa học và Công nghệ Hàn Quốc", acronym="KISTI")
    agreement = make_agreement()
    AgreementParty.objects.create(agreement=agreement, side="foreign", organization=org)
    hidden = make_agreement(is_public=False)
    AgreementParty.objects.create(agreement=hidden, side="foreign", organization=org)
    services.project_save(
        user=admin,
        project=Project(),
        data={"title_vi": "Dự án dữ liệu mở", "kind": "bilateral"},
        partners=[org],
    )
    page = Client().get(org.get_absolute_url()).content.decode()
    assert agreement.title_vi in page
    assert hidden.title_vi not in page  # internal, and the project is not public either
    assert "Dự án dữ liệu mở" not in page
    staff_page = login(admin).get(org.get_absolute_url()).content.decode()
    assert hidden.title_vi in staff_page and "Dự án dữ liệu mở" in staff_page
