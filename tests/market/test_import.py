"""Offer imports: CSV, XLSX, JSON; all or nothing with a per-row, per-field report; duplicates
of the same owner refused; the UI, the API, the command and the background job."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from caunoi.market.imports import import_offers, read_offers
from caunoi.market.models import Status, TechnologyOffer
from support import login

pytestmark = pytest.mark.django_db

CSV = (
    "title_vi,title_en,trl,cooperation,country,fields,keywords,source\n"
    "Cảm biến khí,Gas sensor,5,licence;technical,KR,semiconductors,MEMS;khí,kisti\n"
    "Pin natri,Sodium battery,4,joint_venture,JP,,,kiat\n"
)


def test_csv_rows_become_published_offers_when_an_officer_imports(
    owner: Any, taxonomy: Any
) -> None:
    report = import_offers(user=owner, rows=read_offers("x.csv", CSV.encode()))
    assert report.ok and report.created == 2
    gas = TechnologyOffer.objects.get(title_en="Gas sensor")
    assert gas.status == Status.PUBLISHED and gas.cooperation == ["licence", "technical"]
    assert gas.keywords == ["MEMS", "khí"] and gas.source == "kisti"
    assert list(gas.fields.values_list("slug", flat=True)) == ["semiconductors"]


def test_only_officers_import(provider: Any, viewer: Any, taxonomy: Any) -> None:
    from caunoi.core.errors import DomainError

    rows = [{"title_en": "Edge AI camera", "trl": 8, "cooperation": ["commercial"]}]
    for user in (provider, viewer):
        with pytest.raises(DomainError):
            import_offers(user=user, rows=rows)
    assert not TechnologyOffer.objects.exists()


def test_one_bad_row_imports_nothing_and_names_every_field(owner: Any, taxonomy: Any) -> None:
    rows = read_offers("x.csv", CSV.encode())
    rows.append(
        {"title_vi": "", "trl": "12", "country": "ZZ", "cooperation": "bribery", "colour": "x"}
    )
    report = import_offers(user=owner, rows=rows)
    assert not report.ok and report.created == 0
    assert not TechnologyOffer.objects.exists()
    bad = {(e.row, e.field) for e in report.errors}
    assert {(4, "country"), (4, "colour"), (4, "trl"), (4, "cooperation"), (4, "title_vi")} <= bad
    again = import_offers(
        user=owner, rows=[{"title_vi": "", "trl": "12", "cooperation": "bribery"}]
    )
    assert {e.field for e in again.errors} >= {"trl", "cooperation", "title_vi"}


def test_near_identical_titles_of_the_same_owner_are_refused(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    assert import_offers(user=owner, rows=[{"title_vi": "Cảm biến khí MEMS công suất thấp"}]).ok
    dup = import_offers(user=owner, rows=[{"title_vi": "Cam bien khi MEMS cong suat thap."}])
    assert [(e.row, e.field) for e in dup.errors] == [(2, "title")]
    in_file = import_offers(
        user=owner, rows=[{"title_en": "Solar dryer"}, {"title_en": "Solar dryers"}]
    )
    assert [(e.row, e.field) for e in in_file.errors] == [(3, "title")]
    # Another owner may offer the same technology.
    other = make_org(key="kisti", name_vi="Viện KISTI")
    same = [{"title_vi": "Cảm biến khí MEMS công suất thấp", "owner_organization": other.key}]
    assert import_offers(user=owner, rows=same).ok
    assert TechnologyOffer.objects.count() == 2


def test_xlsx_and_json_files(owner: Any, taxonomy: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["title_en", "trl", "cooperation"])
    sheet.append(["Hydrogen electrolyser stack", 6, "licence;research"])
    raw = io.BytesIO()
    book.save(raw)
    assert read_offers("x.xlsx", raw.getvalue()) == [
        {"title_en": "Hydrogen electrolyser stack", "trl": "6", "cooperation": "licence;research"}
    ]
    rows = read_offers("x.json", json.dumps([{"title_en": "Rice grading camera"}]).encode())
    assert import_offers(user=owner, rows=rows).ok


def test_ui_api_and_command(
    owner: Any, provider: Any, viewer: Any, taxonomy: Any, tmp_path: Any
) -> None:
    page = login(owner).post(
        "/market/offers/import/",
        {"file": SimpleUploadedFile("a.csv", CSV.encode()), "mode": "import"},
    )
    assert page.status_code == 200 and 'id="import-done"' in page.content.decode()
    assert TechnologyOffer.objects.count() == 2
    for user in (viewer, provider):
        assert login(user).get("/market/offers/import/").status_code == 403
        denied = login(user).post(
            "/market/offers/import/", {"file": SimpleUploadedFile("a.csv", b"title_en\nX\n")}
        )
        assert denied.status_code == 403
    assert TechnologyOffer.objects.count() == 2
    body = b"title_en\nBiochar kiln\n"
    api = login(owner).post(
        "/api/v1/market/offers/import", {"file": SimpleUploadedFile("b.csv", body)}
    )
    assert api.status_code == 200 and api.json()["created"] == 1
    refused = login(owner).post(
        "/api/v1/market/offers/import", {"file": SimpleUploadedFile("b.csv", body)}
    )
    assert refused.status_code == 400 and "rows.2.title" in refused.json()["errors"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps([{"title_en": "Drone spraying service"}]), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_offers", str(path), "--user", owner.username, stdout=out, stderr=io.StringIO()
    )
    assert "1 offers imported" in out.getvalue()
    assert TechnologyOffer.objects.count() == 4


@override_settings(CAUNOI_IMPORT_BACKGROUND_ROWS=1)
def test_a_large_file_runs_as_a_job_with_progress(owner: Any, taxonomy: Any) -> None:
    from caunoi.jobs.models import Job

    client = login(owner)
    response = client.post(
        "/market/offers/import/", {"file": SimpleUploadedFile("a.csv", CSV.encode())}
    )
    assert response.status_code == 302 and "?job=" in response["Location"]
    job = Job.objects.get()  # the tests' immediate task backend has already run it
    assert (
        job.state == Job.State.SUCCEEDED
        and job.result["committed"] is True
        and job.done == job.total == 2
    )
    assert TechnologyOffer.objects.count() == 2
    assert 'id="import-job-done"' in client.get(response["Location"]).content.decode()


REQUESTS_CSV = (
    "title_vi,need,preferred_countries,cooperation,min_trl,staff_count,has_lab,"
    "budget_max,currency,province,confidentiality,fields\n"
    "Cần máy sấy lạnh trái cây,Sấy lạnh xoài giữ màu,kr;jp,licence,6,4,không,"
    "2000000000,VND,Đồng Tháp,anonymous,semiconductors\n"
    "Tìm cảm biến độ mặn,Đo độ mặn nước ao nuôi tôm,,technical,,,,,,Cà Mau,,\n"
)


def test_requests_import_like_offers_with_their_own_columns(owner: Any, taxonomy: Any) -> None:
    from caunoi.market.imports import import_requests
    from caunoi.market.models import TechnologyRequest

    report = import_requests(user=owner, rows=read_offers("r.csv", REQUESTS_CSV.encode()))
    assert report.ok, report.errors
    dryer = TechnologyRequest.objects.get(province="Đồng Tháp")
    assert dryer.status == Status.PUBLISHED and dryer.preferred_countries == ["KR", "JP"]
    assert dryer.has_lab is False and dryer.min_trl == 6 and dryer.confidentiality == "anonymous"
    assert list(dryer.fields.values_list("slug", flat=True)) == ["semiconductors"]
    salt = TechnologyRequest.objects.get(province="Cà Mau")
    # no confidentiality given: the enterprise is not named (anonymous), not public
    assert salt.has_lab is None and salt.confidentiality == "anonymous"
    # a near-identical title of the same enterprise, and bad values: nothing is written
    again = [
        {"title_vi": "Cần máy sấy lạnh trái cây!", "need": "x"},
        {"title_vi": "Khác", "need": "", "min_trl": "ten", "has_lab": "maybe", "colour": "x"},
    ]
    report = import_requests(user=owner, rows=again)
    got = {(e.row, e.field) for e in report.errors}
    assert (2, "title") in got
    assert {(3, "need"), (3, "min_trl"), (3, "has_lab"), (3, "colour")} <= got
    assert TechnologyRequest.objects.count() == 2


def test_import_requests_command(owner: Any, taxonomy: Any, tmp_path: Any) -> None:
    from caunoi.market.models import TechnologyRequest

    path = tmp_path / "r.json"
    path.write_text(
        json.dumps([{"title_vi": "Cần dây chuyền chiết rót", "need": "Chiết rót nước mắm"}]),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_requests", str(path), "--user", owner.username, stdout=out)
    assert "1 requests imported" in out.getvalue()
    assert TechnologyRequest.objects.filter(title_vi="Cần dây chuyền chiết rót").exists()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"title_vi": "Thiếu nhu cầu"}]), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_requests", str(bad), "--user", owner.username, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2,5", "2.5"),
        ("2.5", "2.5"),
        ("1.500.000", "1500000"),
        ("1,500,000", "1500000"),
        ("1.500.000,5", "1500000.5"),
        ("1,500,000.50", "1500000.50"),
        ("2 000 000 000", "2000000000"),
        (2500000000, "2500000000"),
    ],
)
def test_amounts_read_as_exchanges_and_provinces_write_them(
    owner: Any, taxonomy: Any, written: Any, stored: str
) -> None:
    """ "2,5" is two and a half (it was once stored as 25), whichever way the thousands are
    grouped; a number cell is read as the number it is."""
    from decimal import Decimal

    from caunoi.market.imports import import_requests
    from caunoi.market.models import TechnologyRequest

    row = {"title_vi": "Cần máy sấy", "need": "Sấy lạnh", "budget_max": written, "currency": "EUR"}
    report = import_requests(user=owner, rows=[row])
    assert report.ok, report.errors
    assert TechnologyRequest.objects.get().budget_max == Decimal(stored)


@pytest.mark.parametrize("written", ["1.500", "1,500", "12.34.56", "2,5 tỷ", "1,5,6"])
def test_an_amount_that_reads_two_ways_or_none_is_refused_by_row_and_field(
    owner: Any, taxonomy: Any, written: str
) -> None:
    from caunoi.market.imports import import_requests
    from caunoi.market.models import TechnologyRequest

    good = {"title_vi": "Cần cảm biến", "need": "Đo độ mặn"}
    bad = {"title_vi": "Cần máy sấy", "need": "Sấy lạnh", "budget_max": written}
    report = import_requests(user=owner, rows=[good, bad])
    assert not report.ok and not TechnologyRequest.objects.exists()
    assert [(e.row, e.field) for e in report.errors] == [(3, "budget_max")]
    if written in ("1.500", "1,500"):
        assert "1.500.000" in report.errors[0].message  # says how to write it
