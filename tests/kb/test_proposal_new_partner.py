"""A party the registry does not hold yet is proposed as a new partner; confirming creates it
through the registry's partner service (audited) together with the record, all or nothing;
rejecting, or a refused form, creates nothing."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.accounts.models import AuditEvent
from caunoi.kb import services
from caunoi.kb.ingest import ingest
from caunoi.kb.models import Document, RecordProposal
from caunoi.registry.models import Agreement, Organization
from support import login

pytestmark = pytest.mark.django_db

MOU = (
    "BẢN GHI NHỚ\n\n"
    "Về hợp tác nghiên cứu công nghệ biển\n\n"
    "Giữa: Viện Hàn lâm Khoa học và Công nghệ Việt Nam\n\n"
    "Và: Trường Đại học Chulalongkorn, Vương quốc Thái Lan\n\n"
    "Băng Cốc, ngày 19 tháng 1 năm 2024\n\n"
    "Hai bên trao đổi dữ liệu quan trắc và kết quả nghiên cứu.\n\n"
    "Bản ghi nhớ có hiệu lực 5 năm kể từ ngày ký.\n"
).encode()


@pytest.fixture
def parties(make_org: Any, taxonomy: Any) -> Any:
    from caunoi.taxonomy.models import Country

    Country.objects.get_or_create(
        iso2="TH", defaults={"iso3": "THA", "name_vi": "Thái Lan", "name_en": "Thailand"}
    )
    return make_org(
        key="vast", name_vi="Viện Hàn lâm Khoa học và Công nghệ Việt Nam", country_id="VN"
    )


def _document(user: Any) -> Document:
    [r] = services.documents_upload(
        user=user, files=[("mou-chula.txt", MOU)], audience="staff", run=ingest
    )
    assert r.document is not None and not r.error
    return Document.objects.get(pk=r.document.pk)


def _form_data(client: Any, doc: Document) -> dict[str, Any]:
    form = client.get(f"/kb/{doc.pk}/proposal/").context["proposal_form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, "")}
    return {k: [str(x) for x in v] if isinstance(v, list) else v for k, v in data.items()}


def test_the_new_partner_is_proposed_and_shown(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    proposal = RecordProposal.objects.get(document=doc)
    [new] = proposal.values["new_partners"]["value"]
    assert new == {
        "name": "Trường Đại học Chulalongkorn",
        "country": "TH",
        "kind": "university",
        "field": "foreign_organizations",
    }
    assert proposal.values["vn_organizations"]["value"] == ["vast"]
    page = login(owner).get(doc.get_absolute_url()).content.decode()
    assert "Đối tác mới (sẽ được tạo khi xác nhận)" in page
    assert 'value="Trường Đại học Chulalongkorn"' in page


def test_confirm_creates_the_partner_with_the_record(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    client = login(owner)
    data = _form_data(client, doc)
    data.update(
        {
            "new_partner": "page",
            "new_partner-0": "on",
            "new_partner-0-name": "Trường Đại học Chulalongkorn (Thái Lan)",  # corrected
            "new_partner-0-country": "th",
            "new_partner-0-kind": "university",
        }
    )
    orgs = Organization.objects.count()
    response = client.post(f"/kb/{doc.pk}/proposal/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organization.objects.count() == orgs + 1
    partner = Organization.objects.get(name_vi="Trường Đại học Chulalongkorn (Thái Lan)")
    assert partner.country_id == "TH" and partner.kind == "university"
    assert partner.owner_unit == owner.unit and partner.key
    agreement = Agreement.objects.get()
    sides = {(p.side, p.organization.key) for p in agreement.parties.all()}
    assert sides == {("vn", "vast"), ("foreign", partner.key)}
    assert AuditEvent.objects.filter(
        action="create", object_id=str(partner.pk), actor=owner
    ).exists()
    proposal = RecordProposal.objects.get(document=doc)
    assert proposal.state == "confirmed" and proposal.agreement == agreement


def test_an_unchecked_new_partner_is_not_created(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    client = login(owner)
    data = {**_form_data(client, doc), "new_partner": "page"}  # the box left unchecked
    orgs = Organization.objects.count()
    response = client.post(f"/kb/{doc.pk}/proposal/", data)
    # Without it the agreement has no foreign party: refused, nothing written.
    assert response.status_code == 400
    assert Organization.objects.count() == orgs and Agreement.objects.count() == 0


def test_a_refused_form_creates_no_partner(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    client = login(owner)
    data = {**_form_data(client, doc), "new_partner": "page", "new_partner-0": "on"}
    data["expires_on"] = "2020-01-01"  # before the signing date
    orgs = Organization.objects.count()
    events = AuditEvent.objects.count()
    response = client.post(f"/kb/{doc.pk}/proposal/", data)
    assert response.status_code == 400
    assert "expires_on" in response.context["proposal_form"].errors
    assert Organization.objects.count() == orgs and Agreement.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert RecordProposal.objects.get(document=doc).state == "pending"


def test_reject_creates_nothing(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    orgs = Organization.objects.count()
    response = login(owner).post(f"/kb/{doc.pk}/proposal/reject/", {"reason": "Trùng"})
    assert response.status_code == 302
    assert Organization.objects.count() == orgs and Agreement.objects.count() == 0
    assert RecordProposal.objects.get(document=doc).state == "rejected"


def test_api_confirm_creates_the_proposed_partner(owner: Any, parties: Any) -> None:
    doc = _document(owner)
    client = login(owner)
    url = f"/api/v1/kb/documents/{doc.pk}/proposal/confirm"
    orgs = Organization.objects.count()
    refused = client.post(url, {"changes": {"new_partners": []}}, content_type="application/json")
    assert refused.status_code == 400 and Organization.objects.count() == orgs
    response = client.post(
        url,
        {"changes": {"new_partners": {"0": {"kind": "research_institute"}}}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    partner = Organization.objects.get(name_vi="Trường Đại học Chulalongkorn")
    assert partner.kind == "research_institute" and partner.country_id == "TH"
    assert Agreement.objects.get().parties.filter(organization=partner, side="foreign").exists()
