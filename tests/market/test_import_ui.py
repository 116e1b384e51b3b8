"""The officer's import page and the import API: check first (dry run), all or nothing with
each bad row and field named, duplicates across languages refused or skipped, large files as
a background job followed by htmx, templates per kind, officers only."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caunoi.market.imports import IMPORT_KINDS, import_offers, read_offers
from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest
from support import login

pytestmark = pytest.mark.django_db

GOOD = (
    "title_vi,title_en,trl,cooperation,country,fields\n"
    "Máy sấy lạnh nông sản,Cold dryer for farm produce,6,licence,KR,semiconductors\n"
    "Pin natri-ion,Sodium-ion battery,4,joint_venture,JP,\n"
)
BAD = GOOD + "Robot hàn,Welding robot,12,bribery,ZZ,no-such-field\n"


def _post(client: Any, body: str, name: str = "a.csv", **extra: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, body.encode()), **extra}
    return client.post("/market/offers/import/", data)


def test_the_page_explains_and_offers_templates(owner: Any) -> None:
    page = login(owner).get("/market/offers/import/").content.decode()
    assert 'id="import-empty"' in page and 'id="import-template"' in page
    assert "/market/offers/import/template.xlsx" in page
    requests_page = login(owner).get("/market/requests/import/").content.decode()
    assert "/market/requests/import/template.json" in requests_page and "min_trl" in requests_page


def test_check_writes_nothing_then_import_publishes(owner: Any, taxonomy: Any) -> None:
    client = login(owner)
    checked = _post(client, GOOD, mode="check")
    assert checked.status_code == 200
    assert 'id="import-done"' in checked.content.decode()
    assert not TechnologyOffer.objects.exists()
    done = _post(client, GOOD, mode="import")
    assert done.status_code == 200 and 'id="import-done"' in done.content.decode()
    offers = TechnologyOffer.objects.order_by("pk")
    assert [o.title_en for o in offers] == ["Cold dryer for farm produce", "Sodium-ion battery"]
    assert {o.status for o in offers} == {Status.PUBLISHED}
    assert list(offers[0].fields.values_list("slug", flat=True)) == ["semiconductors"]
    # written in bulk, but searchable and audited like any other write
    from caunoi.accounts.models import AuditEvent
    from caunoi.search.models import SearchDocument

    assert SearchDocument.objects.filter(kind="offers", object_id=offers[0].pk).exists()
    assert AuditEvent.objects.filter(
        action="import", model="market.technologyoffer", object_id=str(offers[0].pk)
    ).exists()


def test_a_bad_file_saves_nothing_and_names_each_row_and_field(owner: Any, taxonomy: Any) -> None:
    response = _post(login(owner), BAD, mode="import")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-report"' in page
    for column in ("trl", "cooperation", "country", "fields"):
        assert f"<code>{column}</code>" in page
    assert "<td>4</td>" in page  # the bad row, counted as a spreadsheet does
    assert not TechnologyOffer.objects.exists()
    wrong_type = _post(login(owner), "x", name="a.txt")
    assert wrong_type.status_code == 400 and "CSV, XLSX, JSON" in wrong_type.content.decode()


def test_messages_are_vietnamese_first_english_second(owner: Any, taxonomy: Any) -> None:
    client = login(owner)
    vi = client.get("/market/requests/import/").content.decode()
    assert "Nhập đặt hàng công nghệ" in vi and "Chỉ kiểm tra (không ghi gì)" in vi
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/market/requests/import/").content.decode()
    assert "Import technology requests" in en and "Check only (write nothing)" in en


@override_settings(CAUNOI_MARKET_IMPORT_MAX_BYTES=100)
def test_a_too_large_file_is_refused(owner: Any, taxonomy: Any) -> None:
    response = _post(login(owner), GOOD + "x" * 200)
    assert response.status_code == 400 and not TechnologyOffer.objects.exists()
    assert "Tệp quá lớn." in response.content.decode()  # refused for its size, not its rows


def test_duplicate_across_languages_is_refused_or_skipped(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    org = make_org(key="kiat", name_vi="Viện KIAT", name_en="KIAT")
    first = [
        {
            "title_vi": "Cảm biến khí MEMS KX-200 đo CO và NO2",
            "summary_vi": "Cảm biến khí MEMS KX-200 theo bằng sáng chế KR 10-2215678, "
            "đo CO và NO2 cho trạm quan trắc không khí, công suất thấp.",
            "owner_organization": org.key,
        }
    ]
    assert import_offers(user=owner, rows=first).ok
    existing = TechnologyOffer.objects.get()
    english = (
        "title_en,summary_en,owner_organization\n"
        '"MEMS gas sensor KX-200 for CO and NO2","The MEMS gas sensor KX-200, under patent '
        'KR 10-2215678, measures CO and NO2 for air monitoring stations at low power.",kiat\n'
        '"Sodium-ion battery pack NB-48","A 48 V sodium-ion battery pack for electric '
        'scooters, rated for 3000 cycles.",kiat\n'
    )
    refused = _post(login(owner), english, mode="import")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f"#{existing.pk}" in page and "KX-200" in page
    assert TechnologyOffer.objects.count() == 1
    skipped = _post(login(owner), english, mode="import", skip_duplicates="1")
    assert skipped.status_code == 200
    assert 'id="import-skipped"' in skipped.content.decode()
    assert set(TechnologyOffer.objects.values_list("title_en", flat=True)) == {
        "",
        "Sodium-ion battery pack NB-48",
    }
    # the same English offer by another owner is no duplicate
    other = make_org(key="kisti", name_vi="Viện KISTI", name_en="KISTI")
    assert import_offers(
        user=owner,
        rows=[
            {"title_en": "MEMS gas sensor KX-200 for CO and NO2", "owner_organization": other.key}
        ],
    ).ok


def test_the_same_organisation_entered_twice_is_the_same_owner(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    a = make_org(key="ipi-1", name_vi="Viện IPI", name_en="IPI", country_id="KR")
    b = make_org(key="ipi-2", name_vi="Viện  IPI", name_en="IPI", country_id="KR")
    assert import_offers(
        user=owner, rows=[{"title_en": "Rice husk gasifier", "owner_organization": a.key}]
    ).ok
    again = import_offers(
        user=owner, rows=[{"title_en": "Rice husk gasifier.", "owner_organization": b.key}]
    )
    assert [(e.row, e.field) for e in again.errors] == [(2, "title")]


def test_templates_per_kind_read_back(owner: Any, viewer: Any, provider: Any) -> None:
    client = login(owner)
    for kind in ("offers", "requests"):
        for fmt in ("xlsx", "csv", "json"):
            response = client.get(f"/market/{kind}/import/template.{fmt}")
            assert response.status_code == 200
            assert f"caunoi-{kind}-mau.{fmt}" in response["Content-Disposition"]
            rows = read_offers(f"t.{fmt}", response.content)
            assert len(rows) == 1 and set(rows[0]) <= set(IMPORT_KINDS[kind].columns)
            assert rows[0]["title_vi"]
    assert client.get("/market/offers/import/template.pdf").status_code == 404
    for user in (viewer, provider):
        assert login(user).get("/market/offers/import/template.csv").status_code == 403


@override_settings(CAUNOI_IMPORT_BACKGROUND_ROWS=1)
def test_a_large_file_is_a_job_the_page_polls(owner: Any, taxonomy: Any) -> None:
    from caunoi.jobs.models import Job

    client = login(owner)
    response = _post(client, GOOD, mode="import")
    assert response.status_code == 302 and "?job=" in response["Location"]
    job = Job.objects.get(kind__endswith="import_market_task")
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == 2
    assert job.result["committed"] is True and job.result["created"] == 2
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section") and 'id="import-job-done"' in partial
    assert "hx-trigger" not in partial  # finished: the polling stops
    # a bad large file: the job fails, its report names the rows, nothing is written
    bad = _post(client, BAD, mode="import")
    failed = Job.objects.filter(kind__endswith="import_market_task").latest("pk")
    assert failed.state == Job.State.FAILED and failed.result["committed"] is False
    page = client.get(bad["Location"]).content.decode()
    assert 'id="import-report"' in page and "<code>cooperation</code>" in page
    assert TechnologyOffer.objects.count() == 2


def test_a_running_job_is_polled(owner: Any) -> None:
    from caunoi.jobs.models import Job

    job = Job.objects.create(
        kind="caunoi.market.imports.import_market_task",
        label_vi="Nhập",
        user=owner,
        state=Job.State.RUNNING,
        done=200,
        total=800,
    )
    partial = (
        login(owner)
        .get(f"/market/offers/import/?job={job.pk}", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in partial and 'value="200"' in partial


def test_api_import_dry_run_errors_and_jobs(
    owner: Any, provider: Any, viewer: Any, taxonomy: Any
) -> None:
    client = login(owner)
    requests_csv = "title_vi,need,province\nCần máy chiết rót,Chiết rót nước mắm,Khánh Hòa\n"

    def post(body: str, **form: Any) -> Any:
        return client.post(
            "/api/v1/market/import", {"file": SimpleUploadedFile("r.csv", body.encode()), **form}
        )

    dry = post(requests_csv, kind="requests", dry_run="true")
    assert dry.status_code == 200 and dry.json()["created"] == 1 and dry.json()["dry_run"]
    assert not TechnologyRequest.objects.exists()
    done = post(requests_csv, kind="requests")
    assert done.status_code == 200 and done.json()["kind"] == "requests"
    assert TechnologyRequest.objects.get().province == "Khánh Hòa"
    bad = post("title_vi,need,min_trl\nA,,ten\n", kind="requests")
    assert bad.status_code == 400
    assert {"rows.2.need", "rows.2.min_trl"} <= set(bad.json()["errors"])
    assert post(requests_csv, kind="targets").status_code == 400  # no such import
    for user in (provider, viewer):
        denied = login(user).post(
            "/api/v1/market/import",
            {"file": SimpleUploadedFile("r.csv", requests_csv.encode()), "kind": "requests"},
        )
        assert denied.status_code == 403
    with override_settings(CAUNOI_IMPORT_BACKGROUND_ROWS=1):
        body = json.dumps([{"title_en": "Biochar kiln"}, {"title_en": "Solar dryer"}])
        queued = client.post(
            "/api/v1/market/import",
            {"file": SimpleUploadedFile("o.json", body.encode()), "kind": "offers"},
        )
    assert queued.status_code == 202 and queued.json()["job_id"]
    job = client.get(f"/api/v1/jobs/{queued.json()['job_id']}").json()
    assert job["state"] == "succeeded" and job["done"] == job["total"] == 2
    assert TechnologyRequest.objects.count() == 1 and TechnologyOffer.objects.count() == 2


def test_command_dry_run_and_skip(owner: Any, taxonomy: Any, tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "o.csv"
    path.write_text("title_en\nPlasma seed treatment\nPlasma seed treatment.\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_offers",
        str(path),
        "--user",
        owner.username,
        "--dry-run",
        "--skip-duplicates",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "row 3 skipped" in out.getvalue() and "would be imported" in out.getvalue()
    assert not TechnologyOffer.objects.exists()
