"""Reporting's charts (the campaign page, the list, the dashboard panel, the DOCX) and the
consolidated report written as a background job (page with htmx polling, API, the stored
file checked on download)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage

from support import login

pytestmark = pytest.mark.django_db


def test_the_campaign_page_draws_its_three_charts_and_serves_them(
    filled: Any, viewer: Any, make_outside: Any
) -> None:
    client = login(viewer)
    url = f"/reporting/{filled.pk}/"
    page = client.get(url)
    html = page.content.decode()
    for key in ("by-unit-type", "by-region", "categories"):
        assert f'id="chart-{key}"' in html
        assert f'href="{url}?chart={key}&amp;format=svg"' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert "Tỷ lệ đơn vị đã gửi, theo vùng" in html  # titled in Vietnamese first
    assert "style=" not in html.split('id="completeness-charts"')[1].split("</section>")[0]
    assert page["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")

    table = client.get(url, {"chart": "by-region", "format": "csv"})
    assert table.status_code == 200 and table["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0] == ["", "Đã gửi (%)", "Đúng hạn (%)"]
    assert ["Đồng bằng sông Hồng", "100", "100"] in rows
    categories = list(
        csv.reader(
            io.StringIO(
                client.get(url, {"chart": "categories", "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert categories[1] == ["Tất cả đơn vị", "0", "2", "0", "0"]  # both sent reports only
    png = client.get(url, {"chart": "by-unit-type", "format": "png"})
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(url, {"chart": "nope", "format": "png"}).status_code == 404
    outsider = login(make_outside("enterprise", "dn"))
    assert outsider.get(url, {"chart": "by-region", "format": "csv"}).status_code == 404


def test_the_dashboard_panel_and_the_list_chart_the_campaigns(filled: Any, owner: Any) -> None:
    client = login(owner)
    home = client.get("/").content.decode()
    assert 'id="chart-campaigns"' in home
    assert 'href="/reporting/?chart=campaigns&amp;format=csv"' in home
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/reporting/", {"chart": "campaigns", "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][1:] == ["100", "100"] and rows[1][0].startswith("2030: Báo cáo thử")
    assert 'id="chart-campaigns"' in client.get("/reporting/").content.decode()


def test_the_docx_carries_the_charts_at_print_resolution_with_captions(filled: Any) -> None:
    from docx import Document
    from PIL import Image

    from caunoi.reporting.outputs import write

    doc = Document(io.BytesIO(write(filled, "docx")))
    assert len(doc.inline_shapes) == 3
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Biểu đồ 1. Số đơn vị phải gửi, đã gửi và gửi đúng hạn, theo loại đơn vị" in text
    assert "Biểu đồ 3. Kế hoạch và báo cáo, theo loại đơn vị" in text
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob].blob
    assert Image.open(io.BytesIO(image)).size[0] == 2100  # 7 inches at 300 dpi


def test_the_report_is_written_in_the_background_and_downloaded(
    filled: Any, owner: Any, other: Any, admin: Any
) -> None:
    from pypdf import PdfReader

    from caunoi.jobs.models import Job

    client = login(owner)
    started = client.post(f"/reporting/{filled.pk}/reports/", {"format": "pdf"})
    assert started.status_code == 302
    job = Job.objects.get(kind__endswith="generate_report")
    assert started["Location"] == f"/reporting/reports/{job.pk}/"
    assert job.state == "succeeded" and (job.done, job.total) == (3, 3)  # immediate backend
    assert job.user == owner and "Báo cáo tổng hợp (PDF)" in job.label_vi
    page = client.get(started["Location"]).content.decode()
    assert 'id="report-file"' in page and "every 2s" not in page  # finished: no polling
    partial = client.get(started["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section class="card" id="report-job"')
    assert "<html" not in partial

    download = client.get(f"/reporting/reports/{job.pk}/file/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "BÁO CÁO TỔNG HỢP" in pdf.pages[0].extract_text()

    # someone else's job is not found; the administrator sees every job
    assert login(other).get(f"/reporting/reports/{job.pk}/file/").status_code == 404
    assert login(admin).get(f"/reporting/reports/{job.pk}/file/").status_code == 200
    # a stored file that is not what its format says is not served
    path = job.result["path"]
    assert path.startswith(f"reporting/reports/{filled.pk}/")
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(b"<html>not a pdf</html>"))
    assert client.get(f"/reporting/reports/{job.pk}/file/").status_code == 404


def test_a_report_job_in_progress_is_polled(filled: Any, owner: Any) -> None:
    from caunoi.jobs.models import Job

    job = Job.objects.create(
        kind="caunoi.reporting.report_jobs.generate_report",
        label_vi="Báo cáo tổng hợp (DOCX)",
        user=owner,
        state=Job.State.RUNNING,
        done=1,
        total=3,
    )
    page = login(owner).get(f"/reporting/reports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and '<progress max="3" value="1">' in page
    assert 'id="report-file"' not in page
    assert login(owner).get(f"/reporting/reports/{job.pk}/file/").status_code == 404


def test_only_the_campaigns_officers_start_a_report(filled: Any, other: Any, owner: Any) -> None:
    assert (
        login(other).post(f"/reporting/{filled.pk}/reports/", {"format": "pdf"}).status_code == 403
    )
    refused = login(owner).post(f"/reporting/{filled.pk}/reports/", {"format": "exe"})
    assert refused.status_code == 400 and "DOCX, PDF hoặc XLSX" in refused.content.decode()


def test_the_api_starts_a_report_and_fetches_it(filled: Any, owner: Any, other: Any) -> None:
    from openpyxl import load_workbook

    client = login(owner)
    started = client.post(
        f"/api/v1/reporting/campaigns/{filled.pk}/reports",
        {"format": "xlsx"},
        content_type="application/json",
    )
    assert started.status_code == 202
    body = started.json()
    assert body["state"] == "succeeded" and body["format"] == "xlsx"
    assert body["file"] == f"/api/v1/reporting/reports/{body['id']}/file"
    again = client.get(f"/api/v1/reporting/reports/{body['id']}").json()
    assert again["done"] == again["total"] == 3
    file = client.get(body["file"])
    assert file.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert "Tình hình gửi" in book.sheetnames
    denied = login(other).post(
        f"/api/v1/reporting/campaigns/{filled.pk}/reports",
        {"format": "pdf"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert login(other).get(f"/api/v1/reporting/reports/{body['id']}").status_code == 404
