"""The consolidated report as PDF: opened with pypdf, its text, its tables' figures, its
charts and its pages checked; the CLI writes it."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from caunoi.reporting.outputs import write

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    # the layout mode keeps a table's row on one line
    return reader, [page.extract_text(extraction_mode="layout") for page in reader.pages]


def test_the_pdf_has_the_docx_content(filled: Any) -> None:
    pdf = write(filled, "pdf")
    assert pdf.startswith(b"%PDF-")
    reader, pages = _text(pdf)
    text = "\n".join(pages)
    first = pages[0]
    # the national motto and the issuing body head the first page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in first and "BÁO CÁO TỔNG HỢP" in first
    assert "I. TÌNH HÌNH GỬI BÁO CÁO" in text and "II. TỔNG HỢP CÁC CHỈ TIÊU" in text
    assert "Có 2/2 đơn vị" in text and "100,0%" in text
    assert "Sở KH&CN Hà Nội: Hà Nội tổ chức hội thảo." in text
    assert "nháp" not in text  # the draft correction does not count
    # the footnote is at the foot of the page that calls it
    page = next(p for p in pages if "Có 2/2 đơn vị" in p)
    assert "¹ Đơn vị phải gửi là đơn vị thuộc đợt báo cáo" in page
    # the indicators' table: the sum of the contracts is 10, the average rate 60
    lines = [x.strip() for x in text.splitlines()]
    contracts = next(x for x in lines if x.startswith("Số hợp đồng chuyển giao"))
    assert contracts.split()[-3:] == ["Tổng", "2", "10"]
    rate = next(x for x in lines if x.startswith("Tỷ lệ hoàn thành"))
    assert rate.split()[-3:] == ["bình", "2", "60"]
    # the completeness table: all units, expected 2, sent 2, 100%
    everyone = next(x for x in lines if x.startswith("Tất cả đơn vị"))
    assert everyone.split()[4:9] == ["2", "2", "100", "2", "100"]
    # the charts: an image each with its caption
    assert "Biểu đồ 1. Số đơn vị phải gửi, đã gửi và gửi đúng hạn" in text
    assert "Biểu đồ 3. " in text
    images = sum(len(p.images) for p in reader.pages)
    assert images == 3
    assert reader.metadata is not None and "Báo cáo tổng hợp" in (reader.metadata.title or "")


def test_pages_are_numbered_from_the_second(filled: Any) -> None:
    reader, pages = _text(write(filled, "pdf"))
    assert len(reader.pages) >= 2  # the tables and three charts run over the first page
    assert not pages[0].lstrip().startswith("1")
    for number, text in enumerate(pages[1:], start=2):
        assert text.lstrip().split()[0] == str(number)


def test_the_same_data_gives_the_same_file(filled: Any) -> None:
    from caunoi.reporting.consolidated import consolidate
    from caunoi.reporting.pdf import write_pdf

    data = consolidate(filled)
    assert write_pdf(data) == write_pdf(data)


def test_the_cli_writes_the_pdf(filled: Any, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.pdf"
    stdout = StringIO()
    call_command("report", str(filled.pk), "--format", "pdf", "--out", str(out), stdout=stdout)
    assert "Wrote" in stdout.getvalue()
    _reader, pages = _text(out.read_bytes())
    assert "BÁO CÁO TỔNG HỢP" in pages[0]
