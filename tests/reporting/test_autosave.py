"""Draft autosave (htmx): saved with the version check, a stale autosave never overwrites
another writer's save and shows the difference, bad answers are named and nothing is saved,
an unchanged form writes no version, uploads are not touched, permissions as the form's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.reporting import services
from caunoi.reporting.models import Submission
from support import login

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(sub: Any) -> str:
    return f"/reporting/submissions/{sub.pk}/autosave/"


def test_the_form_autosaves_drafts_and_refreshes_its_version(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    page = client.get(f"/reporting/submissions/{hanoi_report.pk}/").content.decode()
    assert f'hx-post="{_url(hanoi_report)}"' in page and 'id="autosave-status"' in page
    r = client.post(_url(hanoi_report), {"version": "1", "tom-tat": "Bản nháp đầu"}, **HTMX)
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-state="saved"' in body and "phiên bản 2" in body
    # The hidden version fields are refreshed out of band for the next save.
    assert 'id="submission-version" hx-swap-oob="true"' in body and 'value="2"' in body
    hanoi_report.refresh_from_db()
    assert hanoi_report.answers["tom-tat"] == "Bản nháp đầu" and hanoi_report.state == "draft"
    assert hanoi_report.versions.count() == 1
    # The next autosave carries version 2; the same content again writes nothing.
    r = client.post(_url(hanoi_report), {"version": "2", "tom-tat": "Bản nháp đầu"}, **HTMX)
    assert 'data-state="unchanged"' in r.content.decode()
    hanoi_report.refresh_from_db()
    assert hanoi_report.version == 2 and hanoi_report.versions.count() == 1


def test_a_stale_autosave_never_overwrites_and_shows_the_difference(
    other: Any, owner: Any, hanoi_report: Any
) -> None:
    services.submission_save(
        user=owner,
        submission=hanoi_report,
        answers={"tom-tat": "Bản của Vụ HTQT", "so-hop-dong": "7"},
        expected_version=1,
    )
    r = login(other).post(
        _url(hanoi_report),
        {"version": "1", "tom-tat": "Bản của Sở", "so-hop-dong": "7"},
        **HTMX,
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert 'data-state="conflict"' in body and "hx-swap-oob" not in body
    assert 'data-field="tom-tat"' in body and 'data-field="so-hop-dong"' not in body
    assert "Bản của Vụ HTQT" in body and "Bản của Sở" in body
    saved = Submission.objects.get(pk=hanoi_report.pk)
    assert saved.answers["tom-tat"] == "Bản của Vụ HTQT" and saved.version == 2


def test_bad_answers_are_named_and_nothing_is_saved(other: Any, hanoi_report: Any) -> None:
    r = login(other).post(
        _url(hanoi_report),
        {"version": "1", "tom-tat": "Được", "so-hop-dong": "mười", "ty-le": "130"},
        **HTMX,
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert 'data-state="invalid"' in body
    assert "Số hợp đồng chuyển giao công nghệ" in body and "Tỷ lệ hoàn thành" in body
    hanoi_report.refresh_from_db()
    assert hanoi_report.answers == {} and hanoi_report.version == 1


def test_autosave_keeps_attachments_and_ignores_uploads(
    other: Any, hanoi_report: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    attached = {"name": "ke-hoach.pdf", "path": "reporting/x/ke-hoach.pdf"}
    hanoi_report.answers = {"tep": attached}
    hanoi_report.save()
    # The fixture template has no file indicator: add the answer through a version that has.
    from caunoi.reporting.models import Indicator

    section = Indicator.objects.get(code="tom-tat").section
    Indicator.objects.create(
        section=section, version=section.version, code="tep", label_vi="Tệp", kind="file"
    )
    pdf = SimpleUploadedFile("moi.pdf", b"%PDF-1.4\n%%EOF\n")
    r = login(other).post(
        _url(hanoi_report), {"version": "1", "tom-tat": "Có tệp", "tep": pdf}, **HTMX
    )
    assert r.status_code == 200
    hanoi_report.refresh_from_db()
    assert hanoi_report.answers["tep"] == attached and hanoi_report.answers["tom-tat"] == "Có tệp"
    assert not (tmp_path / "reporting").exists()  # the upload was not stored


def test_autosave_permissions_and_sent_submissions(
    other: Any, viewer: Any, owner: Any, hanoi_report: Any, make_outside: Any
) -> None:
    assert login(viewer).post(_url(hanoi_report), {"version": "1"}).status_code == 404
    outsider = login(make_outside("enterprise", "dn"))
    assert outsider.post(_url(hanoi_report), {"version": "1"}).status_code == 404
    assert login(other).get(_url(hanoi_report)).status_code == 405
    services.submission_save(
        user=other,
        submission=hanoi_report,
        answers={"tom-tat": "Đã gửi"},
        expected_version=1,
        submit=True,
    )
    # Sent: the unit may no longer change it; its officers are not autosaving it either.
    assert login(other).post(_url(hanoi_report), {"version": "2"}).status_code == 403
    r = login(owner).post(_url(hanoi_report), {"version": "2", "tom-tat": "Sửa"}, **HTMX)
    assert r.status_code == 409 and 'data-state="refused"' in r.content.decode()
    hanoi_report.refresh_from_db()
    assert hanoi_report.answers["tom-tat"] == "Đã gửi"
    page = login(owner).get(f"/reporting/submissions/{hanoi_report.pk}/").content.decode()
    assert "autosave" not in page


def test_the_table_row_count_is_bounded_and_read_safely(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    huge = {"version": "1", "tom-tat": "Nháp", "nhiem-vu__rows": "999999999"}
    r = client.post(_url(hanoi_report), huge, **HTMX)
    assert r.status_code == 400
    assert "Một bảng có tối đa 500 dòng." in r.content.decode()
    for bad in ("abc", "²", "-1"):
        r = client.post(_url(hanoi_report), {**huge, "nhiem-vu__rows": bad}, **HTMX)
        assert r.status_code == 200, bad  # read as no rows, the rest is saved
    hanoi_report.refresh_from_db()
    assert hanoi_report.answers["tom-tat"] == "Nháp"


def test_an_autosave_without_the_form_version_is_refused(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    page = client.get(f"/reporting/submissions/{hanoi_report.pk}/").content.decode()
    form = page.split('id="submission-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="version" value="1"' in form  # the autosave posts the whole form
    for version in ({}, {"version": ""}, {"version": "²"}):
        r = client.post(_url(hanoi_report), {"tom-tat": "Ghi đè", **version}, **HTMX)
        assert r.status_code == 428 and 'data-state="refused"' in r.content.decode()
    hanoi_report.refresh_from_db()
    assert hanoi_report.version == 1 and "tom-tat" not in hanoi_report.answers


def test_a_version_in_unicode_digits_is_no_server_error(other: Any, hanoi_report: Any) -> None:
    r = login(other).post(
        f"/reporting/submissions/{hanoi_report.pk}/", {"version": "²", "tom-tat": "Nháp"}
    )
    assert r.status_code < 500
