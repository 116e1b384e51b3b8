"""All-or-nothing import with a per-row, per-field report; exports that respect filters and
that import reads back."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from caunoi.registry.entities import ENTITIES
from caunoi.registry.imports import import_file
from caunoi.registry.models import Agreement, Organization, Project
from support import login

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = {
    "title_vi": "Hiệp định hợp tác KH&CN với Hàn Quốc",
    "kind": "intergovernmental",
    "level": "government",
    "status": "in_force",
    "signed_on": "15/03/2019",
    "expires_on": "2029-03-15",
    "foreign_parties": "KR",
    "vietnamese_parties": "VN",
    "fields": "semiconductors",
    "legal_basis": "Quyết định số 735/QĐ-TTg",
}


def test_good_csv_imports_every_row(admin: Any, taxonomy: Any) -> None:
    second = dict(
        GOOD,
        title_vi="Biên bản ghi nhớ với Nhật Bản",
        kind="Biên bản ghi nhớ",
        foreign_parties="JP",
        status="signed",
    )
    report = import_file(
        user=admin, entity=ENTITIES["agreements"], name="a.csv", content=_csv([GOOD, second])
    )
    assert report.ok, report.errors
    assert report.created == 2
    korea = Agreement.objects.get(title_vi=GOOD["title_vi"])
    assert korea.signed_on.isoformat() == "2019-03-15"
    assert {p.country_id for p in korea.parties.all()} == {"KR", "VN"}
    assert [f.slug for f in korea.fields.all()] == ["semiconductors"]
    # A choice given by its Vietnamese label is accepted.
    assert Agreement.objects.get(title_vi="Biên bản ghi nhớ với Nhật Bản").kind == "mou"


def test_bad_rows_write_nothing_and_every_error_is_reported(admin: Any, taxonomy: Any) -> None:
    rows = [
        GOOD,
        dict(GOOD, title_vi="", kind="treaty"),  # row 3: missing title, unknown kind
        dict(GOOD, title_vi="Hết hạn trước khi ký", expires_on="2010-01-01"),  # row 4
        dict(GOOD, title_vi="Đối tác lạ", foreign_parties="XX-unknown"),  # row 5
        dict(GOOD, title_vi="Ngày sai", signed_on="31/02/2019"),  # row 6
    ]
    before = Agreement.objects.count()
    report = import_file(
        user=admin, entity=ENTITIES["agreements"], name="a.csv", content=_csv(rows)
    )
    assert not report.ok
    assert Agreement.objects.count() == before
    found = {(e.row, e.field) for e in report.errors}
    assert {
        (3, "title_vi"),
        (3, "kind"),
        (4, "expires_on"),
        (5, "foreign_parties"),
        (6, "signed_on"),
    } <= found
    assert not any(e.row == 2 for e in report.errors)


def test_xlsx_import_and_duplicate_keys_roll_back(admin: Any, taxonomy: Any) -> None:
    content = _xlsx(
        [
            ["key", "name_vi", "name_en", "acronym", "kind", "country"],
            [
                "kisti-x",
                "Viện Thông tin KH&CN Hàn Quốc",
                "KISTI",
                "KISTI",
                "research_institute",
                "KR",
            ],
            ["kisti-x", "Trùng khoá", "Duplicate", "", "company", "KR"],
        ]
    )
    report = import_file(user=admin, entity=ENTITIES["partners"], name="p.xlsx", content=content)
    assert not report.ok
    assert [(e.row, e.field) for e in report.errors] == [(3, "key")]
    assert not Organization.objects.filter(key="kisti-x").exists()


def test_import_page_shows_report_and_rejects_other_types(admin: Any, taxonomy: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(admin)
    bad = _csv([dict(GOOD, level="galaxy")])
    response = client.post(
        "/registry/agreements/import/", {"file": SimpleUploadedFile("a.csv", bad, "text/csv")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The interface is Vietnamese: the report says nothing was imported and names the field.
    assert "1 lỗi — không có dữ liệu nào được nhập" in page
    assert "<code>level</code>" in page
    response = client.post(
        "/registry/agreements/import/",
        {"file": SimpleUploadedFile("a.exe", b"MZ\x90", "application/x")},
    )
    assert response.status_code == 400
    assert Agreement.objects.count() == 0


def test_viewer_cannot_import(viewer: Any, taxonomy: Any) -> None:
    assert login(viewer).get("/registry/agreements/import/").status_code == 403


def test_export_respects_filters_and_round_trips(
    admin: Any, make_agreement: Any, taxonomy: Any
) -> None:
    korea = make_agreement(country="KR", status="in_force")
    make_agreement(country="US", status="expired")
    korea.fields.add(taxonomy["fields"]["semis"])
    client = login(admin)
    response = client.get("/registry/agreements/?status=in_force&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _by_code(response.content)
    assert [r["title_vi"] for r in rows] == [korea.title_vi]
    assert rows[0]["foreign_parties"] == "KR"
    assert rows[0]["fields"] == "semiconductors"
    # The exported file imports back: the rows name their records, which stay unchanged.
    report = import_file(
        user=admin, entity=ENTITIES["agreements"], name="x.csv", content=response.content
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Agreement.objects.count() == 2


def test_xlsx_export(admin: Any, make_agreement: Any) -> None:
    make_agreement(country="KR")
    response = login(admin).get("/registry/agreements/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "Tên (tiếng Việt) [title_vi]" in header and sheet.max_row == 2


def test_project_import_links_funder(admin: Any, make_org: Any, taxonomy: Any) -> None:
    make_org(key="koica", name_vi="Cơ quan Hợp tác quốc tế Hàn Quốc", kind="fund")
    rows = [
        {
            "title_vi": "Dự án V-KIST",
            "kind": "oda",
            "status": "implementation",
            "funder": "koica",
            "budget": "35000000",
            "currency": "USD",
            "planned_start": "2014-01-01",
            "planned_end": "2020-12-31",
        }
    ]
    report = import_file(user=admin, entity=ENTITIES["projects"], name="p.csv", content=_csv(rows))
    assert report.ok, report.errors
    project = Project.objects.get()
    assert project.funder is not None and project.funder.key == "koica"
    assert project.participants.filter(role="funding", organization__key="koica").exists()
    bad = [dict(rows[0], budget="-5", currency="")]
    report = import_file(user=admin, entity=ENTITIES["projects"], name="p.csv", content=_csv(bad))
    assert {e.field for e in report.errors} >= {"budget", "currency"}
    assert Project.objects.count() == 1


def test_delegation_export_lists_countries_and_imports_back(admin: Any, taxonomy: Any) -> None:
    from caunoi.registry.models import Delegation

    delegation = Delegation.objects.create(
        title_vi="Đoàn ra Hàn Quốc – Nhật Bản",
        direction="out",
        start_on="2025-04-01",
        end_on="2025-04-08",
        owner_unit=admin.unit,
    )
    delegation.countries.add("KR", "JP")
    response = login(admin).get("/registry/delegations/?export=csv")
    rows = _by_code(response.content)
    assert rows[0]["countries"] in ("KR; JP", "JP; KR")
    assert rows[0]["is_public"] == "0"


def test_vietnamese_side_cannot_be_a_foreign_state(admin: Any, taxonomy: Any) -> None:
    report = import_file(
        user=admin,
        entity=ENTITIES["agreements"],
        name="a.csv",
        content=_csv([dict(GOOD, vietnamese_parties="VN; KR")]),
    )
    assert [(e.row, e.field) for e in report.errors] == [(2, "vietnamese_parties")]


def _by_code(content: bytes) -> list[dict[str, str]]:
    """CSV export rows keyed by the column code (headers read ``Label [code]``)."""
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return [{k[k.rindex("[") + 1 : -1]: v for k, v in row.items()} for row in rows]
