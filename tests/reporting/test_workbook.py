"""A submission downloaded as XLSX, filled offline and uploaded: saved as a draft, or refused
whole with every bad cell named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from caunoi.reporting.models import Submission
from support import login

pytestmark = pytest.mark.django_db


def _fill(raw: bytes, answers: dict[str, Any], table: list[list[Any]] | None = None) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    sheet = book["Bao cao"]
    for row in sheet.iter_rows(min_row=2):
        code = row[0].value
        if code in answers:
            row[6].value = answers[code]
    for line in table or []:
        book["nhiem-vu"].append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Any, url: str, content: bytes, version: int, name: str = "bc.xlsx") -> Any:
    return client.post(
        f"{url}xlsx/", {"file": SimpleUploadedFile(name, content), "version": version}
    )


def test_download_fill_upload_round_trip(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    raw = client.get(f"{url}xlsx/")
    assert raw.status_code == 200
    filled = _fill(
        raw.content,
        {"tom-tat": "Đã tổ chức hội thảo.", "so-hop-dong": 7, "co-ke-hoach": "có", "muc-do": "kha"},
        [["Hội thảo kết nối", 250]],
    )
    assert _upload(client, url, filled, hanoi_report.version).status_code == 302
    saved = Submission.objects.get(pk=hanoi_report.pk)
    assert saved.state == "draft"
    assert saved.answers == {
        "tom-tat": "Đã tổ chức hội thảo.",
        "so-hop-dong": 7,
        "co-ke-hoach": True,
        "muc-do": "kha",
        "nhiem-vu": [{"ten": "Hội thảo kết nối", "kinh-phi": 250}],
    }
    again = load_workbook(io.BytesIO(client.get(f"{url}xlsx/").content))
    assert [
        r[6]
        for r in again["Bao cao"].iter_rows(min_row=2, values_only=True)
        if r[0] == "so-hop-dong"
    ] == [7]


def test_bad_cells_are_each_named_and_nothing_is_saved(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    raw = client.get(f"{url}xlsx/").content
    bad = _fill(
        raw, {"so-hop-dong": "bảy", "ty-le": 140, "muc-do": "rat-tot"}, [["Hội thảo", "nhiều"]]
    )
    response = _upload(client, url, bad, hanoi_report.version)
    assert response.status_code == 400
    body = response.content.decode()
    for place in ("Bao cao!G3", "Bao cao!G4", "Bao cao!G6", "nhiem-vu, dòng 3, cột kinh-phi"):
        assert place in body, place
    assert Submission.objects.get(pk=hanoi_report.pk).answers == {}
    assert Submission.objects.get(pk=hanoi_report.pk).version == hanoi_report.version


def test_a_file_that_is_not_the_workbook_is_refused(other: Any, hanoi_report: Any) -> None:
    client = login(other)
    url = f"/reporting/submissions/{hanoi_report.pk}/"
    assert _upload(client, url, b"not a workbook", 1, "bc.xlsx").status_code == 400
    assert _upload(client, url, b"PK\x03\x04broken", 1, "bc.xlsx").status_code == 400
    assert Submission.objects.get(pk=hanoi_report.pk).answers == {}


def test_another_unit_cannot_download_or_upload(campaign: Any, other: Any, ministry: Any) -> None:
    sub = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    client = login(other)
    assert client.get(f"/reporting/submissions/{sub.pk}/xlsx/").status_code == 404
    assert _upload(client, f"/reporting/submissions/{sub.pk}/", b"PK\x03\x04", 1).status_code == 404
