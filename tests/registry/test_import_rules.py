"""Import rules a newcomer tripped over: strict yes/no cells, publication by officers,
re-import updating instead of duplicating, errors under real columns, the template, and
exports with translated headers and names beside codes that import back."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from caunoi.registry.entities import ENTITIES
from caunoi.registry.imports import import_file
from caunoi.registry.models import Agreement, Organization
from support import login

pytestmark = pytest.mark.django_db

ROW = {
    "title_vi": "Hiệp định hợp tác KH&CN với Hàn Quốc",
    "kind": "intergovernmental",
    "level": "government",
    "status": "in_force",
    "signed_on": "15/03/2019",
    "foreign_parties": "KR",
    "vietnamese_parties": "VN",
}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _import(user: Any, slug: str, rows: list[dict[str, str]]) -> Any:
    return import_file(user=user, entity=ENTITIES[slug], name="f.csv", content=_csv(rows))


def test_yes_no_cells_are_strict(admin: Any, taxonomy: Any) -> None:
    report = _import(admin, "agreements", [dict(ROW, auto_renew="maybe")])
    assert [(e.row, e.field) for e in report.errors] == [(2, "auto_renew")]
    assert "có, không, yes, no, 1, 0, true" in report.errors[0].message
    assert Agreement.objects.count() == 0
    report = _import(admin, "agreements", [dict(ROW, auto_renew="Không")])
    assert report.ok, report.errors
    assert Agreement.objects.get().auto_renew is False


def test_officer_publication_is_an_error_not_dropped(owner: Any, admin: Any, taxonomy: Any) -> None:
    report = _import(owner, "agreements", [dict(ROW, is_public="1")])
    assert [e.field for e in report.errors] == ["is_public"]
    assert Agreement.objects.count() == 0
    assert _import(owner, "agreements", [dict(ROW, is_public="0")]).ok
    assert _import(admin, "agreements", [dict(ROW, title_vi="Khác", is_public="1")]).ok
    assert Agreement.objects.get(title_vi="Khác").is_public is True


def test_errors_name_real_columns(admin: Any, taxonomy: Any) -> None:
    report = _import(admin, "agreements", [dict(ROW, foreign_parties="")])
    assert {e.field for e in report.errors} == {"foreign_parties"}


def test_reimport_updates_by_key_and_id_and_an_export_changes_nothing(
    admin: Any, make_org: Any, make_agreement: Any, taxonomy: Any
) -> None:
    from caunoi.accounts.models import AuditEvent

    org = make_org(key="kiat", name_vi="Viện KIAT")
    report = _import(
        admin, "partners", [{"key": "kiat", "name_vi": "Viện KIAT Hàn Quốc", "kind": "fund"}]
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    org.refresh_from_db()
    assert (org.name_vi, org.kind, org.country_id) == ("Viện KIAT Hàn Quốc", "fund", "KR")
    assert Organization.objects.count() == 1
    agreement = make_agreement(title_vi="Cũ")
    report = _import(admin, "agreements", [dict(ROW, id=str(agreement.pk), title_vi="Mới")])
    assert report.ok, report.errors
    agreement.refresh_from_db()
    assert agreement.title_vi == "Mới" and Agreement.objects.count() == 1
    for slug in ("partners", "agreements"):
        export = login(admin).get(f"/registry/{slug}/?export=xlsx").content
        events = AuditEvent.objects.count()
        report = import_file(user=admin, entity=ENTITIES[slug], name="e.xlsx", content=export)
        assert report.ok, report.errors
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert AuditEvent.objects.count() == events
    missing = _import(admin, "agreements", [dict(ROW, id="999999")])
    assert [e.field for e in missing.errors] == ["id"]


def test_import_page_offers_a_template(admin: Any, taxonomy: Any) -> None:
    client = login(admin)
    page = client.get("/registry/agreements/import/").content.decode()
    assert 'href="/registry/agreements/import/template.xlsx"' in page
    response = client.get("/registry/agreements/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Tên (tiếng Việt) [title_vi]" in rows[0] and len(rows) == 2
    # The template's example row imports as it is.
    report = import_file(
        user=admin, entity=ENTITIES["agreements"], name="t.xlsx", content=response.content
    )
    assert report.ok, report.errors
    assert report.created == 1


def test_export_headers_translated_with_names_beside_codes(
    admin: Any, make_org: Any, taxonomy: Any
) -> None:
    make_org(key="kiat", name_vi="Viện KIAT", country_id="KR", kind="fund")
    client = login(admin)
    text = client.get("/registry/partners/?export=csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    cells = dict(zip(header, row, strict=True))
    assert cells["Quốc gia [country]"] == "KR"
    assert cells["Quốc gia – tên [country_name]"] == "Hàn Quốc"
    assert cells["Loại hình [kind]"] == "fund" and cells["Loại hình – nhãn [kind_label]"]
    client.cookies["django_language"] = "en"
    english = client.get("/registry/partners/?export=csv").content.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Key [key]")
    # Either header form imports: the plain Vietnamese label also names the column.
    report = _import(
        admin, "partners", [{"Mã khóa": "moi", "Tên (tiếng Việt)": "Mới", "kind": "fund"}]
    )
    assert report.ok, report.errors
    assert Organization.objects.filter(key="moi").exists()
