"""Expert imports (foreign experts, overseas Vietnamese scientists): CSV, XLSX and JSON with the
offers' and requests' machinery — all or nothing with a per-row, per-field report, languages
written ``en:C1; fr:B2`` and checked as CEFR levels, ORCID check digits, duplicates by ORCID or
by name and organisation (diacritics ignored), dry run and skipping, the page, the API, the
command and the background job, officers only."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from caunoi.core.errors import DomainError
from caunoi.market.imports import IMPORT_KINDS, import_records, read_offers
from caunoi.market.models import Expert, Status
from support import login

pytestmark = pytest.mark.django_db

# 0000-0002-1825-0097 and 0000-0001-5109-3700 have correct check digits; ...-0098 does not.
CSV = (
    "name,category,affiliation,country,languages,orcid,availability,fields\n"
    "Nguyễn Thị Minh Châu,overseas_vn,Đại học Tokyo,JP,vi:C2; ja:C1; en:B2,"
    "https://orcid.org/0000-0002-1825-0097,Tư vấn từ xa,semiconductors\n"
    "Kim Soo-jin,foreign,KAIST,KR,ko:C2;en:C1,,2 tuần mỗi năm,\n"
)


def _import(owner: Any, name: str, body: bytes, **options: Any) -> Any:
    return import_records("experts", user=owner, rows=read_offers(name, body), **options)


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def test_a_csv_file_becomes_published_experts(owner: Any, taxonomy: Any) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.search.models import SearchDocument

    report = _import(owner, "e.csv", CSV.encode())
    assert report.ok, report.errors
    assert report.entity == "experts" and report.created == 2
    chau = Expert.objects.get(orcid="0000-0002-1825-0097")  # the link read as its identifier
    assert chau.name == "Nguyễn Thị Minh Châu" and chau.status == Status.PUBLISHED
    assert chau.category == "overseas_vn" and chau.country_id == "JP"
    assert chau.languages == [
        {"language": "vi", "level": "C2"},
        {"language": "ja", "level": "C1"},
        {"language": "en", "level": "B2"},
    ]
    assert list(chau.fields.values_list("slug", flat=True)) == ["semiconductors"]
    kim = Expert.objects.get(name="Kim Soo-jin")
    assert kim.languages == [{"language": "ko", "level": "C2"}, {"language": "en", "level": "C1"}]
    assert kim.orcid == "" and kim.owner_user == owner and kim.reviewed_by == owner
    # searchable and audited like the other imports
    assert SearchDocument.objects.filter(kind="experts", object_id=chau.pk).exists()
    assert AuditEvent.objects.filter(
        action="import", model="market.expert", object_id=str(kim.pk)
    ).exists()


def test_xlsx_and_json_files(owner: Any, taxonomy: Any) -> None:
    xlsx = _xlsx(
        [
            ["Name", "Affiliation", "Country", "Languages", "ORCID"],  # headers in any case
            ["Pierre Lefèvre", "CNRS", "US", "fr:C2; en:C1", "0000-0001-5109-3700"],
        ]
    )
    assert _import(owner, "e.xlsx", xlsx).created == 1
    assert Expert.objects.get(name="Pierre Lefèvre").languages[0] == {
        "language": "fr",
        "level": "C2",
    }
    body = json.dumps(
        [
            {"name": "Trần Quốc Bảo", "languages": [{"language": "de", "level": "B2"}]},
            {"name": "Lê Hoàng Yến", "languages": "en:c1", "category": "domestic"},
        ]
    ).encode()
    report = _import(owner, "e.json", body)
    assert report.ok and report.created == 2, report.errors
    assert Expert.objects.get(name="Trần Quốc Bảo").languages == [{"language": "de", "level": "B2"}]
    assert Expert.objects.get(name="Lê Hoàng Yến").languages == [{"language": "en", "level": "C1"}]


def test_one_bad_row_imports_nothing_and_names_each_row_and_field(
    owner: Any, taxonomy: Any
) -> None:
    bad = (
        CSV + "Phạm Văn Đức,foreign,Đại học Sydney,ZZ,en:D1,0000-0002-1825-0098,,\n"
        ",,Viện Hàn lâm,VN,vi:C2; vi:B1,,,\n"
        "Ngô Thanh Hà,alien,,VN,english,0000-0002-1825,,no-such-field\n"
    )
    report = _import(owner, "e.csv", bad.encode())
    assert not report.ok and report.created == 0
    assert not Expert.objects.exists()
    got = {(e.row, e.field): e.message for e in report.errors}
    assert {(4, "country"), (4, "languages"), (4, "orcid")} <= got.keys()
    assert "D1" in got[(4, "languages")] and "orcid.org" in got[(4, "orcid")]
    assert {(5, "name"), (5, "languages")} <= got.keys()  # no name; a language given twice
    assert {(6, "category"), (6, "languages"), (6, "orcid"), (6, "fields")} <= got.keys()
    assert "en:C1" in got[(6, "languages")]  # says how to write it
    assert not {e.row for e in report.errors} & {2, 3}  # the good rows are not blamed


def test_messages_in_vietnamese_and_english(owner: Any, taxonomy: Any) -> None:
    from django.utils import translation

    row = [{"name": "Phạm Văn Đức", "languages": "en:D1", "orcid": "0000-0002-1825-0098"}]
    with translation.override("vi"):
        vi = {e.field: e.message for e in import_records("experts", user=owner, rows=row).errors}
    with translation.override("en"):
        en = {e.field: e.message for e in import_records("experts", user=owner, rows=row).errors}
    assert "CEFR" in vi["languages"] and vi["languages"] != en["languages"]
    assert "is not a CEFR level" in en["languages"]
    assert vi["orcid"] != en["orcid"] and "check digit" in en["orcid"]


def test_duplicates_by_orcid_or_name_and_organisation(owner: Any, taxonomy: Any) -> None:
    assert _import(owner, "e.csv", CSV.encode()).created == 2
    rows = [
        # the same ORCID under another spelling of the name
        {"name": "Chau Nguyen", "orcid": "0000-0002-1825-0097"},
        # the same name and organisation, without diacritics and in another case
        {"name": "KIM SOO JIN", "affiliation": "kaist"},
        # the same name elsewhere is another person
        {"name": "Kim Soo-jin", "affiliation": "Đại học Quốc gia Seoul"},
        # and an earlier row of the file
        {"name": "Đặng Thu Trang", "affiliation": "Viện Pasteur"},
        {"name": "Dang Thu Trang", "affiliation": "Vien Pasteur."},
    ]
    report = import_records("experts", user=owner, rows=rows)
    got = {(e.row, e.field): e.message for e in report.errors}
    assert set(got) == {(2, "orcid"), (3, "name"), (6, "name")}
    assert "0000-0002-1825-0097" not in got[(2, "orcid")]  # names the record, not the value
    assert "Nguyễn Thị Minh Châu" in got[(2, "orcid")] and "Kim Soo-jin" in got[(3, "name")]
    assert "5" in got[(6, "name")]  # row 6 repeats row 5
    assert Expert.objects.count() == 2
    # different ORCIDs: two people of the same name and organisation
    twins = [
        {"name": "Lý Minh", "affiliation": "NUS", "orcid": "0000-0002-1825-0097"},
    ]
    assert not import_records("experts", user=owner, rows=twins).ok  # the ORCID is taken
    twins = [
        {"name": "Lý Minh", "affiliation": "NUS", "orcid": "0000-0001-5109-3700"},
        {"name": "Lý Minh", "affiliation": "NUS"},
    ]
    with_orcid = import_records("experts", user=owner, rows=twins[:1])
    assert with_orcid.ok and with_orcid.created == 1
    # without an ORCID it could be the same person: a duplicate
    assert [(e.row, e.field) for e in import_records("experts", user=owner, rows=twins).errors] == [
        (2, "orcid"),
        (3, "name"),
    ]


def test_skip_duplicates_and_dry_run(owner: Any, taxonomy: Any) -> None:
    assert _import(owner, "e.csv", CSV.encode()).ok
    rows = [
        {"name": "Kim Soo-jin", "affiliation": "KAIST"},
        {"name": "Võ Thị Sáu", "affiliation": "Đại học Melbourne", "languages": "en:C1"},
    ]
    dry = import_records("experts", user=owner, rows=rows, dry_run=True, skip_duplicates=True)
    assert dry.ok and dry.created == 1 and [(e.row, e.field) for e in dry.skipped] == [(2, "name")]
    assert Expert.objects.count() == 2  # a dry run writes nothing
    done = import_records("experts", user=owner, rows=rows, skip_duplicates=True)
    assert done.ok and done.created == 1 and len(done.skipped) == 1
    assert Expert.objects.filter(name="Võ Thị Sáu").exists() and Expert.objects.count() == 3
    # a withdrawn expert is no longer one to duplicate
    Expert.objects.filter(name="Võ Thị Sáu").update(status=Status.WITHDRAWN)
    assert import_records("experts", user=owner, rows=rows[1:]).created == 1


def test_only_officers_import(provider: Any, viewer: Any, taxonomy: Any) -> None:
    for user in (provider, viewer):
        with pytest.raises(DomainError):
            import_records("experts", user=user, rows=[{"name": "Hoàng Anh Tuấn"}])
    assert not Expert.objects.exists()


def test_the_command(owner: Any, taxonomy: Any, tmp_path: Any) -> None:
    good = tmp_path / "e.csv"
    good.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_experts", str(good), "--user", owner.username, "--dry-run", stdout=out)
    assert "dry run: 2 experts would be imported from 2 rows" in out.getvalue()
    assert not Expert.objects.exists()
    out = io.StringIO()
    call_command("import_experts", str(good), "--user", owner.username, stdout=out)
    assert "2 experts imported from 2 rows" in out.getvalue() and Expert.objects.count() == 2
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_experts", str(good), "--user", owner.username, stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "import_experts", str(good), "--user", owner.username, "--skip-duplicates", stdout=out
    )
    assert "row 2 skipped" in out.getvalue() and "row 3 skipped" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "Mai Lan", "languages": "en:Z9"}]), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_experts", str(bad), "--user", owner.username, stdout=out)
    assert "row 2, languages:" in out.getvalue()
    assert Expert.objects.count() == 2


def test_the_api(owner: Any, provider: Any, viewer: Any, taxonomy: Any) -> None:
    client = login(owner)

    def post(c: Any, body: str, name: str = "e.csv", **form: Any) -> Any:
        data = {"file": SimpleUploadedFile(name, body.encode()), "kind": "experts", **form}
        return c.post("/api/v1/market/import", data)

    dry = post(client, CSV, dry_run="true")
    assert dry.status_code == 200 and dry.json()["kind"] == "experts"
    assert dry.json()["created"] == 2 and not Expert.objects.exists()
    done = post(client, CSV)
    assert done.status_code == 200 and done.json()["created"] == 2
    again = post(client, CSV)
    assert again.status_code == 400
    assert {"rows.2.orcid", "rows.3.name"} <= set(again.json()["errors"])
    skipped = post(client, CSV, skip_duplicates="true")
    assert skipped.status_code == 200 and [s["row"] for s in skipped.json()["skipped"]] == [2, 3]
    bad = post(client, "name,languages,country\n,en:C7,ZZ\n")
    assert bad.status_code == 400
    assert {"rows.2.name", "rows.2.languages", "rows.2.country"} <= set(bad.json()["errors"])
    for user in (provider, viewer):
        assert post(login(user), "name\nHà Văn Nam\n").status_code == 403
    assert Expert.objects.count() == 2


def test_the_page_templates_and_permissions(
    owner: Any, provider: Any, viewer: Any, taxonomy: Any
) -> None:
    from openpyxl import load_workbook

    client = login(owner)
    page = client.get("/market/experts/import/").content.decode()
    assert 'id="import-languages"' in page and "en:C1; fr:B2" in page
    assert "/market/experts/import/template.xlsx" in page
    assert 'href="/market/offers/import/"' in page and 'href="/market/requests/import/"' in page
    assert (
        'href="/market/experts/import/"'
        in login(owner).get("/market/offers/import/").content.decode()
    )
    assert "Nhập chuyên gia" in page  # Vietnamese first
    for fmt in ("xlsx", "csv", "json"):
        response = client.get(f"/market/experts/import/template.{fmt}")
        assert response.status_code == 200
        assert f"caunoi-experts-mau.{fmt}" in response["Content-Disposition"]
        rows = read_offers(f"t.{fmt}", response.content)
        assert len(rows) == 1 and set(rows[0]) <= set(IMPORT_KINDS["experts"].columns)
        assert rows[0]["languages"] == "vi:C2; fr:C1; en:B2"
    # the XLSX template explains the columns on a second sheet, which the import does not read
    book = load_workbook(io.BytesIO(client.get("/market/experts/import/template.xlsx").content))
    assert len(book.sheetnames) == 2
    notes = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert "C1" in notes["languages"] and ";" in notes["languages"]
    for user in (viewer, provider):
        assert login(user).get("/market/experts/import/").status_code == 403
        assert login(user).get("/market/experts/import/template.csv").status_code == 403
        denied = login(user).post(
            "/market/experts/import/", {"file": SimpleUploadedFile("e.csv", CSV.encode())}
        )
        assert denied.status_code == 403
    checked = client.post(
        "/market/experts/import/",
        {"file": SimpleUploadedFile("e.csv", CSV.encode()), "mode": "check"},
    )
    assert checked.status_code == 200 and 'id="import-done"' in checked.content.decode()
    assert not Expert.objects.exists()
    refused = client.post(
        "/market/experts/import/",
        {"file": SimpleUploadedFile("e.csv", (CSV + "X,,,VN,en:C9,,,\n").encode())},
    )
    assert refused.status_code == 400 and "<code>languages</code>" in refused.content.decode()
    assert "<td>4</td>" in refused.content.decode() and not Expert.objects.exists()
    done = client.post(
        "/market/experts/import/",
        {"file": SimpleUploadedFile("e.csv", CSV.encode()), "mode": "import"},
    )
    assert done.status_code == 200 and Expert.objects.count() == 2


def test_the_template_imports_as_it_is(owner: Any, taxonomy: Any) -> None:
    from caunoi.taxonomy.models import Country

    Country.objects.create(iso2="FR", iso3="FRA", name_vi="Pháp", name_en="France")
    body = login(owner).get("/market/experts/import/template.csv").content
    report = _import(owner, "t.csv", body)
    assert report.ok and report.created == 1, report.errors


@override_settings(CAUNOI_IMPORT_BACKGROUND_ROWS=1)
def test_a_large_file_runs_as_a_job_with_progress(owner: Any, taxonomy: Any) -> None:
    from caunoi.jobs.models import Job

    client = login(owner)
    response = client.post(
        "/market/experts/import/",
        {"file": SimpleUploadedFile("e.csv", CSV.encode()), "mode": "import"},
    )
    assert response.status_code == 302 and "?job=" in response["Location"]
    job = Job.objects.get(kind__endswith="import_market_task")
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == 2
    assert job.result["committed"] is True and job.result["entity"] == "experts"
    assert Expert.objects.count() == 2
    assert 'id="import-job-done"' in client.get(response["Location"]).content.decode()
    # the same file again: the job fails with the duplicates named, nothing more is written
    again = client.post(
        "/market/experts/import/",
        {"file": SimpleUploadedFile("e.csv", CSV.encode()), "mode": "import"},
    )
    failed = Job.objects.filter(kind__endswith="import_market_task").latest("pk")
    assert failed.state == Job.State.FAILED and failed.result["committed"] is False
    assert "<code>orcid</code>" in client.get(again["Location"]).content.decode()
    assert Expert.objects.count() == 2
