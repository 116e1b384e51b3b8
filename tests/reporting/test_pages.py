"""Reporting pages: campaigns and completeness, the units' status list, a unit's form (draft,
Vietnamese validation, submit, stale writes), the review, the history and attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caunoi.reporting.models import Submission, SubmissionState
from support import login

pytestmark = pytest.mark.django_db

FILLED = {"tom-tat": "Thành phố đã ban hành kế hoạch.", "so-hop-dong": "4", "nhiem-vu__rows": "3"}


def test_staff_see_campaigns_and_outsiders_see_nothing(
    campaign: Any, viewer: Any, make_outside: Any
) -> None:
    page = login(viewer).get("/reporting/")
    assert page.status_code == 200 and campaign.title_vi in page.content.decode()
    assert login(viewer).get(f"/reporting/{campaign.pk}/").status_code == 200
    outsider = login(make_outside("enterprise", "dn"))
    assert outsider.get("/reporting/").status_code == 404
    assert outsider.get(f"/reporting/{campaign.pk}/").status_code == 404


def test_detail_shows_completeness_filters_and_sorts(
    campaign: Any, other: Any, owner: Any, hanoi_report: Any
) -> None:
    from caunoi.reporting import services

    services.submission_save(
        user=other,
        submission=hanoi_report,
        answers={"tom-tat": "x"},
        expected_version=hanoi_report.version,
        submit=True,
    )
    client = login(owner)
    body = client.get(f"/reporting/{campaign.pk}/").content.decode()
    assert "1/2" in body and "50,0%" in body
    only = client.get(f"/reporting/{campaign.pk}/", {"category": "neither"}).content.decode()
    assert 'data-unit="bo-y-te"' in only and 'data-unit="ha-noi"' not in only
    provinces = client.get(f"/reporting/{campaign.pk}/", {"kind": "province"}).content.decode()
    assert 'data-unit="ha-noi"' in provinces and 'data-unit="bo-y-te"' not in provinces
    ordered = client.get(f"/reporting/{campaign.pk}/", {"sort": "-name"}).content.decode()
    assert ordered.index('data-unit="ha-noi"') < ordered.index('data-unit="bo-y-te"')
    empty = client.get(f"/reporting/{campaign.pk}/", {"q": "không có đơn vị này"})
    assert "Không có đơn vị nào" in empty.content.decode()


def test_the_detail_page_query_count_does_not_grow_with_units(admin: Any, campaign: Any) -> None:
    from caunoi.accounts.models import Unit
    from caunoi.reporting import services

    client = login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/reporting/{campaign.pk}/")
    for i in range(15):
        unit = Unit.objects.create(code=f"tinh-{i}", name_vi=f"Tỉnh {i}", kind="province")
        services.campaign_unit_add(user=admin, campaign=campaign, unit=unit)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/reporting/{campaign.pk}/")
    assert len(many) == len(few)


def test_a_province_saves_a_draft_sees_vietnamese_errors_and_submits(
    other: Any, hanoi_report: Any
) -> None:
    client = login(other)
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"version": hanoi_report.version, "action": "save", "so-hop-dong": "nhiều", "ty-le": "150"},
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Hãy nhập một số." in text and "100" in text
    draft = client.post(
        url, {"version": hanoi_report.version, "action": "save", "so-hop-dong": "4"}
    )
    assert draft.status_code == 302
    saved = Submission.objects.get(pk=hanoi_report.pk)
    assert saved.answers == {"so-hop-dong": 4} and saved.state == SubmissionState.DRAFT
    missing = client.post(url, {"version": saved.version, "action": "submit", "so-hop-dong": "4"})
    assert missing.status_code == 400 and 'data-field="tom-tat"' in missing.content.decode()
    table = {"nhiem-vu__0__ten": "Hội thảo", "nhiem-vu__0__kinh-phi": "120,5"}
    sent = client.post(url, {**FILLED, **table, "version": saved.version, "action": "submit"})
    assert sent.status_code == 302
    saved.refresh_from_db()
    assert saved.state == SubmissionState.SUBMITTED
    assert saved.answers["nhiem-vu"] == [{"ten": "Hội thảo", "kinh-phi": 120.5}]


def test_a_stale_form_is_refused_with_409_and_the_difference(
    other: Any, owner: Any, hanoi_report: Any
) -> None:
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    stale = hanoi_report.version
    assert (
        login(owner).post(url, {"version": stale, "action": "save", "so-hop-dong": "9"}).status_code
        == 302
    )
    late = login(other).post(url, {"version": stale, "action": "save", "so-hop-dong": "3"})
    assert late.status_code == 409
    body = late.content.decode()
    assert 'id="form-conflict"' in body and "9 hợp đồng" in body and "3 hợp đồng" in body
    assert Submission.objects.get(pk=hanoi_report.pk).answers == {"so-hop-dong": 9}


def test_a_unit_cannot_open_or_post_another_units_submission(
    other: Any, viewer: Any, campaign: Any, ministry: Any
) -> None:
    sub = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    url = f"/reporting/submissions/{sub.pk}/"
    assert login(other).get(url).status_code == 404
    assert (
        login(other)
        .post(url, {"version": sub.version, "action": "save", "tom-tat": "x"})
        .status_code
        == 404
    )
    assert login(viewer).get(url).status_code == 404
    assert login(other).post(f"{url}review/", {"decision": "approve"}).status_code == 404
    assert Submission.objects.get(pk=sub.pk).answers == {}


def test_review_return_resubmit_approve_and_history(
    other: Any, owner: Any, hanoi_report: Any
) -> None:
    unit, htqt = login(other), login(owner)
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    unit.post(url, {**FILLED, "version": 1, "action": "submit"})
    sub = Submission.objects.get(pk=hanoi_report.pk)
    assert (
        unit.post(f"{url}review/", {"decision": "approve", "version": sub.version}).status_code
        == 403
    )
    htqt.post(
        f"{url}review/",
        {"decision": "return", "comment": "Bổ sung số liệu kinh phí", "version": sub.version},
    )
    sub.refresh_from_db()
    assert sub.state == SubmissionState.RETURNED
    assert "Bổ sung số liệu kinh phí" in unit.get(url).content.decode()
    unit.post(url, {**FILLED, "so-hop-dong": "6", "version": sub.version, "action": "submit"})
    sub.refresh_from_db()
    htqt.post(f"{url}review/", {"decision": "approve", "version": sub.version})
    sub.refresh_from_db()
    assert sub.state == SubmissionState.APPROVED
    history = unit.get(f"{url}history/").content.decode()
    assert history.count('class="card history"') == 4
    assert "4 hợp đồng" in history and "6 hợp đồng" in history


def test_attachments_are_checked_and_served_to_readers_only(
    other: Any, campaign: Any, viewer: Any, admin: Any, template_version: Any
) -> None:
    from caunoi.reporting.models import Indicator

    Indicator.objects.create(
        section=template_version.sections.first(),
        version=template_version,
        code="tep",
        label_vi="Văn bản",
        kind="file",
        order=99,
    )
    sub = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    url = f"/reporting/submissions/{sub.pk}/"
    client = login(other)
    fake = SimpleUploadedFile("baocao.pdf", b"not a pdf at all")
    bad = client.post(url, {"version": sub.version, "action": "save", "tep": fake})
    assert bad.status_code == 400 and Submission.objects.get(pk=sub.pk).answers == {}
    pdf = SimpleUploadedFile("baocao.pdf", b"%PDF-1.4\n%%EOF\n")
    assert (
        client.post(url, {"version": sub.version, "action": "save", "tep": pdf}).status_code == 302
    )
    sub.refresh_from_db()
    assert sub.answers["tep"]["name"] == "baocao.pdf"
    download = client.get(f"{url}files/tep/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(viewer).get(f"{url}files/tep/").status_code == 404


def test_my_submissions_lists_only_my_units(other: Any, campaign: Any) -> None:
    body = login(other).get("/reporting/mine/").content.decode()
    assert "Sở KH&amp;CN Hà Nội" in body and "Bộ Y tế" not in body


def test_the_consolidated_report_is_for_the_campaigns_officers(
    campaign: Any, owner: Any, other: Any
) -> None:
    import io

    from docx import Document

    page = login(owner).get(f"/reporting/{campaign.pk}/").content.decode()
    assert 'id="report-docx"' in page
    docx = login(owner).get(f"/reporting/{campaign.pk}/report.docx")
    assert docx.status_code == 200
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        in Document(io.BytesIO(docx.content)).tables[0].rows[0].cells[1].text
    )
    pdf = login(owner).get(f"/reporting/{campaign.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert login(owner).get(f"/reporting/{campaign.pk}/report.txt").status_code == 404
    assert login(other).get(f"/reporting/{campaign.pk}/report.xlsx").status_code == 403
    assert 'id="report-docx"' not in login(other).get(f"/reporting/{campaign.pk}/").content.decode()
