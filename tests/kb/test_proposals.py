"""From document to record: an agreement, MoU or project decision proposes a draft registry
record with its evidence; an officer confirms it (exactly one record, with the corrections,
through the registry's services) or rejects it (nothing written); nobody else sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.accounts.models import AuditEvent
from caunoi.kb import services
from caunoi.kb.demo import DATA_DIR
from caunoi.kb.ingest import ingest
from caunoi.kb.models import Document, RecordProposal
from caunoi.registry.models import Agreement, Project
from support import login

pytestmark = pytest.mark.django_db


def _ingest(user: Any, name: str, audience: str = "staff", data: bytes | None = None) -> Document:
    [r] = services.documents_upload(
        user=user,
        files=[(name, data if data is not None else (DATA_DIR / name).read_bytes())],
        audience=audience,
        run=ingest,
    )
    assert r.document is not None and not r.error
    return Document.objects.get(pk=r.document.pk)


@pytest.fixture
def partners(make_org: Any, taxonomy: Any) -> dict[str, Any]:
    from caunoi.taxonomy.models import Country, Field

    Country.objects.create(iso2="FI", iso3="FIN", name_vi="Phần Lan", name_en="Finland")
    Field.objects.create(
        code="P19", slug="new-materials", kind="priority", name_vi="Vật liệu mới", name_en="x"
    )
    return {
        "vast": make_org(key="vast", name_vi="Viện Hàn lâm KH&CN Việt Nam", country_id="VN"),
        "kist": make_org(key="kist", name_vi="Viện KH&CN Hàn Quốc", acronym="KIST"),
        "natec": make_org(key="natec", name_vi="Cục NATEC", country_id="VN"),
        "formin": make_org(key="formin-finland", name_vi="Bộ Ngoại giao PL", country_id="FI"),
        "vtt": make_org(key="vtt", name_vi="VTT", country_id="FI"),
    }


def test_an_mou_proposes_an_agreement_with_its_evidence(admin: Any, partners: Any) -> None:
    doc = _ingest(admin, "ban-ghi-nho-kist-2025.txt")
    proposal = RecordProposal.objects.get(document=doc)
    assert proposal.target == "agreement" and proposal.state == "pending"
    v = proposal.values
    assert v["kind"]["value"] == "mou"
    assert v["signed_on"]["value"] == "2025-06-12" and v["signed_place"]["value"] == "Seoul"
    assert v["effective_on"]["value"] == "2025-06-12" and v["expires_on"]["value"] == "2030-06-12"
    assert v["auto_renew"]["value"] is True
    assert v["vn_organizations"]["value"] == ["vast"]
    assert v["foreign_organizations"]["value"] == ["kist"]
    assert v["legal_basis"]["value"] == "Quyết định số 112/QĐ-BKHCN"
    assert "P19" in v["fields"]["value"]
    # Each value carries its evidence: the exact span of the clean text, its passage.
    signed = v["signed_on"]
    assert doc.clean_text[signed["start"] : signed["end"]] == "ngày 12 tháng 6 năm 2025"
    assert signed["quote"] == "ngày 12 tháng 6 năm 2025" and 0 < signed["confidence"] <= 1
    passage = doc.passages.get(ordinal=signed["passage"])
    assert passage.start <= signed["start"] < passage.end
    assert doc.clean_text[v["expires_on"]["start"] : v["expires_on"]["end"]].endswith("5 năm")
    # Documents that are no agreement or project decision propose nothing.
    assert not RecordProposal.objects.filter(
        document=_ingest(admin, "quyet-dinh-112-2024.txt")
    ).exists()


def test_confirm_creates_exactly_one_record_with_the_corrections(owner: Any, partners: Any) -> None:
    doc = _ingest(owner, "ban-ghi-nho-kist-2025.txt")
    client = login(owner)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "Đề xuất bản ghi" in page and 'id="kb-proposal-form"' in page
    assert "ngày 12 tháng 6 năm 2025" in page  # the evidence is shown
    form = client.get(f"/kb/{doc.pk}/proposal/").context["proposal_form"]
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    data = {k: [str(x) for x in v] if isinstance(v, list) else v for k, v in data.items()}
    data["title_vi"] = "Bản ghi nhớ VAST – KIST về vật liệu tiên tiến"  # the officer corrects
    data["signed_place"] = "Xơ-un"
    before = Agreement.objects.count()
    response = client.post(f"/kb/{doc.pk}/proposal/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Agreement.objects.count() == before + 1
    agreement = Agreement.objects.get()
    assert agreement.title_vi == "Bản ghi nhớ VAST – KIST về vật liệu tiên tiến"
    assert agreement.signed_place == "Xơ-un" and agreement.kind == "mou"
    assert str(agreement.signed_on) == "2025-06-12" and str(agreement.expires_on) == "2030-06-12"
    assert agreement.auto_renew and agreement.owner_unit == owner.unit
    assert agreement.legal_basis == "Quyết định số 112/QĐ-BKHCN"
    sides = {(p.side, p.organization.key) for p in agreement.parties.all()}
    assert sides == {("vn", "vast"), ("foreign", "kist")}
    assert set(agreement.countries.values_list("iso2", flat=True)) == {"KR", "VN"}
    assert list(agreement.fields.values_list("code", flat=True)) == ["P19"]
    # Through the registry's services: the audit trail and version.
    assert AuditEvent.objects.filter(
        action="create", object_id=str(agreement.pk), actor=owner
    ).exists()
    assert agreement.version == 1 and agreement.created_by == owner
    proposal = RecordProposal.objects.get(document=doc)
    assert proposal.state == "confirmed" and proposal.agreement == agreement
    assert proposal.decided_by == owner
    # The agreement's page lists the document it came from; the document's page the record.
    assert doc.get_absolute_url() in client.get(agreement.get_absolute_url()).content.decode()
    assert agreement.get_absolute_url() in client.get(doc.get_absolute_url()).content.decode()
    # Confirming again, or re-reading the document, creates nothing more.
    assert client.post(f"/kb/{doc.pk}/proposal/", data).status_code == 200
    ingest(doc)
    assert Agreement.objects.count() == before + 1
    assert RecordProposal.objects.get(document=doc).state == "confirmed"


def test_an_invalid_correction_writes_nothing(owner: Any, partners: Any) -> None:
    doc = _ingest(owner, "ban-ghi-nho-kist-2025.txt")
    client = login(owner)
    form = client.get(f"/kb/{doc.pk}/proposal/").context["proposal_form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, "")}
    data = {k: [str(x) for x in v] if isinstance(v, list) else v for k, v in data.items()}
    data["expires_on"] = "2020-01-01"  # before the signing date
    response = client.post(f"/kb/{doc.pk}/proposal/", data)
    assert response.status_code == 400
    assert "expires_on" in response.context["proposal_form"].errors
    assert Agreement.objects.count() == 0
    assert RecordProposal.objects.get(document=doc).state == "pending"


def test_reject_writes_nothing_and_stays_rejected(owner: Any, partners: Any) -> None:
    doc = _ingest(owner, "ban-ghi-nho-kist-2025.txt")
    registry_events = AuditEvent.objects.exclude(model__startswith="kb.").count()
    client = login(owner)
    response = client.post(f"/kb/{doc.pk}/proposal/reject/", {"reason": "Đã có trong sổ"})
    assert response.status_code == 302
    proposal = RecordProposal.objects.get(document=doc)
    assert proposal.state == "rejected" and proposal.reason == "Đã có trong sổ"
    assert Agreement.objects.count() == 0 and Project.objects.count() == 0
    assert AuditEvent.objects.exclude(model__startswith="kb.").count() == registry_events
    ingest(doc)  # reading the document again does not bring it back
    assert RecordProposal.objects.get(document=doc).state == "rejected"
    assert client.post(f"/kb/{doc.pk}/proposal/", {"title_vi": "x"}).status_code == 200
    assert Agreement.objects.count() == 0
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'id="kb-proposal-rejected"' in page and 'id="kb-proposal-form"' not in page


def test_only_the_documents_officers_see_and_decide(
    admin: Any, owner: Any, other: Any, viewer: Any, enterprise: Any, partners: Any
) -> None:
    doc = _ingest(admin, "ban-ghi-nho-kist-2025.txt", audience="public")
    doc.owner_unit = owner.unit
    doc.save()
    anonymous = Client()
    assert "kb-proposal" not in anonymous.get(doc.get_absolute_url()).content.decode()
    assert anonymous.get(f"/kb/{doc.pk}/proposal/").status_code == 302
    assert anonymous.get("/api/v1/kb/proposals").status_code in (401, 403)
    assert anonymous.get(f"/api/v1/kb/documents/{doc.pk}/proposal").status_code in (401, 403)
    for user in (other, viewer, enterprise):
        c = login(user)
        assert "kb-proposal" not in c.get(doc.get_absolute_url()).content.decode()
        assert c.get(f"/kb/{doc.pk}/proposal/").status_code == 403
        assert c.post(f"/kb/{doc.pk}/proposal/", {"title_vi": "x"}).status_code == 403
        assert c.post(f"/kb/{doc.pk}/proposal/reject/").status_code == 403
        assert c.get(f"/api/v1/kb/documents/{doc.pk}/proposal").status_code == 403
        r = c.post(f"/api/v1/kb/documents/{doc.pk}/proposal/confirm", {}, "application/json")
        assert r.status_code == 403
    assert login(viewer).get("/api/v1/kb/proposals").status_code == 403
    assert login(other).get("/api/v1/kb/proposals").json()["items"] == []
    assert Agreement.objects.count() == 0
    assert RecordProposal.objects.get(document=doc).state == "pending"
    listed = login(owner).get("/api/v1/kb/proposals?state=pending").json()["items"]
    assert [p["document"] for p in listed] == [doc.pk] and listed[0]["target"] == "agreement"


def test_api_confirms_a_project_decision_with_changes(owner: Any, partners: Any) -> None:
    doc = _ingest(owner, "quyet-dinh-phe-duyet-du-an-2025.txt")
    client = login(owner)
    got = client.get(f"/api/v1/kb/documents/{doc.pk}/proposal").json()
    assert got["target"] == "project" and got["values"]["code"]["value"] == "IPP3-VN-2025-01"
    assert got["values"]["budget"]["quote"] == "2.500.000 EUR"
    url = f"/api/v1/kb/documents/{doc.pk}/proposal/confirm"
    bad = client.post(url, {"changes": {"planned_end": "2020-01-01"}}, "application/json")
    assert bad.status_code == 400 and "planned_end" in bad.json()["errors"]
    unknown = client.post(url, {"changes": {"secret": 1}}, "application/json")
    assert unknown.status_code == 400
    assert Project.objects.count() == 0
    ok = client.post(url, {"changes": {"title_en": "Start-up innovation"}}, "application/json")
    assert ok.status_code == 201, ok.content
    project = Project.objects.get()
    assert ok.json()["record"] == {
        "type": "projects",
        "id": project.pk,
        "title": str(project),
        "url": project.get_absolute_url(),
    }
    assert project.code == "IPP3-VN-2025-01" and project.kind == "oda"
    assert project.title_en == "Start-up innovation"
    assert project.title_vi.startswith("Nâng cao năng lực đổi mới sáng tạo")
    assert str(project.budget) == "2500000.00" and project.currency == "EUR"
    assert str(project.planned_start) == "2025-04-01" and str(project.planned_end) == "2028-03-31"
    assert project.lead_organization.key == "natec" and project.funder.key == "formin-finland"
    roles = {(p.organization.key, p.role) for p in project.participants.all()}
    assert roles == {("vtt", "implementing"), ("formin-finland", "funding")}
    again = client.post(url, {}, "application/json")
    assert again.status_code == 409 and Project.objects.count() == 1
    reject = client.post(f"/api/v1/kb/documents/{doc.pk}/proposal/reject", {}, "application/json")
    assert reject.status_code == 409


def test_a_project_page_lists_the_documents_that_name_it(
    admin: Any, units: Any, taxonomy: Any
) -> None:
    project = Project.objects.create(
        title_vi="Hệ thống cảnh báo sớm lũ quét vùng núi phía Bắc",
        code="NĐT.99.KR/25",
        kind="protocol",
        owner_unit=units["htqt"],
        is_public=True,
    )
    other = Project.objects.create(
        title_vi="Dự án khác hoàn toàn", kind="oda", owner_unit=units["htqt"], is_public=True
    )
    text = "Báo cáo tiến độ nhiệm vụ NĐT.99.KR/25 năm 2025: đã lắp đặt 12 trạm đo mưa.\n"
    public = _ingest(admin, "tien-do.txt", "public", text.encode())
    staff = _ingest(
        admin,
        "noi-bo.txt",
        "staff",
        "Đánh giá nội bộ dự án Hệ thống cảnh báo sớm lũ quét vùng núi phía Bắc.\n".encode(),
    )
    _ingest(admin, "khac.txt", "public", "Hệ thống cảnh báo sớm cho vùng ven biển.\n".encode())
    page = Client().get(project.get_absolute_url()).content.decode()
    assert 'id="kb-documents"' in page and public.get_absolute_url() in page
    assert staff.get_absolute_url() not in page  # not for the public
    assert "Văn bản trong kho tri thức nhắc tới dự án này" in page
    page = login(admin).get(project.get_absolute_url()).content.decode()
    assert public.get_absolute_url() in page and staff.get_absolute_url() in page
    assert len([d for d in Document.objects.all() if d.get_absolute_url() in page]) == 2
    assert 'id="kb-documents"' not in Client().get(other.get_absolute_url()).content.decode()


def test_marking_a_document_as_an_agreement_proposes_a_record(owner: Any, partners: Any) -> None:
    text = "Hai bên thống nhất hợp tác với KIST về vật liệu tiên tiến trong ba năm tới.\n"
    doc = _ingest(owner, "ghi-chu.txt", data=text.encode())
    assert not RecordProposal.objects.filter(document=doc).exists()
    services.document_update(user=owner, document=doc, data={"kind": "mou"}, version=doc.version)
    proposal = RecordProposal.objects.get(document=doc)
    assert proposal.target == "agreement"
    assert proposal.values["foreign_organizations"]["value"] == ["kist"]
    assert proposal.values["foreign_organizations"]["quote"] == "KIST"


def test_a_drafting_error_fails_neither_ingestion_nor_the_metadata_edit(
    owner: Any, partners: Any, monkeypatch: Any, caplog: Any
) -> None:
    from caunoi.kb import drafting

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("day is out of range for month")  # as a malformed date would

    monkeypatch.setattr(drafting, "draft", broken)
    text = "Biên bản ghi nhớ hợp tác với KIST về vật liệu tiên tiến.\n"
    with caplog.at_level("ERROR", logger="caunoi.kb"):
        doc = _ingest(owner, "bien-ban.txt", data=text.encode())
        assert doc.state == "ready" and not doc.error
        before = doc.version
        saved = services.document_update(
            user=owner, document=doc, data={"kind": "mou"}, version=doc.version
        )
    assert Document.objects.get(pk=doc.pk).kind == "mou" and saved.version == before + 1
    assert not RecordProposal.objects.filter(document=doc).exists()
    assert [r for r in caplog.records if "proposal" in r.getMessage()]
