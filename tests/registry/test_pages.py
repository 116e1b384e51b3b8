"""Pages: lists without N+1 queries, detail with history, the field and country pages,
language switching, the error pages, uploads checked for type and size."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caunoi.registry.entities import ENTITIES
from support import login

pytestmark = pytest.mark.django_db


def _populate(n: int, make_agreement: Any, make_org: Any, taxonomy: Any, admin: Any) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Delegation, Event, Membership, Project, Representative

    unit = admin.unit
    for i in range(n):
        agreement = make_agreement(country="KR" if i % 2 else "US")
        agreement.fields.add(taxonomy["fields"]["semis"])
        org = make_org()
        Project.objects.create(
            title_vi=f"Dự án {i}",
            kind="oda",
            funder=org,
            owner_unit=unit,
            agreement=agreement,
            is_public=True,
        )
        Membership.objects.create(organization=org, owner_unit=unit, focal_unit=unit)
        d = Delegation.objects.create(
            title_vi=f"Đoàn {i}",
            direction="out",
            owner_unit=unit,
            start_on="2024-01-01",
            end_on="2024-01-02",
        )
        d.countries.add("KR", "JP")
        Event.objects.create(
            title_vi=f"Hội thảo {i}",
            kind="conference",
            country_id="KR",
            start_on="2024-01-01",
            end_on="2024-01-02",
            owner_unit=unit,
        )
        r = Representative.objects.create(
            post=f"Cơ quan đại diện {i}", country_id="KR", owner_unit=unit
        )
        r.coverage.add("JP")
    services.record_save(user=admin, instance=agreement, data={"summary": "x"})


@pytest.mark.parametrize("slug", list(ENTITIES))
def test_list_query_count_does_not_grow(
    slug: str, admin: Any, make_agreement: Any, make_org: Any, taxonomy: Any
) -> None:
    client = login(admin)
    _populate(3, make_agreement, make_org, taxonomy, admin)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/registry/{slug}/").status_code == 200
    _populate(12, make_agreement, make_org, taxonomy, admin)
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/registry/{slug}/").status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


@pytest.mark.parametrize("slug", list(ENTITIES))
def test_api_list_query_count_does_not_grow(
    slug: str, admin: Any, make_agreement: Any, make_org: Any, taxonomy: Any
) -> None:
    _populate(3, make_agreement, make_org, taxonomy, admin)
    with CaptureQueriesContext(connection) as small:
        assert Client().get(f"/api/v1/{slug}").status_code == 200
    _populate(12, make_agreement, make_org, taxonomy, admin)
    with CaptureQueriesContext(connection) as large:
        assert Client().get(f"/api/v1/{slug}").status_code == 200
    assert len(large) == len(small)


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
