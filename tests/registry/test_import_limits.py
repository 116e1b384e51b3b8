"""Import limits (rows, an XLSX's unpacked size and compression), large imports as
background jobs, and exports that no spreadsheet runs as formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from caunoi.core.errors import DomainError
from caunoi.jobs.models import Job
from caunoi.registry.entities import ENTITIES
from caunoi.registry.imports import ImportLimitError, import_file
from caunoi.registry.models import Agreement, Organization
from support import login

pytestmark = pytest.mark.django_db

PARTNERS = ENTITIES["partners"]


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("partners")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _partner_rows(n: int, prefix: str = "vien") -> list[list[Any]]:
    return [["key", "name_vi", "kind", "country"]] + [
        [f"{prefix}-{i}", f"Viện nghiên cứu số {i}", "research_institute", "KR"]
        for i in range(1, n + 1)
    ]


def test_ten_thousand_rows_are_refused_before_the_sheet_is_read(
    admin: Any, taxonomy: Any, settings: Any
) -> None:
    settings.CAUNOI_IMPORT_MAX_ROWS = 100
    content = _xlsx(_partner_rows(10_000))
    with pytest.raises(ImportLimitError) as caught:
        import_file(user=admin, entity=PARTNERS, name="p.xlsx", content=content)
    # The reading stopped at the first row over the limit, not at the end of the sheet.
    assert caught.value.rows_read == 101
    assert "Tệp có hơn 100 dòng dữ liệu" in caught.value.message
    assert not Organization.objects.exists()


def test_csv_over_the_row_limit_is_refused_on_the_page(
    admin: Any, taxonomy: Any, settings: Any
) -> None:
    settings.CAUNOI_IMPORT_MAX_ROWS = 3
    out = io.StringIO()
    csv.writer(out).writerows(_partner_rows(10))
    response = login(admin).post(
        "/registry/partners/import/",
        {"file": SimpleUploadedFile("p.csv", out.getvalue().encode(), "text/csv")},
    )
    assert response.status_code == 400
    # Vietnamese, naming the limit.
    assert "Tệp có hơn 3 dòng dữ liệu" in response.content.decode()
    assert not Organization.objects.exists()


def _bomb(sheet_bytes: int) -> bytes:
    """A real workbook whose sheet is replaced by a highly repetitive one of that size."""
    base = zipfile.ZipFile(io.BytesIO(_xlsx(_partner_rows(1))))
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * (sheet_bytes // len(row)) + b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = sheet
            bomb.writestr(info.filename, data)
    return out.getvalue()


def test_zip_bomb_is_refused_from_the_zip_directory(admin: Any, taxonomy: Any) -> None:
    content = _bomb(20 * 1024 * 1024)
    assert len(content) < 200 * 1024  # tiny on the wire, 20 MB unpacked
    with pytest.raises(ImportLimitError) as caught:
        import_file(user=admin, entity=PARTNERS, name="p.xlsx", content=content)
    assert caught.value.rows_read == 0  # refused before any row was parsed
    assert "zip bomb" in caught.value.message


def test_unpacked_size_limit(admin: Any, taxonomy: Any, settings: Any) -> None:
    settings.CAUNOI_IMPORT_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    settings.CAUNOI_IMPORT_MAX_ZIP_RATIO = 10**9
    with pytest.raises(ImportLimitError) as caught:
        import_file(user=admin, entity=PARTNERS, name="p.xlsx", content=_bomb(3 * 1024 * 1024))
    assert caught.value.rows_read == 0
    assert "tối đa 2 MB" in caught.value.message
    # Not a zip at all (but the XLSX signature): an ordinary refusal, not a crash.
    with pytest.raises(DomainError):
        import_file(user=admin, entity=PARTNERS, name="p.xlsx", content=b"PK\x03\x04garbage")


def test_large_import_runs_as_a_job_with_its_report(
    admin: Any, taxonomy: Any, settings: Any
) -> None:
    settings.CAUNOI_IMPORT_BACKGROUND_ROWS = 3
    client = login(admin)
    response = client.post(
        "/registry/partners/import/",
        {"file": SimpleUploadedFile("p.xlsx", _xlsx(_partner_rows(5)), "application/x")},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/partners/import/?job={job.pk}"
    # The tests' immediate task backend has already run it.
    assert job.state == Job.State.SUCCEEDED
    assert job.user == admin
    assert (job.done, job.total) == (5, 5)
    assert job.result["created"] == 5 and job.result["errors"] == []
    assert Organization.objects.filter(key__startswith="vien-").count() == 5
    page = client.get(response["Location"]).content.decode()
    assert f'href="/jobs/{job.pk}/"' in page
    assert "Đã nhập: 5 bản ghi mới, 0 cập nhật, 0 không đổi." in page


def test_large_import_with_an_error_writes_nothing_and_reports_the_row(
    admin: Any, owner: Any, taxonomy: Any, settings: Any
) -> None:
    settings.CAUNOI_IMPORT_BACKGROUND_ROWS = 3
    rows = _partner_rows(5)
    rows[4][3] = "XX"  # row 5: unknown country
    client = login(admin)
    response = client.post(
        "/registry/partners/import/",
        {"file": SimpleUploadedFile("p.xlsx", _xlsx(rows), "application/x")},
    )
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert "1" in job.error
    assert [(e["row"], e["field"]) for e in job.result["errors"]] == [(5, "country")]
    assert not Organization.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-report"' in page and "<code>country</code>" in page
    # Another officer cannot follow it.
    assert login(owner).get(response["Location"]).status_code == 404


TITLES = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-2", "'=already quoted"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas_and_import_back(
    admin: Any, make_agreement: Any, fmt: str
) -> None:
    records = {make_agreement(title_vi=t).pk: t for t in TITLES}
    response = login(admin).get(f"/registry/agreements/?export={fmt}")
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        cells = {r["Tên (tiếng Việt) [title_vi]"] for r in rows}
        assert cells == {"'" + t for t in TITLES}
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [c.value for c in sheet[1]]
        col = header.index("Tên (tiếng Việt) [title_vi]")
        cells = [row[col] for row in sheet.iter_rows(min_row=2)]
        assert {c.value for c in cells} == set(TITLES)
        assert {c.data_type for c in cells} == {"s"}  # strings, not formulas ("f")
    # Import back: nothing changes, the titles are the originals.
    Agreement.objects.filter(pk__in=records).update(title_vi="đổi")
    report = import_file(
        user=admin,
        entity=ENTITIES["agreements"],
        name=f"x.{fmt}",
        content=response.content,
    )
    assert report.ok, report.errors
    assert report.updated == len(TITLES)
    assert {a.pk: a.title_vi for a in Agreement.objects.all()} == records


def test_import_command_applies_the_row_limit(
    admin: Any, taxonomy: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    settings.CAUNOI_IMPORT_MAX_ROWS = 3
    path = tmp_path / "p.xlsx"
    path.write_bytes(_xlsx(_partner_rows(4)))
    with pytest.raises(CommandError, match="3"):
        call_command("import_records", "partners", str(path), "--user", "admin")
    assert not Organization.objects.exists()
    # Within the limit (and over the background threshold) the command imports at once.
    settings.CAUNOI_IMPORT_BACKGROUND_ROWS = 1
    path.write_bytes(_xlsx(_partner_rows(3)))
    call_command("import_records", "partners", str(path), "--user", "admin")
    assert Organization.objects.count() == 3 and not Job.objects.exists()
